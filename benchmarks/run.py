"""publist's benchmarks, run against the peers in the same script on the same inputs.

    python benchmarks/run.py [--quick] [--w2-records N] [--w3-records N] [--no-peers]
                             [--only W1,W2,W3,W4] [--repeat N] [--peer-timeout S]
                             [--peer-memory GB] [--profiles typical,heavy] [--w2-jobs …]

W1  render 2,000 items (apa, ieee, chicago-author-date) — peers: citeproc-js, pandoc
W2  convert 100,000 records of each corpus profile (typical: shaped like a real library;
    heavy: the seed's large author lists) seed→bibtex, seed→ris, seed→csl-json,
    csl-json→bibtex, bibtex→csl-json, ris→csl-json — peers: Citation.js (from the same
    records as CSL-JSON where publist reads the seed: it has no seed reader), pandoc; and the
    floor: plain Python reading the same input and writing as many characters as publist wrote
W3  peak memory converting W3 records seed→bibtex as a stream (generator | publist), and the
    same at a tenth of the size: memory must not grow with the number of records
W4  one record with 3,000 authors through every output (and 1,500, to show time is linear)
W5  bibtex→csl-json on a real-shaped 3 MB .bib (tests/data/bib, the exporters' shapes, repeated
    with new keys; or --bib FILE) — peers: pandoc, Citation.js

Each row: wall time (W1, W2: the median of --repeat runs, 3 by default), peak memory of the
measured process and its workers, and publist's time divided by the peer's (W1 and W2 also
run publist with PUBLIST_WORKERS=1: one core).
Corpora come from benchmarks/corpus.py, deterministic by seed.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import resource
import shutil
import signal
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
    A peer that runs past ``timeout`` seconds, or whose memory passes PEER_MEMORY_MB, is stopped
    (exit code -9): the machine is shared."""
    feeder = None
    cpu_before = _children_cpu()
    started = time.perf_counter()
    if stdin_cmd:
        feeder = subprocess.Popen(stdin_cmd, stdout=subprocess.PIPE)
    process = subprocess.Popen(
        cmd,
        env={**os.environ, **(env or {})},
        stdin=feeder.stdout if feeder else subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: a stop reaches its workers too
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
        if time.perf_counter() - started > timeout or peak > PEER_MEMORY_MB[0]:
            os.killpg(process.pid, signal.SIGKILL)
        time.sleep(0.01)
    elapsed = time.perf_counter() - started
    err = process.stderr.read().decode(errors="replace")
    if feeder:
        feeder.kill()
        feeder.wait()
    if process.returncode != 0:
        print(f"  ! {' '.join(cmd[:4])}… exited {process.returncode}: {err[-300:]}", flush=True)
    LAST_CPU[0] = _children_cpu() - cpu_before
    return elapsed, peak, process.returncode


def _children_cpu() -> float:
    """CPU seconds (user + system) of every finished child process and its own children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# CPU seconds of the last measured command (workers included): on a shared machine it moves
# less than wall time does
LAST_CPU = [0.0]
REPEAT = [3]
NO_PANDOC = [False]


def timed(cmd: list[str], **kwargs) -> tuple[float, float, int]:
    """``measure`` run REPEAT times (once if it fails): the median time, the largest peak."""
    runs = []
    cpus = []
    for _ in range(REPEAT[0]):
        runs.append(measure(cmd, **kwargs))
        cpus.append(LAST_CPU[0])
        if runs[-1][2] != 0:
            return runs[-1]
    times = sorted(seconds for seconds, _, _ in runs)
    LAST_CPU[0] = sorted(cpus)[len(cpus) // 2]
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
        cpu = LAST_CPU[0]  # of the command just measured (the median run's)
        self.rows.append((workload, tool, seconds, cpu, mb, ratio))
        print(
            f"{workload:<34} {tool:<14} {seconds:8.2f} s {cpu:8.2f} s CPU {mb:8.0f} MB  {ratio}",
            flush=True,
        )

    def markdown(self) -> str:
        """One table per workload (W2: per corpus profile)."""
        lines: list[str] = []
        group = None
        for workload, tool, seconds, cpu, mb, ratio in self.rows:
            words = workload.split()
            this = " ".join(words[:2]) if words[0] == "W2" else words[0]
            if this != group:
                group = this
                lines += [
                    "" if lines else f"### {group}",
                    *([f"### {group}"] if lines else []),
                    "",
                    "| workload | tool | wall | CPU | peak memory | publist / peer |",
                    "| --- | --- | ---: | ---: | ---: | ---: |",
                ]
            lines.append(
                f"| {workload} | {tool} | {seconds:.2f} s | {cpu:.2f} s | {mb:.0f} MB | {ratio} |"
            )
        return "\n".join(lines)


PEER_TIMEOUT = [600.0]
PEER_MEMORY_MB = [8192.0]


def args_timeout() -> float:
    return PEER_TIMEOUT[0]


def _failed(code: int, seconds: float = 0.0, mb: float = 0.0) -> str:
    if code == -9 and mb > PEER_MEMORY_MB[0]:
        return f"no result (out of memory: stopped at {mb / 1024:.1f} GB after {seconds:.0f} s)"
    if code == -9:  # our time limit, or the kernel's out-of-memory killer
        limit = args_timeout()
        return f"no result (out of time: killed after {seconds:.0f} s; limit {limit:.0f} s)"
    return "no result (failed)"


def ratio(ours: float | None, theirs: float | None) -> str:
    if ours is None:
        return "publist: no result"
    return f"{ours / theirs:.2f}×" if theirs else ""


def both_ratios(ours: float | None, one_core: float | None, theirs: float) -> str:
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
        one, one_mb, _ = timed(
            PUBLIST + ["render", str(path), "-s", style, "-o", str(work / "o1")],
            env={"PUBLIST_WORKERS": "1"},
        )
        table.add(name, "publist 1 core", one, one_mb)
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
                name,
                "citeproc-js",
                js,
                js_mb,
                both_ratios(ours, one, js) if rc == 0 else _failed(rc, js),
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
            table.add(
                name,
                "pandoc",
                pd,
                pd_mb,
                both_ratios(ours, one, pd) if rc == 0 else _failed(rc, pd),
            )


# The floor: plain Python I/O reading INPUT as text and writing SIZE characters to OUTPUT.
FLOOR = """
import sys
source, target, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
written = 0
with open(source, encoding="utf-8") as src, open(target, "w", encoding="utf-8") as out:
    for line in src:
        if written < size:
            out.write(line)
            written += len(line)
    while written < size:
        chunk = "x" * min(1 << 20, size - written)
        out.write(chunk)
        written += len(chunk)
"""


def floor_row(
    table: Table, name: str, source: Path, output: Path, ours: float | None, one: float | None
) -> None:
    """The floor for one W2 row, and publist's time as a multiple of it (None: no result)."""
    size = output.stat().st_size if output.exists() else 0
    seconds, mb, _ = timed(
        [sys.executable, "-c", FLOOR, str(source), str(output) + ".floor", str(size)]
    )

    def times(value: float | None) -> str:
        return f"{value / seconds:.1f}×" if value is not None else "no result"

    multiple = f"publist {times(ours)} (1 core: {times(one)})"
    table.add(name, "floor", seconds, mb, multiple)


# W2 rows: (label, publist's input key, output format, Citation.js's (input key, format) or
# None, pandoc's (input key, -f, -t) or None).  Inputs: seed, csl (CSL-JSON), bib and ris
# (publist's BibTeX and RIS of the CSL-JSON records, written before the rows run).
W2_ROWS = [
    ("seed→bibtex", "seed", "bibtex", ("csl", "bibtex"), None),
    ("seed→ris", "seed", "ris", ("csl", "ris"), None),
    ("seed→csl-json", "seed", "csl-json", ("csl", "data"), None),
    ("csl-json→bibtex", "csl", "bibtex", ("csl", "bibtex"), ("csl", "csljson", "bibtex")),
    ("bibtex→csl-json", "bib", "csl-json", ("bib", "data"), ("bib", "bibtex", "csljson")),
    ("ris→csl-json", "ris", "csl-json", ("ris", "data"), ("ris", "ris", "csljson")),
]
EXTENSIONS = {"bibtex": ".bib", "ris": ".ris", "csl-json": ".json"}


def w2_inputs(work: Path, records: int, profile: str, needed: set[str]) -> dict[str, Path]:
    inputs = {
        "seed": write_seed(work / f"w2-{profile}.txt", records, seed=2, profile=profile),
        "csl": write_csl_json(work / f"w2-{profile}.json", records, seed=2, profile=profile),
    }
    for key, fmt in (("bib", "bibtex"), ("ris", "ris")):
        if key not in needed:
            continue
        inputs[key] = work / f"w2-{profile}.in{EXTENSIONS[fmt]}"
        subprocess.run(
            PUBLIST + ["convert", "-q", str(inputs["csl"]), "-t", fmt, "-o", str(inputs[key])],
            check=True,
        )
    return inputs


def _publist_rows(table: Table, name: str, args: list[str]) -> tuple[float | None, float | None]:
    """publist with the default workers and on one core: their times (None: no result)."""
    results = []
    for tool, env in (("publist", None), ("publist 1 core", {"PUBLIST_WORKERS": "1"})):
        seconds, mb, rc = timed(args, env=env, timeout=args_timeout())
        table.add(name, tool, seconds, mb, "" if rc == 0 else _failed(rc, seconds, mb))
        results.append(seconds if rc == 0 else None)
    return results[0], results[1]


def _peer_row(
    table: Table, name: str, tool: str, cmd: list[str], ours: float | None, one: float | None
) -> None:
    theirs, their_mb, rc = timed(cmd, timeout=args_timeout())
    outcome = both_ratios(ours, one, theirs) if rc == 0 else _failed(rc, theirs, their_mb)
    table.add(name, tool, theirs, their_mb, outcome)


def w2(
    table: Table,
    work: Path,
    records: int,
    peers: bool,
    only: set[str] | None = None,
    profile: str = "typical",
) -> None:
    rows = [row for row in W2_ROWS if not only or row[0] in only]
    inputs = w2_inputs(work, records, profile, {row[1] for row in rows})
    pandoc_bin = pandoc() if peers and not NO_PANDOC[0] else None
    citation_js = peers and node_ready()
    for label, source_key, fmt, cjs, pandoc_job in rows:
        name = f"W2 {profile} {label} {records:,}"
        source, output = inputs[source_key], work / f"w2.out{EXTENSIONS[fmt]}"
        args = PUBLIST + ["convert", "--no-meta", "-q", str(source), "-t", fmt, "-o", str(output)]
        ours, one_core = _publist_rows(table, name, args)
        floor_row(table, name, source, output, ours, one_core)
        if citation_js and cjs:
            script = str(NODE_PEERS / "citationjs_convert.js")
            cmd = ["node", "--max-old-space-size=16000", script, str(inputs[cjs[0]])]
            cmd += [str(work / "cjs.out"), cjs[1]]
            _peer_row(table, name, "Citation.js", cmd, ours, one_core)
        if pandoc_bin and pandoc_job:
            source_file, from_, to = inputs[pandoc_job[0]], pandoc_job[1], pandoc_job[2]
            cmd = [pandoc_bin, str(source_file), "-f", from_, "-t", to, "-o", str(work / "p.out")]
            _peer_row(table, name, "pandoc", cmd, ours, one_core)


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
            started, cpu_started = time.perf_counter(), time.process_time()
            run()
            LAST_CPU[0] = time.process_time() - cpu_started
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


def commit() -> str:
    """The checkout's commit (``+changes`` when the tree differs from it)."""
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        status = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return head + (" +changes" if status else "")


def machine_line() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(
                (line.split(":", 1)[1].strip() for line in info if line.startswith("model name")),
                cpu,
            )
    except OSError:
        pass
    return (
        f"machine: {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.platform()}; commit {commit()}"
    )


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
    parser.add_argument(
        "--peer-memory", type=float, default=8, help="stop a peer past this many GB (shared)"
    )
    parser.add_argument(
        "--profiles",
        default="typical,heavy",
        help="W2 corpus profiles (benchmarks/corpus.py): typical, heavy",
    )
    args = parser.parse_args()
    PEER_TIMEOUT[0] = args.peer_timeout
    PEER_MEMORY_MB[0] = args.peer_memory * 1024
    REPEAT[0] = max(1, args.repeat)
    NO_PANDOC[0] = args.no_pandoc
    w2_only = set(args.w2_jobs.split(",")) if args.w2_jobs else None
    if args.quick:
        args.w1_items, args.w2_records, args.w3_records = 200, 1_000, 10_000
    only = set((args.only or "W1,W2,W3,W4,W5").upper().split(","))
    table = Table()
    # publist's modules compiled first, as an install compiles them (with
    # PYTHONDONTWRITEBYTECODE set, a source tree would be compiled again on every run: ~0.3 s
    # in every publist row)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=False)
    print(machine_line())
    print(f"load average at start {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if "W1" in only:
            w1(table, work, args.w1_items, not args.no_peers)
        if "W2" in only:
            for profile in args.profiles.split(","):
                w2(table, work, args.w2_records, not args.no_peers, w2_only, profile)
        if "W3" in only:
            w3(table, args.w3_records)
        if "W4" in only:
            w4(table)
        if "W5" in only:
            w5(table, work, not args.no_peers, args.bib)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    print()
    print(machine_line())  # again above the tables, which are what gets copied
    print()
    print(table.markdown())


if __name__ == "__main__":
    main()
