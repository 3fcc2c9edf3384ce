"""The long-bibliography comparison: publist against citeproc-js on tests/long_corpus.py.

    python tests/conformance/long_compare.py [--items N] [--list] [--show N]
                                             [--raise-floor] [STYLE ...]

Renders the generated corpus (2,000 items by default) with publist and with citeproc-js (one
node run for all styles, tests/conformance/render_styles.js; citeproc-js installed from
package-lock.json on first use) in the ten conformance styles, text and HTML, and prints per
style: entries at the same position, entries identical as text and as HTML.  ``--list``
prints every difference (``--show N`` the first N per style).  Exit status 1 when any entry
differs.  Entries are compared as compare.py compares the fixtures (runs of white space as
one, none between HTML tags).  ``--raise-floor`` writes the counts of this run (which must
not be lower) to long-floor.json, which tests/test_render_long.py holds on its shorter corpus.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from compare import normalise  # noqa: E402
from generate import STYLES, ensure_node_tools, locales_dir  # noqa: E402
from long_corpus import long_corpus, preprint_seed  # noqa: E402

import publist  # noqa: E402
from publist.render import render_entries  # noqa: E402
from publist.render.styles import resolve  # noqa: E402

FORMATS = ("text", "html")
FLOOR_FILE = HERE / "long-floor.json"


@dataclass
class LongResult:
    style: str
    total: int = 0
    same_position: int = 0
    identical: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FORMATS, 0))
    differences: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """What the floor holds: entries at the same position, identical as text, as HTML."""
        return {"position": self.same_position, **self.identical}


def without_metadata() -> dict[str, list[dict]]:
    """The default path's records: the bundled seed read without its overlay, and a seed of
    preprints without identifiers (tests/long_corpus.py), each through publist's seed reader."""
    with tempfile.TemporaryDirectory() as tmp:
        preprints = Path(tmp) / "preprints.txt"
        preprints.write_text(preprint_seed(), encoding="utf-8")
        return {
            "seed-bare": publist.read(
                ROOT / "seeds" / "hussenot-leonard.txt", meta=False
            ).to_list(),
            "preprints": publist.read(preprints).to_list(),
        }


# the citation options that make a style disambiguate (``--no-disambiguation`` drops them)
_DISAMBIGUATION_OPTIONS = re.compile(
    rb'\s(?:disambiguate-add-(?:givenname|names|year-suffix)|givenname-disambiguation-rule)="[^"]*"'
)


def without_disambiguation(style: str, folder: Path) -> str:
    """A copy of ``style`` (in ``folder``) that does not disambiguate: what still differs on
    it is not disambiguation.  Returns its path, which publist and citeproc-js both take."""
    path = folder / f"{style}.csl"
    path.write_bytes(_DISAMBIGUATION_OPTIONS.sub(b"", resolve(style).xml))
    return str(path)


def citeproc_js(items: list[dict], styles: list[str]) -> dict[str, dict]:
    """citeproc-js's bibliography of ``items`` in every style (a name or a .csl path):
    {style file stem: {order, text, html}}."""
    ensure_node_tools()
    with tempfile.TemporaryDirectory() as tmp:
        items_path = Path(tmp) / "items.json"
        items_path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
        style_paths = []
        for style in styles:
            style_path = Path(tmp) / f"{Path(style).stem}.csl"
            style_path.write_bytes(resolve(style).xml)
            style_paths.append(str(style_path))
        run = subprocess.run(
            ["node", str(HERE / "render_styles.js"), str(items_path), str(locales_dir())]
            + style_paths,
            capture_output=True,
            check=True,
            text=True,
        )
    return json.loads(run.stdout)


def _expected(items: list[dict], styles: list[str], cache: Path | None) -> dict[str, dict]:
    """citeproc-js's output, from ``cache`` when it holds these items and styles (the same
    style files: a style without its disambiguation is another style)."""
    sources = {Path(s).stem: hashlib.sha256(resolve(s).xml).hexdigest() for s in styles}
    if cache is not None and cache.exists():
        kept = json.loads(cache.read_text("utf-8"))
        held = kept.get("sources", {})
        if kept.get("items") == items and all(held.get(k) == v for k, v in sources.items()):
            return kept["styles"]
    expected = citeproc_js(items, styles)
    if cache is not None:
        kept = {"items": items, "styles": expected, "sources": sources}
        cache.write_text(json.dumps(kept), encoding="utf-8")
    return expected


def compare_style(items: list[dict], style: str, expected: dict) -> LongResult:
    """``style`` (a name or a .csl path) rendered by publist against citeproc-js's output."""
    result = LongResult(Path(style).stem, total=len(expected["order"]))
    for fmt in FORMATS:
        entries = render_entries(items, style, fmt)
        if fmt == "text":
            order = [entry.id for entry in entries]
            pairs = list(zip(order, expected["order"], strict=False))
            result.same_position = sum(ours == theirs for ours, theirs in pairs)
            for position, (ours, theirs) in enumerate(pairs):
                if ours != theirs:
                    result.differences.append(f"position {position}: {ours} for {theirs}")
        for entry in entries:
            ours = normalise(entry.line(fmt), fmt == "html")
            theirs = normalise(expected[fmt].get(entry.id, ""), fmt == "html")
            if ours == theirs:
                result.identical[fmt] += 1
            else:
                result.differences.append(
                    f"{entry.id} {fmt}\n    publist:     {ours}\n    citeproc-js: {theirs}"
                )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("styles", nargs="*", default=STYLES)
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument(
        "--bare",
        action="store_true",
        help="the seed without its overlay and a seed of preprints instead of the corpus",
    )
    parser.add_argument("--list", action="store_true", help="print every difference")
    parser.add_argument("--show", type=int, default=0, help="print the first N differences")
    parser.add_argument("--raise-floor", action="store_true", help="write long-floor.json")
    parser.add_argument(
        "--js-cache", type=Path, help="keep citeproc-js's output in this file and reuse it"
    )
    parser.add_argument(
        "--no-disambiguation",
        action="store_true",
        help="both processors on the styles without their disambiguation options",
    )
    args = parser.parse_args(argv)
    if args.bare:
        return compare_bare(args.styles, args.raise_floor)
    if args.no_disambiguation and args.raise_floor:
        parser.error("--raise-floor keeps the styles' own figures")
    with tempfile.TemporaryDirectory() as tmp:
        if args.no_disambiguation:
            args.styles = [without_disambiguation(s, Path(tmp)) for s in args.styles]
        return _compare_corpus(args)


def _compare_corpus(args: argparse.Namespace) -> int:
    items = long_corpus(args.items)
    expected = _expected(items, args.styles, args.js_cache)
    failed = False
    floors = {}
    for path in args.styles:
        style = Path(path).stem
        result = compare_style(items, path, expected[style])
        floors[style] = result.counts()
        n = result.total
        print(
            f"{style}: same position {result.same_position}/{n}, identical text "
            f"{result.identical['text']}/{n}, html {result.identical['html']}/{n}"
        )
        shown = result.differences if args.list else result.differences[: args.show]
        for line in shown:
            print(f"  {line}")
        failed = failed or bool(result.differences)
    if args.raise_floor:
        raise_floor(args.items, floors)
    return 1 if failed else 0


def compare_bare(styles: list[str], keep_floor: bool = False) -> int:
    failed = False
    for corpus, items in without_metadata().items():
        expected = citeproc_js(items, styles)
        floors = {}
        for style in styles:
            result = compare_style(items, style, expected[style])
            floors[style] = result.counts()
            n = result.total
            print(
                f"{corpus} {style}: same position {result.same_position}/{n}, identical "
                f"text {result.identical['text']}/{n}, html {result.identical['html']}/{n}"
            )
            for line in result.differences:
                print(f"  {line}")
            failed = failed or bool(result.differences)
        if keep_floor:
            raise_floor(corpus, floors)
    return 1 if failed else 0


def raise_floor(items: int | str, counts: dict[str, dict[str, int]]) -> None:
    """Keep ``counts`` as the floor for ``items`` items (or a named corpus); a floor never
    goes down."""
    floors = json.loads(FLOOR_FILE.read_text("utf-8")) if FLOOR_FILE.exists() else {}
    kept = floors.get(str(items), {})
    for style, new in counts.items():
        old = kept.get(style, {})
        lower = [k for k, v in new.items() if v < old.get(k, 0)]
        if lower:
            raise SystemExit(f"{style}: {', '.join(lower)} below the floor {old}")
        kept[style] = new
    floors[str(items)] = kept
    FLOOR_FILE.write_text(json.dumps(floors, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
