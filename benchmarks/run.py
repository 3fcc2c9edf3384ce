"""publist's benchmarks, run against the peers in the same script on the same inputs.

    python benchmarks/run.py [--quick] [--w2-records N] [--w3-records N] [--no-peers]
                             [--only W1,W2,W3,W4] [--repeat N] [--peer-timeout S]

W1  render 2,000 items (apa, ieee, chicago-author-date) — peers: citeproc-js, pandoc
W2  convert records seed→bibtex, seed→ris, seed→csl-json, bibtex→csl-json — peers:
    Citation.js (from the same records as CSL-JSON; it has no seed reader), pandoc
W3  peak memory converting W3 records seed→bibtex as a stream (generator | publist), and the
    same at a tenth of the size: memory must not grow with the number of records
W4  one record with 3,000 authors through every output (and 1,500, to show time is linear)
W5  bibtex→csl-json on a real-shaped 3 MB .bib (tests/data/bib, the exporters' shapes, repeated
    with new keys; or --bib FILE) — peers: pandoc, Citation.js

Each row: wall time (W1, W2: the median of --repeat runs, 3 by default), peak memory of the
measured process and its workers, and publist's time divided by the peer's (W2 also runs
publist with PUBLIST_WORKERS=1: one core).
Corpora come from benchmarks/corpus.py, deterministic by seed.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT / "src")]

from corpus import write_csl_json, write_seed  # noqa: E402

PUBLIST = [sys.executable, "-m", "publist.cli"]
NODE_PEERS = HERE / "peers"


def _high_water_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (FileNotFoundError, ProcessLookupError, ValueError):
        return None
    return None


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        try:
            for task in os.listdir(f"/proc/{parent}/task"):
                with open(f"/proc/{parent}/task/{task}/children", encoding="ascii") as children:
                    kids = [int(k) for k in children.read().split()]
                found += kids
                todo += kids
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return found


def _with_workers_mb(pid: int) -> float:
    """Memory of ``pid`` and its worker processes now: its resident set plus the workers'
    proportional set sizes (pages a fork shares with its parent count once).  Only child
    processes are read through smaps_rollup, which is slow on a large address space."""
    total = 0
    children = _descendants(pid)
    if not children:
        return 0.0
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            total += next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    except (FileNotFoundError, ProcessLookupError, StopIteration):
        return 0.0
    for child in children:
        try:
            with open(f"/proc/{child}/smaps_rollup", encoding="ascii") as rollup:
                total += next(int(line.split()[1]) for line in rollup if line.startswith("Pss:"))
        except (FileNotFoundError, ProcessLookupError, PermissionError, StopIteration):
            continue
    return total / 1024


def measure(
    cmd: list[str],
    stdin_cmd: list[str] | None = None,
    timeout: float = 900,
    env: dict[str, str] | None = None,
) -> tuple[float, float, int]:
    """(seconds, peak RSS in MB, exit code) of ``cmd``; ``stdin_cmd`` feeds it through a pipe.

    The peak is the larger of the process's own high-water mark (VmHWM) and the largest sum,
    over samples every 0.2 s, of its resident set and its workers' (PSS), so work spread over
    forked workers is counted.  wait4's ru_maxrss would also count the pages
    a fork copied from this (large) benchmark process.
    A peer that runs past ``timeout`` seconds is stopped (exit code -9)."""
    feeder = None
    started = time.perf_counter()
    if stdin_cmd:
        feeder = subprocess.Popen(stdin_cmd, stdout=subprocess.PIPE)
    process = subprocess.Popen(
        cmd,
        env={**os.environ, **(env or {})},
        stdin=feeder.stdout if feeder else subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    if feeder:
        feeder.stdout.close()
    peak = 0.0
    samples = 0
    while process.poll() is None:
        peak = max(peak, _high_water_mb(process.pid) or 0.0)
        if samples % 20 == 0:  # workers' memory is flat; reading it often would slow them
            peak = max(peak, _with_workers_mb(process.pid))
        samples += 1
        if time.perf_counter() - started > timeout:
            process.kill()
        time.sleep(0.01)
    elapsed = time.perf_counter() - started
    err = process.stderr.read().decode(errors="replace")
    if feeder:
        feeder.kill()
        feeder.wait()
    if process.returncode != 0:
        print(f"  ! {' '.join(cmd[:4])}… exited {process.returncode}: {err[-300:]}")
    return elapsed, peak, process.returncode


REPEAT = [3]
NO_PANDOC = [False]


def timed(cmd: list[str], **kwargs) -> tuple[float, float, int]:
    """``measure`` run REPEAT times (once if it fails): the median time, the largest peak."""
    runs = []
    for _ in range(REPEAT[0]):
        runs.append(measure(cmd, **kwargs))
        if runs[-1][2] != 0:
            return runs[-1]
    times = sorted(seconds for seconds, _, _ in runs)
    return times[len(times) // 2], max(mb for _, mb, _ in runs), 0


def locales_dir() -> str:
    import citeproc

    return str(Path(citeproc.__file__).parent / "data" / "locales")


def pandoc() -> str | None:
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except Exception:
        return shutil.which("pandoc")


def node_ready() -> bool:
    if not shutil.which("node"):
        return False
    if not (HERE / "node_modules" / "citeproc").is_dir():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE, check=False
        )
    return (HERE / "node_modules" / "@citation-js" / "core").is_dir()


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple] = []

    def add(self, workload: str, tool: str, seconds: float, mb: float, ratio: str = "") -> None:
        self.rows.append((workload, tool, seconds, mb, ratio))
        print(f"{workload:<34} {tool:<12} {seconds:8.2f} s {mb:8.0f} MB  {ratio}", flush=True)

    def markdown(self) -> str:
        lines = [
            "| workload | tool | wall | peak memory | publist / peer |",
            "| --- | --- | ---: | ---: | ---: |",
        ]
        for workload, tool, seconds, mb, ratio in self.rows:
            lines.append(f"| {workload} | {tool} | {seconds:.2f} s | {mb:.0f} MB | {ratio} |")
        return "\n".join(lines)


PEER_TIMEOUT = [600.0]


def args_timeout() -> float:
    return PEER_TIMEOUT[0]


def _failed(code: int, seconds: float = 0.0) -> str:
    if code == -9:  # our time limit, or the kernel's out-of-memory killer
        return f"no result (killed after {seconds:.0f} s; limit {args_timeout():.0f} s)"
    return "no result (failed)"


def ratio(ours: float, theirs: float | None) -> str:
    return f"{ours / theirs:.2f}×" if theirs else ""


def both_ratios(ours: float, one_core: float, theirs: float) -> str:
    """publist's ratio on every core, then on one (PUBLIST_WORKERS=1)."""
    return f"{ratio(ours, theirs)} (1 core: {ratio(one_core, theirs)})"


def w1(table: Table, work: Path, items: int, peers: bool) -> None:
    from publist.render import resolve

    path = write_csl_json(work / "w1.json", items, seed=1, author_counts=[1, 2, 3, 5, 8, 12, 20])
    pandoc_bin = pandoc() if peers and not NO_PANDOC[0] else None
    for style in ("apa", "ieee", "chicago-author-date"):
        style_file = work / f"{style}.csl"
        style_file.write_bytes(resolve(style).xml)
        name = f"W1 render {items} {style}"
        ours, mb, _ = timed(PUBLIST + ["render", str(path), "-s", style, "-o", str(work / "o")])
        table.add(name, "publist", ours, mb)
        if peers and node_ready():
            js, js_mb, rc = timed(
                [
                    "node",
                    str(NODE_PEERS / "citeproc_render.js"),
                    str(path),
                    str(style_file),
                    locales_dir(),
                    str(work / "o.js"),
                ]
            )
            table.add(
                name, "citeproc-js", js, js_mb, ratio(ours, js) if rc == 0 else _failed(rc, js)
            )
        if pandoc_bin:
            doc = work / "nocite.md"
            doc.write_text("---\nnocite: '[@*]'\n---\n", encoding="utf-8")
            pd, pd_mb, rc = timed(
                [
                    pandoc_bin,
                    str(doc),
                    "--citeproc",
                    "--bibliography",
                    str(path),
                    "--csl",
                    str(style_file),
                    "-t",
                    "plain",
                    "-o",
                    str(work / "o.pandoc"),
                ]
            )
            table.add(name, "pandoc", pd, pd_mb, ratio(ours, pd) if rc == 0 else _failed(rc, pd))


def w2(table: Table, work: Path, records: int, peers: bool, only: set[str] | None = None) -> None:
    seed = write_seed(work / "w2.txt", records, seed=2)
    csl = write_csl_json(work / "w2.json", records, seed=2)
    pandoc_bin = pandoc() if peers and not NO_PANDOC[0] else None
    jobs = [
        (
            "seed→bibtex",
            [str(seed), "-t", "bibtex", "-o", str(work / "w2.bib")],
            (csl, "bibtex"),
            ["-f", "csljson", "-t", "bibtex"],
        ),
        ("seed→ris", [str(seed), "-t", "ris", "-o", str(work / "w2.ris")], (csl, "ris"), None),
        (
            "seed→csl-json",
            [str(seed), "-t", "csl-json", "-o", str(work / "w2.out.json")],
            None,
            None,
        ),
        (
            "bibtex→csl-json",
            [str(work / "w2.bib"), "-t", "csl-json", "-o", str(work / "w2.back.json")],
            (work / "w2.bib", "data"),
            ["-f", "bibtex", "-t", "csljson"],
        ),
    ]
    for label, args, cjs, pandoc_args in jobs:
        if only and label not in only and label != "seed→bibtex":  # (its .bib feeds the last)
            continue
        name = f"W2 {label} {records:,}"
        ours, mb, _ = timed(PUBLIST + ["convert", "--no-meta", "-q"] + args)
        table.add(name, "publist", ours, mb)
        one_core, one_core_mb, _ = timed(
            PUBLIST + ["convert", "--no-meta", "-q"] + args, env={"PUBLIST_WORKERS": "1"}
        )
        table.add(name, "publist 1 core", one_core, one_core_mb)
        if peers and cjs and node_ready():
            source, fmt = cjs
            theirs, their_mb, rc = timed(
                [
                    "node",
                    "--max-old-space-size=16000",
                    str(NODE_PEERS / "citationjs_convert.js"),
                    str(source),
                    str(work / "cjs.out"),
                    fmt,
                ],
                timeout=args_timeout(),
            )
            table.add(
                name,
                "Citation.js",
                theirs,
                their_mb,
                both_ratios(ours, one_core, theirs) if rc == 0 else _failed(rc, theirs),
            )
        if pandoc_bin and pandoc_args:
            source = csl if pandoc_args[1] == "csljson" else work / "w2.bib"
            theirs, their_mb, rc = timed(
                [pandoc_bin, str(source)] + pandoc_args + ["-o", str(work / "pandoc.out")],
                timeout=args_timeout(),
            )
            table.add(
                name,
                "pandoc",
                theirs,
                their_mb,
                both_ratios(ours, one_core, theirs) if rc == 0 else _failed(rc, theirs),
            )


def w3(table: Table, records: int) -> None:
    for count in (records // 10, records):
        generator = [sys.executable, str(HERE / "corpus.py"), "seed", str(count)]
        seconds, mb, _ = measure(
            PUBLIST + ["convert", "-", "-f", "seed", "-t", "bibtex", "-q", "-o", os.devnull],
            stdin_cmd=generator,
            timeout=float("inf"),  # a million records take minutes; only memory is judged
        )
        table.add(f"W3 stream seed→bibtex {count:,}", "publist", seconds, mb)


def _outputs(item: dict, owner: dict) -> dict:
    """Every output publist makes, for one item."""
    import publist
    from publist.render.cv import render_cv

    def write(fmt: str):
        return lambda: publist.write([dict(item)], io.StringIO(), fmt)

    outputs = {f: write(f) for f in ("csl-json", "csl-jsonl", "bibtex", "biblatex", "ris")}
    outputs["seed"] = lambda: publist.write(
        publist.Collection([dict(item)], owner=owner), io.StringIO(), "seed"
    )
    outputs["render apa html"] = lambda: publist.render_bibliography([item], "apa", "html")
    outputs["render ieee text"] = lambda: publist.render_bibliography([item], "ieee")
    outputs["cv markdown"] = lambda: render_cv([item], [owner], format="markdown")
    return outputs


def w4(table: Table) -> None:
    from corpus import records

    for authors in (1500, 3000):
        record = next(records(1, seed=4, author_counts=[authors]))
        item = {
            "id": "big",
            "type": "article-journal",
            "title": record["title"],
            "container-title": "Journal",
            "issued": {"date-parts": [[2024]]},
            "author": [
                {"literal": f} if g is None else {"family": f, "given": g}
                for f, g in record["authors"]
            ],
        }
        owner = item["author"][len(item["author"]) // 2]
        for name, run in _outputs(item, owner).items():
            run()  # warm: style parsing, imports
            started = time.perf_counter()
            run()
            table.add(f"W4 {authors} authors: {name}", "publist", time.perf_counter() - started, 0)


def real_shaped_bib(path: Path, megabytes: float = 3.0) -> Path:
    """tests/data/bib's files (exporters' shapes, crossrefs included) repeated to ``megabytes``,
    every key suffixed by its copy number so that crossrefs stay within their copy."""
    import re

    sources = sorted((ROOT / "tests" / "data" / "bib").glob("*.bib"))
    text = "\n".join(p.read_text(encoding="utf-8") for p in sources if p.name != "problems.bib")
    text = re.sub(r"(?m)^@\w+\{,\n(?:.*\n)*?\}\n", "", text)  # keyless: pandoc refuses them
    keys = re.compile(r"(@\w+\{)([^,\s]+)(,)|((?:crossref|xdata)\s*=\s*\{)([^}]+)(\})", re.I)
    with path.open("w", encoding="utf-8") as out:
        copy = 0
        while out.tell() < megabytes * 1_000_000:
            out.write(keys.sub(lambda m, n=copy: _suffixed(m, n), text) + "\n")
            copy += 1
    return path


def _suffixed(match, copy: int) -> str:
    if match.group(1):
        return f"{match.group(1)}{match.group(2)}-{copy}{match.group(3)}"
    return f"{match.group(4)}{match.group(5)}-{copy}{match.group(6)}"


def w5(table: Table, work: Path, peers: bool, bib: Path | None) -> None:
    """At 0.3 MB too: Citation.js needs about 1.8 GB there and does not finish at 3 MB."""
    sizes = () if bib else (0.3, 3.0)
    for source in [bib] if bib else [real_shaped_bib(work / f"real-{mb}.bib", mb) for mb in sizes]:
        _w5_file(table, work, peers, source)


def _w5_file(table: Table, work: Path, peers: bool, source: Path) -> None:
    name = f"W5 bibtex→csl-json {source.stat().st_size / 1e6:.1f} MB"
    out = str(work / "w5.out")
    ours, mb, _ = timed(PUBLIST + ["convert", "--no-meta", "-q", str(source), "-t", "csl-json"]
                        + ["-o", out])  # fmt: skip
    table.add(name, "publist", ours, mb)
    peer_runs = []
    if peers and pandoc() and not NO_PANDOC[0]:
        peer_runs.append(("pandoc", [pandoc(), str(source), "-f", "biblatex", "-t", "csljson"]
                          + ["-o", out]))  # fmt: skip
    if peers and node_ready():
        script = str(NODE_PEERS / "citationjs_convert.js")
        peer_runs.append(("Citation.js", ["node", script, str(source), out, "data"]))
    for tool, cmd in peer_runs:
        theirs, their_mb, rc = timed(cmd, timeout=args_timeout())
        result = ratio(ours, theirs) if rc == 0 else _failed(rc, theirs)
        table.add(name, tool, theirs, their_mb, result)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    parser.add_argument("--w1-items", type=int, default=2000)
    parser.add_argument("--w2-records", type=int, default=100_000)
    parser.add_argument("--w3-records", type=int, default=1_000_000)
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument(
        "--no-pandoc", action="store_true", help="skip pandoc (at 100k records it needs >23 GB)"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="W1/W2: runs per row; the median time is shown"
    )
    parser.add_argument("--only", help="comma-separated workloads, e.g. W1,W4")
    parser.add_argument("--bib", type=Path, help="W5: this .bib instead of the real-shaped one")
    parser.add_argument("--w2-jobs", help="comma-separated W2 rows, e.g. seed→bibtex,seed→ris")
    parser.add_argument(
        "--peer-timeout", type=float, default=600, help="stop a peer after this many seconds"
    )
    args = parser.parse_args()
    PEER_TIMEOUT[0] = args.peer_timeout
    REPEAT[0] = max(1, args.repeat)
    NO_PANDOC[0] = args.no_pandoc
    w2_only = set(args.w2_jobs.split(",")) if args.w2_jobs else None
    if args.quick:
        args.w1_items, args.w2_records, args.w3_records = 200, 1_000, 10_000
    only = set((args.only or "W1,W2,W3,W4,W5").upper().split(","))
    table = Table()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.platform()}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if "W1" in only:
            w1(table, work, args.w1_items, not args.no_peers)
        if "W2" in only:
            w2(table, work, args.w2_records, not args.no_peers, w2_only)
        if "W3" in only:
            w3(table, args.w3_records)
        if "W4" in only:
            w4(table)
        if "W5" in only:
            w5(table, work, not args.no_peers, args.bib)
    print()
    print(table.markdown())


if __name__ == "__main__":
    main()
