"""biber's data model (biblatex 3.x, ``blx-dm.def``) for the entries publist writes: which fields
each entry type allows and requires, so `publist check` reports what
``biber --tool --validate-datamodel`` would print for publist's biblatex output.

The tables hold only the fields publist's biblatex writer can produce (:data:`KNOWN_FIELDS`);
a field outside them is not judged.  Messages are biber's own wording.
"""

from __future__ import annotations

import re

from bibtexparser.model import Entry

# Fields every entry type allows (``date`` and ``urldate`` are date fields, allowed everywhere).
COMMON_FIELDS = frozenset(
    [
        "abstract",
        "date",
        "urldate",
        "doi",
        "eprint",
        "eprinttype",
        "keywords",
        "month",
        "origdate",
        "shortjournal",
        "shorttitle",
        "url",
        "year",
    ]
)

# Entry type -> the other fields it allows (of those publist writes).
TYPE_FIELDS: dict[str, frozenset[str]] = {
    "article": frozenset(
        [
            "author",
            "editor",
            "issn",
            "journaltitle",
            "language",
            "note",
            "number",
            "pages",
            "pubstate",
            "series",
            "subtitle",
            "title",
            "translator",
            "version",
            "volume",
        ]
    ),
    "book": frozenset(
        [
            "author",
            "chapter",
            "edition",
            "editor",
            "isbn",
            "language",
            "location",
            "note",
            "number",
            "pages",
            "pagetotal",
            "publisher",
            "pubstate",
            "series",
            "subtitle",
            "title",
            "translator",
            "volume",
        ]
    ),
    "dataset": frozenset(
        [
            "author",
            "edition",
            "editor",
            "language",
            "location",
            "note",
            "number",
            "organization",
            "publisher",
            "pubstate",
            "series",
            "subtitle",
            "title",
            "type",
            "version",
        ]
    ),
    "incollection": frozenset(
        [
            "author",
            "booktitle",
            "chapter",
            "edition",
            "editor",
            "isbn",
            "language",
            "location",
            "note",
            "number",
            "pages",
            "publisher",
            "pubstate",
            "series",
            "subtitle",
            "title",
            "translator",
            "volume",
        ]
    ),
    "inproceedings": frozenset(
        [
            "author",
            "booktitle",
            "editor",
            "eventtitle",
            "isbn",
            "language",
            "location",
            "note",
            "number",
            "organization",
            "pages",
            "publisher",
            "pubstate",
            "series",
            "subtitle",
            "title",
            "venue",
            "volume",
        ]
    ),
    "misc": frozenset(
        [
            "author",
            "editor",
            "howpublished",
            "language",
            "location",
            "note",
            "organization",
            "pubstate",
            "subtitle",
            "title",
            "type",
            "version",
        ]
    ),
    "online": frozenset(
        [
            "author",
            "editor",
            "language",
            "note",
            "organization",
            "pubstate",
            "subtitle",
            "title",
            "version",
        ]
    ),
    "patent": frozenset(
        [
            "author",
            "holder",
            "location",
            "note",
            "number",
            "pubstate",
            "subtitle",
            "title",
            "type",
            "version",
        ]
    ),
    "report": frozenset(
        [
            "author",
            "institution",
            "language",
            "location",
            "note",
            "number",
            "pages",
            "pagetotal",
            "pubstate",
            "subtitle",
            "title",
            "type",
            "version",
        ]
    ),
    "software": frozenset(
        [
            "author",
            "editor",
            "howpublished",
            "language",
            "location",
            "note",
            "organization",
            "pubstate",
            "subtitle",
            "title",
            "type",
            "version",
        ]
    ),
    "thesis": frozenset(
        [
            "author",
            "institution",
            "language",
            "location",
            "note",
            "pages",
            "pagetotal",
            "pubstate",
            "subtitle",
            "title",
            "type",
        ]
    ),
    "unpublished": frozenset(
        [
            "author",
            "eventtitle",
            "howpublished",
            "language",
            "location",
            "note",
            "pubstate",
            "subtitle",
            "title",
            "type",
            "venue",
        ]
    ),
}

KNOWN_FIELDS = COMMON_FIELDS.union(*TYPE_FIELDS.values()) | {
    "address",
    "journal",
    "school",
    "archiveprefix",
    "primaryclass",
    "booktitle",
    "eventtitle",
    "translator",
    "institution",
    "howpublished",
    "holder",
}

# Entry type -> mandatory fields: each a tuple of alternatives (one of them must be present).
_DATE = ("date", "year")
MANDATORY: dict[str, tuple[tuple[str, ...], ...]] = {
    "article": (("author",), ("journaltitle",), ("title",), _DATE),
    "book": (("author",), ("title",), _DATE),
    "incollection": (("author",), ("editor",), ("title",), ("booktitle",), _DATE),
    "inproceedings": (("author",), ("title",), ("booktitle",), _DATE),
    "report": (("author",), ("title",), ("type",), ("institution",), _DATE),
    "thesis": (("author",), ("title",), ("type",), ("institution",), _DATE),
    "online": (("title",), ("url", "doi", "eprint"), _DATE),
    "misc": (("title",), _DATE),
    "software": (("title",),),
    "dataset": (("title",),),
    "patent": (("author",), ("title",), ("number",), _DATE),
    "unpublished": (("author",), ("title",), _DATE),
}


def _isbn_ok(value: str) -> bool:
    digits = re.sub(r"[\s-]", "", value).upper()
    if re.fullmatch(r"\d{9}[\dX]", digits):
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(digits))
        return total % 11 == 0
    if re.fullmatch(r"97[89]\d{10}", digits):
        total = sum((3 if i % 2 else 1) * int(c) for i, c in enumerate(digits))
        return total % 10 == 0
    return False


def _issn_ok(value: str) -> bool:
    digits = re.sub(r"[\s-]", "", value).upper()
    if not re.fullmatch(r"\d{7}[\dX]", digits):
        return False
    total = sum((8 - i) * int(c) for i, c in enumerate(digits[:7]))
    check = (11 - total % 11) % 11
    return digits[7] == ("X" if check == 10 else str(check))


_ISO_POINT = r"-?\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?[~?%]?"
# ISO 8601-2 (EDTF level 1) as biber reads it: a year before 1 CE, circa, ranges, open ends
_ISO_DATE = re.compile(f"{_ISO_POINT}(?:/(?:{_ISO_POINT}|\\.\\.)?)?")


def _missing(alternatives: tuple[str, ...]) -> str:
    if len(alternatives) == 1:
        return f"Missing mandatory field '{alternatives[0]}'"
    return f"Missing mandatory field - one of '{', '.join(alternatives)}' must be defined"


def _bare(value: str) -> str:
    return value[1:-1] if value.startswith("{") and value.endswith("}") else value


def datamodel_warnings(entry: Entry) -> list[str]:
    """What biber's data-model validation says of one biblatex entry (its own words)."""
    entry_type = entry.entry_type.lower()
    fields = {f.key.lower(): _bare(str(f.value)) for f in entry.fields}
    warnings = []
    allowed = COMMON_FIELDS | TYPE_FIELDS.get(entry_type, frozenset())
    if entry_type in TYPE_FIELDS:
        for field in fields:
            if field in KNOWN_FIELDS and field not in allowed:
                warnings.append(f"Invalid field '{field}' for entrytype '{entry_type}'")
    for alternatives in MANDATORY.get(entry_type, ()):
        if not any(fields.get(f) for f in alternatives):
            warnings.append(_missing(alternatives))
    if "date" in fields and not _ISO_DATE.fullmatch(fields["date"]):
        warnings.append(f"Invalid format '{fields['date']}' of date field 'date' - ignoring")
    if "isbn" in fields and not _isbn_ok(fields["isbn"]):
        warnings.append(f"ISBN '{fields['isbn']}' is invalid")
    if "issn" in fields and not _issn_ok(fields["issn"]):
        warnings.append("Invalid ISSN in value of field 'issn'")
    return warnings
