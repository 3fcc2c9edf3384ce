"""Mapping tables between CSL, BibTeX, biblatex and RIS: data, in one place.

Each row of :data:`TYPES` is ``CSL type: (BibTeX type, biblatex type, RIS type)``.  Writers map
forwards; readers map back through :data:`BIBTEX_TO_CSL` and :data:`RIS_TO_CSL`, which are
derived from the same rows plus the extra source types other tools write.
"""

from __future__ import annotations

from typing import NamedTuple


class TypeRow(NamedTuple):
    bibtex: str
    biblatex: str
    ris: str


# CSL type -> targets.  ``article`` is CSL's type for preprints.
# RIS ``RPRT`` for preprints: Zotero's RIS import has no preprint type, and it imports RPRT as a
# report (keeping number and institution), which is what reference managers show for arXiv
# preprints; ``GEN`` would lose the type entirely.
TYPES: dict[str, TypeRow] = {
    "article-journal": TypeRow("article", "article", "JOUR"),
    "article-magazine": TypeRow("article", "article", "MGZN"),
    "article-newspaper": TypeRow("article", "article", "NEWS"),
    "paper-conference": TypeRow("inproceedings", "inproceedings", "CPAPER"),
    "report": TypeRow("techreport", "report", "RPRT"),
    "article": TypeRow("misc", "online", "RPRT"),
    "book": TypeRow("book", "book", "BOOK"),
    "chapter": TypeRow("incollection", "incollection", "CHAP"),
    "thesis": TypeRow("phdthesis", "thesis", "THES"),
    "webpage": TypeRow("misc", "online", "ELEC"),
    "post-weblog": TypeRow("misc", "online", "BLOG"),
    "dataset": TypeRow("misc", "dataset", "DATA"),
    "software": TypeRow("misc", "software", "COMP"),
    # (MANSCPT, not UNPB: Zotero's RIS import reads UNPB as a journal article)
    "manuscript": TypeRow("unpublished", "unpublished", "MANSCPT"),
    "patent": TypeRow("misc", "patent", "PAT"),
    "speech": TypeRow("misc", "misc", "SLIDE"),
}
OTHER = TypeRow("misc", "misc", "GEN")
# CSL types only biblatex has an entry type for (BibTeX and RIS write them as OTHER); kept out
# of TYPES, whose rows the Zotero route corpus (tests/data/zotero/every-type.json) measures.
BIBLATEX_ONLY_TYPES: dict[str, str] = {
    "entry-encyclopedia": "inreference",
    "entry-dictionary": "inreference",
    "periodical": "periodical",
}


def type_row(csl_type: str | None) -> TypeRow:
    return TYPES.get(csl_type or "", OTHER)


# Reading back: BibTeX/biblatex entry type -> CSL type.
BIBTEX_TO_CSL: dict[str, str] = {
    "article": "article-journal",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "proceedings": "book",
    "techreport": "report",
    "report": "report",
    "book": "book",
    "mvbook": "book",
    "inbook": "chapter",
    "incollection": "chapter",
    "booklet": "book",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    # online/misc: a preprint, unless it has a URL and nothing else says where it appeared
    # (then a web page): see formats/bibtex.py
    "online": "article",
    "www": "webpage",
    "electronic": "webpage",
    "unpublished": "manuscript",
    "manual": "report",
    "dataset": "dataset",
    "software": "software",
    "patent": "patent",
    "misc": "article",
}

# Reading back: RIS TY -> CSL type.  RPRT is ambiguous (report or preprint): an arXiv number or
# publisher ``arXiv`` makes it a preprint (see ris.py).
RIS_TO_CSL: dict[str, str] = {
    "JOUR": "article-journal",
    "JFULL": "article-journal",
    "EJOUR": "article-journal",
    "MGZN": "article-magazine",
    "NEWS": "article-newspaper",
    "CPAPER": "paper-conference",
    "CONF": "paper-conference",
    "RPRT": "report",
    "BOOK": "book",
    "EBOOK": "book",
    "EDBOOK": "book",
    "CHAP": "chapter",
    "ECHAP": "chapter",
    "THES": "thesis",
    "ELEC": "webpage",
    "BLOG": "post-weblog",
    "DATA": "dataset",
    "COMP": "software",
    "UNPB": "manuscript",
    "MANSCPT": "manuscript",
    "PAT": "patent",
    "SLIDE": "speech",
    "GEN": "document",
    # the rest of the RIS specification's types (read only)
    "ABST": "article-journal",
    "INPR": "article-journal",
    "ADVS": "motion_picture",
    "AGGR": "dataset",
    "ANCIENT": "manuscript",
    "ART": "graphic",
    "BILL": "bill",
    "CASE": "legal_case",
    "CHART": "figure",
    "CLSWK": "classic",
    "CTLG": "book",
    "DBASE": "dataset",
    "DICT": "entry-dictionary",
    "ENCYC": "entry-encyclopedia",
    "EQUA": "document",
    "FIGURE": "figure",
    "GOVDOC": "report",
    "GRANT": "document",
    "HEAR": "hearing",
    "ICOMM": "personal_communication",
    "PCOMM": "personal_communication",
    "LEGAL": "legislation",
    "STAT": "legislation",
    "MAP": "map",
    "MPCT": "motion_picture",
    "VIDEO": "motion_picture",
    "MULTI": "motion_picture",
    "MUSIC": "musical_score",
    "SOUND": "song",
    "PAMP": "pamphlet",
    "SER": "book",
    "STAND": "standard",
    "STD": "standard",
    "WEB": "webpage",
}


# --- BibTeX / biblatex fields ------------------------------------------------------------------


class FieldRow(NamedTuple):
    bibtex: str | None
    biblatex: str | None


# CSL variable -> field, for variables whose field does not depend on the entry type.
BIB_FIELDS: dict[str, FieldRow] = {
    "title": FieldRow("title", "title"),
    "collection-title": FieldRow("series", "series"),
    "volume": FieldRow("volume", "volume"),
    "issue": FieldRow("number", "number"),
    "page": FieldRow("pages", "pages"),
    "edition": FieldRow("edition", "edition"),
    "publisher-place": FieldRow("address", "location"),
    "event-title": FieldRow(None, "eventtitle"),
    "event-place": FieldRow(None, "venue"),
    "title-short": FieldRow(None, "shorttitle"),
    "container-title-short": FieldRow(None, "shortjournal"),
    "chapter-number": FieldRow("chapter", "chapter"),
    "number-of-pages": FieldRow(None, "pagetotal"),
    "version": FieldRow(None, "version"),
    "ISBN": FieldRow("isbn", "isbn"),
    "ISSN": FieldRow("issn", "issn"),
    "DOI": FieldRow("doi", "doi"),
    "URL": FieldRow("url", "url"),
    "language": FieldRow("language", "language"),
    "keyword": FieldRow("keywords", "keywords"),
    "note": FieldRow("note", "note"),
    "abstract": FieldRow("abstract", "abstract"),
}

# Where ``container-title`` goes, by entry type (default: howpublished).
CONTAINER_FIELD: dict[str, FieldRow] = {
    "article": FieldRow("journal", "journaltitle"),
    "inproceedings": FieldRow("booktitle", "booktitle"),
    "incollection": FieldRow("booktitle", "booktitle"),
    "inbook": FieldRow("booktitle", "booktitle"),
    "inreference": FieldRow("booktitle", "booktitle"),
    "online": FieldRow("howpublished", "organization"),  # biber: @online has no howpublished
}
CONTAINER_DEFAULT = FieldRow("howpublished", "howpublished")

# Where ``publisher`` goes, by entry type (default: publisher).
PUBLISHER_FIELD: dict[str, FieldRow] = {
    "techreport": FieldRow("institution", "institution"),
    "report": FieldRow("institution", "institution"),
    "phdthesis": FieldRow("school", "institution"),
    "mastersthesis": FieldRow("school", "institution"),
    "thesis": FieldRow("school", "institution"),
    # biber: @software and @patent have no publisher (a patent's holder is a name list)
    "software": FieldRow("publisher", "organization"),
    "patent": FieldRow("publisher", "holder"),
    # biber: @misc has organization, not publisher; @article has neither (not written)
    "misc": FieldRow("publisher", "organization"),
    "online": FieldRow("publisher", "organization"),
    "article": FieldRow("publisher", None),
}
PUBLISHER_DEFAULT = FieldRow("publisher", "publisher")

# CSL name variables -> name fields.
BIB_NAME_FIELDS: dict[str, FieldRow] = {
    "author": FieldRow("author", "author"),
    "editor": FieldRow("editor", "editor"),
    "translator": FieldRow(None, "translator"),
}

# Field order in written entries (fields not listed come after, alphabetically).
BIB_FIELD_ORDER = (
    "author",
    "editor",
    "translator",
    "title",
    "journal",
    "journaltitle",
    "booktitle",
    "eventtitle",
    "howpublished",
    "series",
    "edition",
    "volume",
    "number",
    "chapter",
    "pages",
    "pagetotal",
    "institution",
    "school",
    "publisher",
    "address",
    "location",
    "type",
    "year",
    "month",
    "date",
    "origdate",
    "urldate",
    "eprint",
    "archiveprefix",
    "eprinttype",
    "primaryclass",
    "doi",
    "url",
    "isbn",
    "issn",
    "language",
    "keywords",
    "note",
    "abstract",
)

# Reading back: field -> CSL variable (type-dependent fields handled in the reader).
BIB_TO_CSL: dict[str, str] = {
    **{row.bibtex: var for var, row in BIB_FIELDS.items() if row.bibtex},
    **{row.biblatex: var for var, row in BIB_FIELDS.items() if row.biblatex},
    "journal": "container-title",
    "journaltitle": "container-title",
    "booktitle": "container-title",
    "howpublished": "container-title",
    "institution": "publisher",
    "school": "publisher",
    "organization": "publisher",
    "publisher": "publisher",
    "langid": "language",
    "subtitle": "title",
}

# --- RIS tags ----------------------------------------------------------------------------------


class RisTag(NamedTuple):
    """How one RIS tag reads into CSL, and (``write``) whether the writer uses it for ``var``.

    ``var`` is the CSL variable (``None``: no CSL variable; the value is kept in ``note`` with a
    warning); ``by_type`` overrides it for some RIS types; ``kind`` says how the value is read.
    """

    var: str | None
    kind: str = "text"
    write: bool = False
    by_type: dict[str, str | None] = {}


_CONFERENCE = ("CPAPER", "CONF")
_ARTICLES = ("JOUR", "JFULL", "EJOUR", "MGZN", "NEWS", "ABST", "INPR")
_BOOKS = ("BOOK", "EBOOK", "EDBOOK", "CHAP", "ECHAP", "DICT", "ENCYC")


def _each(types: tuple[str, ...], var: str | None) -> dict[str, str | None]:
    return dict.fromkeys(types, var)


# Every tag of the RIS specification (RefMan 2011) and of the dialects of EndNote, Zotero,
# Mendeley, Scopus, Web of Science, PubMed, Ovid, Embase and ProQuest, in the order of priority
# when several tags give the same variable (the first one read wins; a different value from a
# later tag goes to ``note``, so nothing is lost).  The writer uses the rows marked ``write``.
# Where tags mean different things by type (C1..C8, M1, SN, T2), ``by_type`` says so; the
# meanings are those of EndNote's reference-type table, which Zotero's RIS.js follows.
RIS_TAGS: dict[str, RisTag] = {
    "TY": RisTag(None, "type"),
    "ID": RisTag("id", "id"),
    "TI": RisTag("title", write=True),
    "T1": RisTag("title"),
    "CT": RisTag("title"),
    "BT": RisTag("container-title", by_type=_each(("BOOK", "UNPB", "MANSCPT"), "title")),
    "AU": RisTag("author", "names", write=True),
    "A1": RisTag("author", "names"),
    "A2": RisTag(
        "editor",
        "names",
        write=True,
        by_type={"BOOK": "collection-editor", "RPRT": "collection-editor"},
    ),
    "ED": RisTag("editor", "names"),
    "A3": RisTag("collection-editor", "names", write=True, by_type={"BOOK": "editor"}),
    "A4": RisTag("translator", "names", write=True),
    "TA": RisTag(None),  # translated author
    "C3": RisTag(None, by_type={**_each(_CONFERENCE, "container-title"), "EJOUR": "PMCID"}),
    "T2": RisTag(
        "container-title",
        write=True,
        by_type={
            **_each((*_CONFERENCE, "SLIDE"), "event-title"),  # Zotero: conference / meeting
            **_each(("BOOK", "EBOOK", "EDBOOK", "RPRT"), "collection-title"),  # their series
        },
    ),
    "JF": RisTag("container-title"),
    "JO": RisTag("container-title-short", by_type=_each(_CONFERENCE, "event-title")),
    "J2": RisTag("container-title-short", write=True),
    "JA": RisTag("container-title-short"),
    "J1": RisTag("container-title-short"),
    "J9": RisTag("container-title-short"),  # Web of Science's 29-character abbreviation
    "JI": RisTag("container-title-short"),  # Web of Science's ISO abbreviation
    "T3": RisTag("collection-title", write=True),
    "ST": RisTag("title-short", write=True),
    "TT": RisTag(None),  # translated title: CSL has none
    "AB": RisTag("abstract", write=True),
    "N2": RisTag("abstract"),
    "PY": RisTag("issued", "date", write=True),
    "Y1": RisTag("issued", "date"),
    "DA": RisTag("issued", "date", write=True),
    "Y2": RisTag("accessed", "date", write=True),
    "VL": RisTag("volume", write=True),
    "VO": RisTag("volume"),
    "IS": RisTag("issue", write=True),
    "CP": RisTag("issue"),  # old RIS: chapter / issue
    "M1": RisTag(
        None, by_type={**_each(_ARTICLES, "issue"), "RPRT": "number", "BOOK": "collection-number"}
    ),
    "SP": RisTag("page", "page-start", write=True),
    "EP": RisTag(None, "page-end", write=True),
    "C7": RisTag("number", write=True, by_type={"PAT": None}),  # article number (Scopus, EndNote)
    "AR": RisTag("number"),  # article number (Web of Science's own tag)
    "SN": RisTag(
        "ISBN",
        "identifier",
        write=True,
        by_type={
            **_each(_ARTICLES, "ISSN"),
            **_each(("RPRT", "PAT", "UNPB", "MANSCPT"), "number"),
            **_each(("DATA", "DBASE"), "ISSN"),
        },
    ),
    "BN": RisTag("ISBN"),
    "SE": RisTag("section", write=True),
    "SV": RisTag("collection-number", write=True),
    "NV": RisTag("number-of-volumes", write=True),
    "ET": RisTag("edition", write=True, by_type={"COMP": "version", "DATA": "version"}),
    "PB": RisTag("publisher", write=True),
    "PU": RisTag("publisher"),  # Web of Science
    "PI": RisTag("publisher-place"),  # Web of Science: the publisher's city
    "CY": RisTag(
        "publisher-place", write=True, by_type=_each((*_CONFERENCE, "SLIDE"), "event-place")
    ),
    "PP": RisTag("publisher-place"),
    "C1": RisTag(None, by_type=_each(_CONFERENCE, "publisher-place")),
    "C2": RisTag(None, "pubmed", by_type=_each(("JOUR", "EJOUR", "ELEC", "CHAP"), "PMID")),
    "C4": RisTag(None),
    "C5": RisTag(None),
    "C6": RisTag(None),
    "C8": RisTag(None),
    "M3": RisTag("genre", "genre", write=True),  # (Mendeley: `doi: 10.…` here)
    "DO": RisTag("DOI", "doi", write=True),
    "DI": RisTag("DOI", "doi"),  # Web of Science
    "UR": RisTag("URL", "url", write=True),
    "L2": RisTag("URL", "url"),  # full-text link (Ovid, ProQuest, Embase, Zotero)
    "LK": RisTag("URL", "url"),
    "L1": RisTag(None),  # attached file (a PDF, often a local path)
    "L3": RisTag(None),  # related records
    "L4": RisTag(None),  # image / other attachment
    "KW": RisTag("keyword", "keywords", write=True),
    "LA": RisTag("language", write=True),
    "LG": RisTag("language"),
    "DB": RisTag("archive", write=True),
    "DP": RisTag("source", write=True),
    "AN": RisTag("archive_location", write=True),
    "AV": RisTag("archive_location"),
    "CN": RisTag("call-number", write=True),
    "LB": RisTag("citation-label", write=True),
    "OP": RisTag("original-title", write=True),
    "RI": RisTag("reviewed-title", write=True),
    "N1": RisTag("note", "note", write=True),
    "M2": RisTag(None),
    "AD": RisTag(None),  # author address
    "CA": RisTag(None),  # caption
    "CR": RisTag(None),  # rights
    "RN": RisTag(None),  # research notes
    "RP": RisTag(None),  # reprint status
    "U1": RisTag(None),
    "U2": RisTag(None),
    "U3": RisTag(None),
    "U4": RisTag(None),
    "U5": RisTag(None),
    "WE": RisTag(None),  # Web of Science edition
    "PA": RisTag(None),  # Web of Science: the publisher's address
    "ER": RisTag(None, "end"),
}

# The tag the writer uses for each CSL variable (the rows marked ``write``), and the tags whose
# meaning depends on the type: (RIS type, CSL variable) -> tag.
CSL_TO_RIS: dict[str, str] = {}
CSL_TO_RIS_BY_TYPE: dict[tuple[str, str], str] = {}
for _tag, _row in RIS_TAGS.items():
    if _row.write and _row.var:
        CSL_TO_RIS.setdefault(_row.var, _tag)
    for _ris_type, _var in _row.by_type.items():
        if _row.write and _var:
            CSL_TO_RIS_BY_TYPE.setdefault((_ris_type, _var), _tag)
# One exception, for Zotero's RIS.js: a conference paper's proceedings go to C3 (Zotero's
# *Proceedings Title*; T2 is its *Conference Name*, so T2 carries the event).
CSL_TO_RIS_BY_TYPE[("CPAPER", "container-title")] = "C3"
CSL_TO_RIS_BY_TYPE[("CPAPER", "event-title")] = "T2"
CSL_TO_RIS_BY_TYPE[("CPAPER", "event-place")] = "CY"
CSL_TO_RIS_BY_TYPE[("CPAPER", "publisher-place")] = "C1"


def ris_var(tag: str, ris_type: str) -> str | None:
    """The CSL variable a tag of a record of ``ris_type`` reads into (``None``: note)."""
    row = RIS_TAGS.get(tag)
    if row is None:
        return None
    return row.by_type.get(ris_type, row.var)


def ris_tag(var: str, ris_type: str) -> str | None:
    """The tag the writer uses for a CSL variable in a record of ``ris_type``."""
    return CSL_TO_RIS_BY_TYPE.get((ris_type, var)) or CSL_TO_RIS.get(var)
