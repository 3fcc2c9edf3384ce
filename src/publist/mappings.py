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
    "online": "webpage",
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
