"""Regenerate the conformance fixtures: the corpora rendered by citeproc-js.

    python tests/conformance/generate.py      (installs citeproc-js with npm on first use)

Styles are resolved by publist's own resolver (so both processors get the same independent
style file), locales come from citeproc-py's data, the corpora are the bundled seed (with its
overlay) and the hard-case corpus of tests/corpus.py.  Fixtures are committed; the test suite
compares publist's output with them.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from corpus import hard_cases  # noqa: E402

import publist  # noqa: E402
from publist.render.styles import resolve  # noqa: E402

STYLES = [
    "apa",
    "ieee",
    "chicago-author-date",
    "modern-language-association",
    "nature",
    "harvard-cite-them-right",
    "american-chemical-society",
    "acm-sig-proceedings",
    "nlm-citation-sequence",
    "springer-basic-author-date",
]


def corpora() -> dict[str, list[dict]]:
    return {
        "seed": publist.read(ROOT / "seeds" / "hussenot-leonard.txt").to_list(),
        "hard": hard_cases(),
    }


def locales_dir() -> Path:
    import citeproc

    return Path(citeproc.__file__).parent / "data" / "locales"


def ensure_node_tools() -> Path:
    """citeproc-js and the W3C HTML checker, installed from package-lock.json on first use."""
    modules = HERE / "node_modules"
    if not ((modules / "citeproc").is_dir() and (modules / "vnu-jar").is_dir()):
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE, check=True
        )
    return modules


def main(out_dir: Path | None = None) -> None:
    ensure_node_tools()
    out_dir = out_dir or HERE / "fixtures"
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for corpus, items in corpora().items():
            items_path = Path(tmp) / f"{corpus}.json"
            items_path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
            for style in STYLES:
                source = resolve(style)
                style_path = Path(tmp) / f"{style}.csl"
                style_path.write_bytes(source.xml)
                run = subprocess.run(
                    [
                        "node",
                        str(HERE / "render_js.js"),
                        str(items_path),
                        str(style_path),
                        str(locales_dir()),
                    ],
                    capture_output=True,
                    check=True,
                    text=True,
                )
                data = json.loads(run.stdout)
                target = out_dir / f"{corpus}-{style}.json"
                target.write_text(
                    json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
                )
                print(f"{target}: {len(data['order'])} entries")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
