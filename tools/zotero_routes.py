"""Which route into Zotero keeps what: publist's RIS, BibTeX, biblatex, CSL-JSON and Zotero-
flavoured CSL-JSON output, imported by Zotero's own translators, compared with the records.

    python tools/zotero_routes.py [--import-script /tmp/peers/zotero_import.sh] SOURCE...

Prints, per source, a Markdown table (per route: items imported, creators exact, item type
right, venue / DOI / arXiv id / URL / date / abstract kept) and, per CSL type, the routes that
keep everything.  It needs Zotero's translators (the peers' ``zotero_import.sh``); the tests
check the structures it measures without them (tests/test_zotero_routes.py).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import publist
from publist.identifiers import arxiv_id

ROUTES = {  # route -> (publist format, file extension Zotero's importer picks its translator by)
    "RIS": ("ris", ".ris"),
    "BibTeX": ("bibtex", ".bib"),
    "biblatex": ("biblatex", ".bib"),
    "CSL-JSON": ("csl-json", ".json"),
    "CSL-JSON (zotero)": ("zotero", ".json"),
}

# The Zotero item type a CSL type should arrive as (Zotero's own CSL mapping).
ZOTERO_TYPES = {
    "article-journal": "journalArticle",
    "article-magazine": "magazineArticle",
    "article-newspaper": "newspaperArticle",
    "paper-conference": "conferencePaper",
    "report": "report",
    "article": "preprint",
    "book": "book",
    "chapter": "bookSection",
    "thesis": "thesis",
    "webpage": "webpage",
    "post-weblog": "blogPost",
    "dataset": "dataset",
    "software": "computerProgram",
    "manuscript": "manuscript",
    "patent": "patent",
    "speech": "presentation",
    "document": "document",
}
NAME_VARS = ("author", "editor", "collection-editor", "translator")
CHECKS = ("creators", "type", "venue", "DOI", "arXiv", "URL", "date", "abstract")


def expected_creator(name: dict) -> tuple[str, str]:
    """(lastName, firstName) as Zotero stores the name: particles in the last name, a suffix
    after a comma in the first name; an organisation as one field."""
    if "literal" in name:
        return (name["literal"], "")
    last = " ".join(p for p in (name.get("non-dropping-particle"), name.get("family")) if p)
    first = " ".join(p for p in (name.get("given"), name.get("dropping-particle")) if p)
    if name.get("suffix"):
        first = f"{first}, {name['suffix']}"
    return (last, first)


def _stored(zotero: dict) -> dict:
    """The fields Zotero would keep (not the ones its item type refuses)."""
    invalid = set(zotero.get("_invalidFields") or [])
    return {k: v for k, v in zotero.items() if k not in invalid and not k.startswith("_")}


def _text_of(zotero: dict) -> str:
    parts = []
    for key, value in _stored(zotero).items():
        if key in ("creators", "title", "notes", "tags", "attachments", "seeAlso"):
            continue
        if isinstance(value, str):
            parts.append(value)
    parts += [n.get("note", "") if isinstance(n, dict) else str(n) for n in zotero.get("notes", [])]
    return "\n".join(parts)


def _venue(item: dict) -> str | None:
    return item.get("container-title") or item.get("event-title") or item.get("publisher")


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def date_parts_of(text: str) -> list[int]:
    """[year, month, day] of a date as Zotero stores it (``2024-03-01``, ``March 1, 2024``)."""
    month = next((i + 1 for i, m in enumerate(_MONTHS) if m in text.lower()), None)
    numbers = [int(d) for d in re.findall(r"\d+", text)]
    if month is None:
        return numbers[:3]
    year = [n for n in numbers if n > 31][:1]
    day = [n for n in numbers if n <= 31][:1]
    return year + [month] + day if year else []


def _date_kept(item: dict, zotero: dict) -> bool:
    parts = (item.get("issued") or {}).get("date-parts", [[]])[0]
    stored = _stored(zotero)
    date = next((stored[k] for k in _DATE_FIELDS if stored.get(k)), "")
    return date_parts_of(str(date)) == parts


# Zotero's date field and the type-specific fields based on it (a patent's issueDate, …)
_DATE_FIELDS = ("date", "issueDate", "dateDecided", "dateEnacted")


CHECKERS: dict[str, tuple[Callable[[dict], object], Callable[[dict, dict], bool]]] = {
    # check -> (does the record have it, did Zotero keep it)
    "creators": (
        lambda i: any(i.get(v) for v in NAME_VARS),
        lambda i, z: (
            sorted(expected_creator(n) for v in NAME_VARS for n in i.get(v) or [])
            == sorted(
                (c.get("lastName", ""), c.get("firstName", "")) for c in z.get("creators", [])
            )
        ),
    ),
    "type": (lambda i: True, lambda i, z: z.get("itemType") == ZOTERO_TYPES.get(i["type"])),
    "venue": (_venue, lambda i, z: _venue(i) in _text_of(z)),
    "DOI": (lambda i: i.get("DOI"), lambda i, z: i["DOI"] in _text_of(z)),
    "arXiv": (arxiv_id, lambda i, z: arxiv_id(i) in _text_of(z)),
    "URL": (lambda i: i.get("URL"), lambda i, z: i["URL"] in _text_of(z)),
    "date": (lambda i: i.get("issued"), _date_kept),
    "abstract": (
        lambda i: i.get("abstract"),
        lambda i, z: _stored(z).get("abstractNote", "").strip() == i["abstract"].strip(),
    ),
}


def _title_key(title: str) -> str:
    return re.sub(r"[\W_]+", "", title).casefold()


def compare(item: dict, zotero: dict | None) -> dict[str, bool | None]:
    """Per check: True kept, False lost, None not applicable (the record has none); a record
    Zotero did not import (``zotero`` None) loses everything it has."""
    result: dict[str, bool | None] = {}
    for check, (applies, kept) in CHECKERS.items():
        if not applies(item):
            result[check] = None
        else:
            result[check] = zotero is not None and kept(item, zotero)
    return result


def import_route(script: str, items_source: Path, fmt: str, ext: str, work: Path) -> list[dict]:
    out = work / f"{items_source.stem}.{fmt}{ext}"
    publist.convert(items_source, out, fmt)
    run = subprocess.run([script, str(out)], capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        raise SystemExit(f"{script} {out}: {run.stderr.strip()}")
    return json.loads(run.stdout)["items"]


def measure(script: str, source: Path) -> tuple[list[dict], dict[str, list[dict]]]:
    items = publist.read(source).to_list()
    results: dict[str, list[dict]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for route, (fmt, ext) in ROUTES.items():
            imported = import_route(script, source, fmt, ext, Path(tmp))
            by_title = {_title_key(z.get("title", "")): z for z in imported}
            results[route] = [
                compare(i, by_title.get(_title_key(i.get("title", "")))) for i in items
            ]
            results[route + "#imported"] = [{"n": len(imported)}]
    return items, results


def _cell(rows: list[dict], check: str) -> str:
    applicable = [r[check] for r in rows if r[check] is not None]
    return f"{sum(applicable)}/{len(applicable)}" if applicable else "–"


def table(source: Path, items: list[dict], results: dict[str, list[dict]]) -> str:
    head = "| route | items imported | " + " | ".join(CHECKS) + " |"
    lines = [
        f"**{source.name}** ({len(items)} records)",
        "",
        head,
        "|" + " --- |" * (2 + len(CHECKS)),
    ]
    for route in ROUTES:
        rows = results[route]
        n = results[route + "#imported"][0]["n"]
        cells = [_cell(rows, c) for c in CHECKS]
        lines.append(f"| {route} | {n}/{len(items)} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def best_routes(items: list[dict], results: dict[str, list[dict]]) -> str:
    lines = [
        "| CSL type | routes that keep everything | what the others lose |",
        "| --- | --- | --- |",
    ]
    for index, item in enumerate(items):
        full, losses = [], []
        for route in ROUTES:
            lost = [c for c, ok in results[route][index].items() if ok is False]
            if lost:
                losses.append(f"{route}: {', '.join(lost)}")
            else:
                full.append(route)
        lines.append(f"| {item['type']} | {', '.join(full) or '–'} | {'; '.join(losses)} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", nargs="+", type=Path)
    parser.add_argument("--import-script", default="/tmp/peers/zotero_import.sh")
    parser.add_argument("--by-type", action="store_true", help="also list routes per record")
    args = parser.parse_args(argv)
    for source in args.sources:
        items, results = measure(args.import_script, source)
        print(table(source, items, results) + "\n")
        if args.by_type:
            print(best_routes(items, results) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
