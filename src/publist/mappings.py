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
    "manuscript": TypeRow("unpublished", "unpublished", "UNPB"),
    "patent": TypeRow("misc", "patent", "PAT"),
    "speech": TypeRow("misc", "misc", "SLIDE"),
}
OTHER = TypeRow("misc", "misc", "GEN")


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
}
CONTAINER_DEFAULT = FieldRow("howpublished", "howpublished")

# Where ``publisher`` goes, by entry type (default: publisher).
PUBLISHER_FIELD: dict[str, FieldRow] = {
    "techreport": FieldRow("institution", "institution"),
    "report": FieldRow("institution", "institution"),
    "phdthesis": FieldRow("school", "institution"),
    "mastersthesis": FieldRow("school", "institution"),
    "thesis": FieldRow("school", "institution"),
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

# --- RIS fields (rispy's names: see rispy.TAG_KEY_MAPPING) --------------------------------------

# CSL variable -> rispy key, for variables whose tag does not depend on the type.
RIS_FIELDS: dict[str, str] = {
    "title": "title",  # TI
    "abstract": "abstract",  # AB
    "container-title": "secondary_title",  # T2 (JO is read by Zotero as the abbreviation)
    "collection-title": "tertiary_title",  # T3
    "volume": "volume",  # VL
    "issue": "number",  # IS
    "publisher": "publisher",  # PB
    "publisher-place": "place_published",  # CY
    "DOI": "doi",  # DO
    "edition": "edition",  # ET
    "language": "language",  # LA
    "genre": "type_of_work",  # M3
    "container-title-short": "alternate_title1",  # J2
    "title-short": "short_title",  # ST
}
# Report and preprint numbers go to SN (Zotero: reportNumber), as do ISBN/ISSN otherwise.
RIS_NUMBER_KEY = "issn"  # SN
