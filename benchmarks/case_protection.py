"""Measure title case protection on real .bib files: what the BibTeX writer braces.

    python benchmarks/case_protection.py FILE.bib ...

Each title is read by publist's .bib reader (the authors' own braces go away, as they do
for a title from RIS or CSL-JSON) and written again by the BibTeX writer.  Printed: how many
titles read as sentence case, how many words the writer braces because they have a capital
inside (``WARP``, ``GPT-4``) and because they are capitalised words of a sentence-cased title
(``Gemini``), and every title of the second kind with its braced words, to be judged by eye.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "src")]

import publist  # noqa: E402
from publist.errors import PublistError  # noqa: E402
from publist.latex import Encoder, sentence_case  # noqa: E402

_BRACED = re.compile(r"\{([^{}\\]+)\}")


def titles(paths: list[str]) -> list[str]:
    found = []
    for path in paths:
        try:
            items = list(publist.read(Path(path), "bibtex"))
        except PublistError as err:
            print(f"skipped {path}: {err}", file=sys.stderr)
            continue
        found += [" ".join(str(item["title"]).split()) for item in items if item.get("title")]
    return found


def main() -> None:
    found = titles(sys.argv[1:])
    encoder = Encoder(ascii_only=False)
    inner: Counter[str] = Counter()
    proper: Counter[str] = Counter()
    examples = []
    for title in found:
        braced = _BRACED.findall(encoder.text(title, "t", protect_case=True))
        capitalised = [w for w in braced if w[:1].isupper() and w[1:] == w[1:].lower()]
        inner.update(w for w in braced if w not in capitalised)
        proper.update(capitalised)
        if capitalised:
            examples.append((capitalised, title))
    sentence = sum(1 for title in found if sentence_case(title))
    print(f"{len(found)} titles from {len(sys.argv) - 1} files; {sentence} in sentence case")
    print(f"braced for a capital inside: {sum(inner.values())} words")
    print(
        f"braced as capitalised words of a sentence-cased title: {sum(proper.values())} words "
        f"in {len(examples)} titles"
    )
    for words, title in examples:
        print(f"  {' '.join(words):<40} | {title[:100]}")


if __name__ == "__main__":
    main()
