"""Write src/publist/data/pdflatex-chars.csv: the characters pdflatex typesets from UTF-8 input
(inputenc utf8 with the encodings a T1 document has: T1, OT1, OMS, TS1, and utf8.def's own).

Run where TeX Live is installed: ``python tools/pdflatex_chars.py``.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

SOURCES = ("t1enc.dfu", "ot1enc.dfu", "omsenc.dfu", "ts1enc.dfu", "utf8.def")
OUT = Path(__file__).resolve().parent.parent / "src" / "publist" / "data" / "pdflatex-chars.csv"


def main() -> None:
    points: set[int] = set()
    for name in SOURCES:
        path = subprocess.run(
            ["kpsewhich", name], capture_output=True, text=True, check=True
        ).stdout.strip()
        text = Path(path).read_text(encoding="latin-1")
        found = re.findall(r"\\DeclareUnicodeCharacter\{([0-9A-Fa-f]+)\}", text)
        points |= {int(h, 16) for h in found}
    lines = ["codepoint"] + [f"{p:04X}" for p in sorted(points) if p > 0x7F]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
