"""The .bib corpus (tests/data/bib, modelled on real exporters) read by publist, biber and pandoc.

For every file, publist's CSL-JSON is compared with biber's reading (``biber --tool
--output-resolve``, parsed by bibtexparser and decoded by pylatexenc, not by publist) and with
pandoc's (``pandoc -f biblatex -t csljson``): titles, names in order, year, container,
publisher, DOI.  Where publist reads differently on purpose, the difference is listed below with
its reason and publist's value is asserted.  Then the whole corpus goes .bib → CSL-JSON →
BibTeX/biblatex and must compile with 0 errors under bibtex and biber.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import bibtexparser
import pytest
from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from helpers import DATA, require_module, require_tools
from texcheck import compile_bib

import publist
from publist.richtext import to_plain
from publist.texdecode import decode_text

BIB = DATA / "bib"
CORPUS = sorted(BIB.glob("*.bib"))
# problems.bib is made of what biber rejects or warns about: it is checked by its warnings
COMPARED = [p for p in CORPUS if p.name != "problems.bib"]
FIELDS = ("title", "authors", "year", "container", "publisher", "DOI")

# (file, key, field) -> (publist's value, why it differs from biber's)
BIBER_DIFFERENCES: dict[tuple[str, str, str], tuple[object, str]] = {
    ("zotero-better-biblatex.bib", "openai_2023", "publisher"): (
        "arXiv",
        "an arXiv eprint gets what Zotero writes for a preprint: publisher arXiv, its DOI",
    ),
    ("zotero-better-biblatex.bib", "openai_2023", "DOI"): (
        "10.48550/arXiv.2303.08774",
        "an arXiv eprint gets what Zotero writes for a preprint: publisher arXiv, its DOI",
    ),
    ("mendeley.bib", "Avendano2014", "DOI"): (
        "10.1016/j.jcp.2014.02.009",
        "a DOI written as a URL is read as the bare DOI (#14 item 9); biber keeps the text",
    ),
    ("mendeley.bib", "Kumar2017", "DOI"): (
        "10.1109/CVPR.2017.243",
        "'doi:' prefix dropped (#14 item 9)",
    ),
    ("endnote.bib", "RN12", "DOI"): (
        "10.1016/S2213-2600(14)70251-3",
        "a DOI written as a URL is read as the bare DOI (#14 item 9)",
    ),
    ("handwritten.bib", "water2015", "DOI"): (
        "10.1038/nchem.2015",
        "a DOI written as a URL is read as the bare DOI (#14 item 9)",
    ),
    ("handwritten.bib", "talk2021", "container"): (
        None,
        "a howpublished holding only a URL is the item's URL, not its container (#14 item 11)",
    ),
    ("google-scholar.bib", "trusov2019pspnet", "container"): (
        None,
        "a howpublished holding only a URL is the item's URL, not its container (#14 item 11)",
    ),
}
# (file, key, field) -> (publist's value, why it differs from pandoc's)
_MATH = "pandoc leaves TeX math ($\\mu$, $_2$) as TeX in CSL-JSON; LaTeX prints μ, a subscript"
_URL_PUBLISHER = (
    "a howpublished holding only a URL is the item's URL; pandoc makes it the publisher"
)
PANDOC_DIFFERENCES: dict[tuple[str, str, str], tuple[object, str]] = {
    ("bibdesk.bib", "Roe:2019aa", "title"): (
        "Protein folding at the μs time scale in <i>E. coli</i>",
        _MATH,
    ),
    ("bibdesk.bib", "Doe:2020", "title"): (
        "Scaling laws for CO<sub>2</sub> capture with 10<sup>6</sup> sensors",
        _MATH,
    ),
    ("handwritten.bib", "water2015", "title"): (
        "Splitting H<sub>2</sub>O at 10°C: <b>bold</b> claims and "
        '<span style="font-variant:small-caps;">Small Caps</span>',
        _MATH,
    ),
    ("handwritten.bib", "animal2010", "title"): (
        "Tracking with μJ pulses",
        "pandoc drops the argument of \\mbox ('j pulses'); LaTeX prints it (#14 item 8)",
    ),
    ("handwritten.bib", "animal2010", "container"): (
        "G-Animal's Journal",
        "pandoc drops the argument of \\mbox (' Journal'); LaTeX prints it (#14 item 8)",
    ),
    ("handwritten.bib", "goethe1998", "publisher"): (
        "Deutscher Taschenbuch Verlag and Walter de Gruyter",
        "publist keeps biblatex's 'and' between publishers as text (as biblatex prints it); "
        "pandoc joins the list with '; '",
    ),
    ("handwritten.bib", "talk2021", "publisher"): (None, _URL_PUBLISHER),
    ("google-scholar.bib", "trusov2019pspnet", "publisher"): (None, _URL_PUBLISHER),
    ("biblatex-types.bib", "jnl", "title"): (
        "A Journal Issue",
        "a @periodical's title is the periodical (biblatex manual §2.1.1); pandoc makes its "
        "issuetitle the title",
    ),
    ("biblatex-types.bib", "jnl", "container"): (None, "(the same @periodical rule)"),
    ("zotero-better-biblatex.bib", "who_2020_ongoing", "year"): (
        2020,
        "publist reads the open range 2020/.. (biber does); pandoc gives no date",
    ),
    ("jabref.bib", "STOC1971", "container"): (
        "Proceedings of the Third Annual ACM Symposium on Theory of Computing",
        "a @proceedings's own booktitle is kept (biber keeps it too); pandoc drops it",
    ),
    ("jabref.bib", "Knuth1997chapter", "container"): (
        None,
        "biber's inheritance table has no book → incollection title rule, so no booktitle is "
        "inherited (biber agrees); pandoc copies the book's title",
    ),
}


def _norm(value: object) -> object:
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFC", to_plain(value))
    text = re.sub(r"<[^>]+>", "", text)  # pandoc's own spans
    text = text.replace("\u00a0", " ").replace("–", "-").replace("—", "-").replace("’", "'")
    text = re.sub(r"\s+", " ", text).strip().casefold()
    return text or None


# --- publist -------------------------------------------------------------------------------------


def _family(name: dict) -> str:
    if "literal" in name:
        return name["literal"]
    parts = (name.get("dropping-particle"), name.get("non-dropping-particle"), name.get("family"))
    return " ".join(p for p in parts if p)


def _year(issued: object) -> int | None:
    if isinstance(issued, dict) and issued.get("date-parts"):
        return int(issued["date-parts"][0][0])
    return None


def publist_record(item: dict) -> dict:
    return {
        "title": item.get("title"),
        "authors": [_family(n) for n in item.get("author", [])] or None,
        "year": _year(item.get("issued")),
        "container": item.get("container-title"),
        "publisher": item.get("publisher"),
        "DOI": item.get("DOI"),
    }


def publist_records(path: Path) -> dict[str, dict]:
    return {item["id"]: publist_record(item) for item in publist.read(path)}


# --- biber ---------------------------------------------------------------------------------------


def _decode(text: str | None) -> str | None:
    """biber passes LaTeX on as it is: its text is decoded as publist decodes titles, so that
    this comparison is about the syntax (macros, #, crossref, names); what the LaTeX means is
    checked against the PDF LaTeX makes (test_decoded_text_is_what_latex_prints)."""
    if text is None:
        return None
    return decode_text(text, rich=False)[0]


def _biber_names(value: str | None) -> list[str] | None:
    if not value:
        return None
    families = []
    for raw in split_multiple_persons_names(value):
        parts = parse_single_name_into_parts(raw, strict=False)
        families.append(_decode(" ".join(parts.von + parts.last)))
    return families


def _biber_year(date: str | None) -> int | None:
    match = re.match(r"^(-?\d{1,4})", (date or "").strip())
    if not match:
        return None
    year = int(match.group(1))
    return year if year > 0 else year - 1  # ISO 8601 has a year 0 (1 BCE); CSL has not


def _field(entry, *names: str) -> str | None:
    for name in names:
        field = entry.fields_dict.get(name.upper()) or entry.fields_dict.get(name)
        if field is not None and str(field.value).strip():
            return str(field.value)
    return None


def biber_records(path: Path, workdir: Path) -> dict[str, dict] | None:
    """What biber resolves; None when biber writes nothing (a syntax error it cannot pass)."""
    workdir.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, workdir / path.name)
    out = workdir / "resolved.bib"
    subprocess.run(
        ["biber", "--tool", "--output-format=bibtex", "--output-resolve",
         f"--output-file={out}", path.name],
        cwd=workdir, capture_output=True, timeout=300, check=False,
    )  # fmt: skip
    if not out.exists():
        return None
    library = bibtexparser.parse_string(out.read_text(encoding="utf-8"))
    records = {}
    for entry in library.entries:
        if entry.entry_type.lower() == "xdata":  # data for other entries, not an item
            continue
        how = _field(entry, "howpublished")
        if how and re.match(r"^\s*\\url\{", how):
            how = None
        records[entry.key] = {
            "title": _decode(_field(entry, "title")),
            "authors": _biber_names(_field(entry, "author")),
            "year": _biber_year(_field(entry, "date", "year")),
            "container": _decode(_field(entry, "journaltitle", "booktitle") or how),
            "publisher": _decode(_field(entry, "publisher", "institution", "organization")),
            "DOI": _field(entry, "doi"),
        }
    return records


# --- pandoc --------------------------------------------------------------------------------------


def pandoc_records(path: Path) -> dict[str, dict]:
    pypandoc = require_module("pypandoc")
    pandoc = pypandoc.get_pandoc_path()
    result = subprocess.run(
        [pandoc, "-f", "biblatex", "-t", "csljson", str(path)],
        capture_output=True, timeout=300, check=True,
    )  # fmt: skip
    return {item["id"]: publist_record(item) for item in json.loads(result.stdout)}


# --- comparisons ---------------------------------------------------------------------------------


def _compare(ours: dict, theirs: dict, file: str, differences: dict) -> list[str]:
    problems = []
    for key, their in theirs.items():
        assert key in ours, f"{file}: {key} read by the peer but not by publist"
        for field in FIELDS:
            mine = ours[key][field]
            listed = differences.get((file, key, field))
            if listed is not None:
                if _norm_all(mine) != _norm_all(listed[0]):
                    problems.append(f"{key}.{field}: {mine!r}, listed as {listed[0]!r}")
            elif _norm_all(mine) != _norm_all(their[field]):
                problems.append(f"{key}.{field}: publist {mine!r} ≠ peer {their[field]!r}")
    return problems


def _norm_all(value: object) -> object:
    if isinstance(value, list):
        return [_norm(v) for v in value]
    return _norm(value)


def _without_keyless(path: Path, tmp_path: Path) -> Path:
    """The file without Mendeley's keyless entries, which neither peer reads."""
    text = path.read_text(encoding="utf-8")
    copy = tmp_path / path.name
    copy.write_text(re.sub(r"(?m)^@\w+\{,\n(?:.*\n)*?\}\n", "", text), encoding="utf-8")
    return copy


@pytest.mark.parametrize("path", COMPARED, ids=lambda p: p.name)
def test_same_reading_as_biber(path: Path, tmp_path: Path) -> None:
    require_tools("biber")
    if path.name == "mendeley.bib":
        path = _without_keyless(path, tmp_path)  # biber stops there and writes nothing
    theirs = biber_records(path, tmp_path / "biber")
    assert theirs, "biber read nothing"
    assert _compare(publist_records(path), theirs, path.name, BIBER_DIFFERENCES) == []
    assert len(publist_records(path)) == len(theirs)


@pytest.mark.parametrize("path", COMPARED, ids=lambda p: p.name)
def test_same_reading_as_pandoc(path: Path, tmp_path: Path) -> None:
    if path.name == "mendeley.bib":
        path = _without_keyless(path, tmp_path)  # pandoc refuses the whole file (exit 64)
    theirs = pandoc_records(path)
    differences = {**BIBER_DIFFERENCES, **PANDOC_DIFFERENCES}
    assert _compare(publist_records(path), theirs, path.name, differences) == []


def test_keyless_entries_get_keys_and_biber_drops_them(tmp_path: Path) -> None:
    """Mendeley's ``@article{,``: biber stops on the file; publist keeps every entry, giving the
    keyless ones generated keys with a warning naming their line."""
    require_tools("biber")
    path = BIB / "mendeley.bib"
    collection = publist.read(path)
    ours = collection.to_list()
    assert biber_records(path, tmp_path) is None
    assert len(ours) == 4
    assert [i["id"] for i in ours[:2]] == ["hochbaum2008enhanced", "kittel2005introduction"]
    keyless = [w for w in collection.warnings if w.startswith(f"{path}:") and "without a key:" in w]
    assert [w.line for w in keyless] == [6, 21]


def test_round_trip_compiles_under_bibtex_and_biber(tmp_path: Path) -> None:
    require_tools("pdflatex", "bibtex", "biber")
    items = []
    for path in COMPARED:
        items += publist.read(path).to_list()
    json_path = tmp_path / "corpus.json"
    publist.write(items, json_path, format="csl-json")
    reported: set[str] = set()
    for fmt, backend, style in (("bibtex", "bibtex", "plain"), ("biblatex", "biber", "authoryear")):
        bib = tmp_path / f"corpus.{fmt}.bib"
        warnings = publist.convert(json_path, bib, to=fmt)
        # characters with no LaTeX form (ễ, ✩) are reported by each writer; the document
        # declares them (pdflatex has no glyph) and nothing else: the biblatex writer writes μ
        # as a command, not as UTF-8 pdflatex cannot typeset
        reported = {
            c for w in warnings if "no LaTeX form" in w for c in w if ord(c) > 127 and c != "…"
        }
        result = compile_bib(bib, tmp_path / fmt, backend, style, declare_chars=reported)
        assert result.errors == [], (fmt, result.errors[:5])
        assert result.bbl_entries == len(items), fmt


# --- what LaTeX prints ---------------------------------------------------------------------------

_PRINTED = {  # key -> publist's plain title, as pdftotext reads it from the biblatex PDF
    "knuth1986tex": "TeX: The Program",
    "hyphen2012": "A methodology-independent view of “open” science",
    "animal2010": "Tracking with μJ pulses",
    "goethe1998": "Deutscher Taschenbuch Verlag and Walter de Gruyter",
    "talk2021": "How to keep a bibliography",
}


def _letters(text: str) -> str:
    """Letters, digits and single spaces: bitmap T1 fonts make pdftotext's quotes and dashes
    control characters, and its µ the micro sign (NFKC makes that μ)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[^\w\s]|_", "", text).split())


def test_decoded_text_is_what_latex_prints(tmp_path: Path) -> None:
    """handwritten.bib's LaTeX (\\TeX, \\hyphen, \\enquote, \\textsc, # macros) as pdflatex +
    biber print it: publist's decoded text appears in the PDF's text."""
    require_tools("pdflatex", "biber", "pdftotext")
    shutil.copy(BIB / "handwritten.bib", tmp_path / "refs.bib")
    (tmp_path / "doc.tex").write_text(
        # csquotes and pifont's fonts are not in the minimal TeX install: \\enquote as
        # csquotes prints English, \\ding as a star (its text is not compared)
        "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n"
        "\\providecommand{\\enquote}[1]{``#1''}\\providecommand{\\ding}[1]{*}\n"
        "\\usepackage[backend=biber,style=authoryear]{biblatex}\n\\addbibresource{refs.bib}\n"
        "\\begin{document}\n\\nocite{*}\n\\printbibliography\n\\end{document}\n",
        encoding="utf-8",
    )
    latex = ["pdflatex", "-interaction=nonstopmode", "doc.tex"]
    for cmd in (latex, ["biber", "doc"], latex):
        subprocess.run(cmd, cwd=tmp_path, capture_output=True, timeout=600, check=False)
    pdf = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "doc.pdf", "-"],
        cwd=tmp_path,
        capture_output=True,
        check=True,
    ).stdout.decode()
    printed = _letters(pdf.replace("-\n", "-"))
    items = {i["id"]: i for i in publist.read(BIB / "handwritten.bib")}
    for key, expected in _PRINTED.items():
        assert _letters(expected) in printed, (key, expected)
        fields = " | ".join(to_plain(str(v)) for v in items[key].values() if isinstance(v, str))
        assert expected in fields, (key, fields)


# --- warnings with their lines -------------------------------------------------------------------

PROBLEMS = [
    (2, "undefined macro 'MCDERMOTT': expands to nothing"),
    (2, "undefined1: empty name in author (a lone 'and') ignored"),
    (10, "text outside any entry ignored: '}}, year = {2020} }'"),
    (17, "repeated1: field 'title' repeated (first at line 16): the first value is kept"),
    (23, "percent1: unescaped '%' in title kept literally"),
    (25, "percent1: unescaped '&' in abstract kept"),
    (25, "percent1: unescaped '%' in abstract kept literally"),
    (31, "orphan1: 'nowhere2020' (crossref/xdata) not found: nothing inherited"),
    (47, "unknown LaTeX command \\frobnicate: its argument text is kept"),
    (51, "'@' not followed by an entry type and a brace: ignored"),
]


def test_check_reports_each_reader_warning_with_its_line(cli) -> None:
    path = BIB / "problems.bib"
    result = cli("check", str(path))
    lines = result.stdout.splitlines()
    for line, message in PROBLEMS:
        assert any(out.startswith(f"{path}:{line}: warning: {message}") for out in lines), message
    errors = [out for out in lines if ": error: " in out]
    assert len(errors) == 2 and all("cycle refused" in e for e in errors)


def test_problem_entries_keep_every_other_record() -> None:
    collection = publist.read(BIB / "problems.bib")
    items = {i["id"]: i for i in collection}
    assert sorted(items) == [
        "orphan1", "percent1", "repeated1", "unbalanced1", "undefined1", "unknowncmd1"
    ]  # fmt: skip
    assert items["undefined1"]["author"] == [{"family": "Sussman", "given": "Gerald J."}]
    assert items["repeated1"]["title"] == "First title"
    assert items["percent1"]["abstract"] == "We gain 5% over the baseline & more."
    assert items["unknowncmd1"]["title"] == "Using widgets well"
    assert [e.line for e in collection.errors] == [35, 40]
