"""Where publist's time goes per record, on one core: each stage of a conversion timed alone.

    python benchmarks/stages.py [N] [heavy|typical]

Stages (CPU time of this process, best of 3, in µs per record): reading the seed's lines;
parsing records (names); citation keys; decoding and checking the same records as CSL-JSON;
each writer's formatting of the parsed items; within
the BibTeX writer, the LaTeX escaping of titles, abstracts and venues and the names.
"""

from __future__ import annotations

import io
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "src")]

from corpus import write_csl_json, write_seed  # noqa: E402


def best(run: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        started = time.process_time()
        run()
        times.append(time.process_time() - started)
    return min(times)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    profile = sys.argv[2] if len(sys.argv) > 2 else "typical"
    import publist
    from publist.formats import bibtex, csljson, seed
    from publist.keys import KeyAllocator
    from publist.latex import Encoder
    from publist.lines import numbered_lines

    with tempfile.TemporaryDirectory() as tmp:
        path = write_seed(Path(tmp) / "corpus.txt", count, 2, profile=profile)
        data = path.read_bytes()
        size = len(data)

        def lines() -> list:
            return list(numbered_lines(io.BytesIO(data), "c"))

        numbered = lines()
        raws = list(seed._raw_records(iter(numbered[1:]), "c"))
        items = [seed.parse_record(raw, "c") for raw in raws]

        def keys() -> None:
            allocator = KeyAllocator()
            for item in items:
                allocator.key_for(item)

        for number, item in enumerate(items):
            item["id"] = f"k{number}"
        rows: list[tuple[str, float]] = [
            ("plain Python: read the lines", best(lambda: data.decode().split("\n"))),
            ("seed: lines (numbered, decoded)", best(lines)),
            ("seed: records and names", best(lambda: [seed.parse_record(r, "c") for r in raws])),
            ("citation keys", best(keys)),
        ]
        # reading CSL-JSON (what a worker does with a pack of the array's bytes): decoding
        # with json's C decoder, then checking each item as CSL-JSON allows it
        json_path = write_csl_json(Path(tmp) / "corpus.json", count, 2, profile=profile)
        json_text = json_path.read_text(encoding="utf-8")

        def decode_and_check() -> None:
            for index, value in enumerate(json.loads(json_text), 1):
                csljson.check_item(value, f"item {index}", "c")

        rows += [
            ("csl-json: decode (json.loads)", best(lambda: json.loads(json_text))),
            ("csl-json: decode and check the items", best(decode_and_check)),
        ]
        for fmt in ("bibtex", "ris", "csl-json"):
            rows.append(
                (f"write {fmt}", best(lambda fmt=fmt: publist.write(items, io.StringIO(), fmt)))
            )
        encoder = Encoder(ascii_only=True)
        for label, var, protect in (
            ("title", "title", True),
            ("abstract", "abstract", False),
        ):
            texts = [str(item[var]) for item in items if item.get(var)]
            rows.append(
                (
                    f"  of which LaTeX: {label}s",
                    best(lambda texts=texts, p=protect: [encoder.text(t, "w", p) for t in texts]),
                )
            )
        writer = bibtex.BibWriter(False)
        rows.append(
            (
                "  of which names",
                best(lambda: [writer._names(item["author"], "w") for item in items]),
            )
        )
    print(f"{count:,} {profile} records, {size / count:.0f} bytes of seed a record")
    for label, seconds in rows:
        print(f"{label:<36} {seconds / count * 1e6:8.1f} µs/record")


if __name__ == "__main__":
    main()
