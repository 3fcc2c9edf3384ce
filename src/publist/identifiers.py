"""Identifiers found in CSL items: arXiv ids and DOIs."""

from __future__ import annotations

import re

from .model import Item

ARXIV_ID = re.compile(r"\d{4}\.\d{4,5}(?:v\d+)?|[a-z\-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?")
_ARXIV_IN_NUMBER = re.compile(r"^arxiv:\s*(\S+)$", re.IGNORECASE)
_ARXIV_IN_DOI = re.compile(r"^10\.48550/arxiv\.(\S+)$", re.IGNORECASE)
_ARXIV_IN_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/([^\s?#]+?)(?:\.pdf)?/?$", re.IGNORECASE)


def arxiv_id(item: Item) -> str | None:
    """The arXiv id an item carries (number ``arXiv:ID``, arXiv DOI or URL), if any."""
    candidates = [
        (_ARXIV_IN_NUMBER, item.get("number")),
        (_ARXIV_IN_DOI, item.get("DOI")),
        (_ARXIV_IN_URL, item.get("URL")),
    ]
    for pattern, value in candidates:
        if isinstance(value, str):
            match = pattern.search(value.strip())
            if match and ARXIV_ID.fullmatch(match.group(1)):
                return match.group(1)
    if str(item.get("archive", "")).lower() == "arxiv":
        location = str(item.get("archive_location", "")).strip()
        if ARXIV_ID.fullmatch(location):
            return location
    return None


def arxiv_fields(arxiv: str) -> dict[str, str]:
    """What Zotero writes in CSL-JSON for an arXiv preprint."""
    return {
        "publisher": "arXiv",
        "number": f"arXiv:{arxiv}",
        "DOI": f"10.48550/arXiv.{arxiv}",
        "URL": f"https://arxiv.org/abs/{arxiv}",
    }


def add_arxiv(item: Item, arxiv: str) -> None:
    """Give ``item`` the fields an arXiv id implies, without overriding any it has.

    A preprint gets what Zotero writes for one (publisher, number, DOI, URL); a report (a
    technical report posted on arXiv) its number, DOI and URL; any other type only the link to
    its arXiv version, since the arXiv DOI and number name the arXiv paper, not this one.
    """
    fields = arxiv_fields(arxiv)
    if item.get("type") == "article":
        item.setdefault("publisher", fields["publisher"])
    if item.get("type") in ("article", "report"):
        item.setdefault("number", fields["number"])
        item.setdefault("DOI", fields["DOI"])
    item.setdefault("URL", fields["URL"])


# A DOI as exporters write it: bare, `doi:`-prefixed, or as a doi.org / dx.doi.org link
# (http or https, any case), sometimes percent-encoded.
_DOI_PREFIX = re.compile(
    r"^\s*(?:doi:\s*|https?://(?:dx\.|www\.)?doi\.org/|(?:dx\.)?doi\.org/)", re.IGNORECASE
)
_BARE_DOI = re.compile(r"^10\.\d{4,9}/\S+$")


def normalise_doi(value: str) -> str:
    """The bare DOI (``10.1002/jts.22387``) in a DOI field's value, whichever of the usual
    forms it came in; a value that is not recognisably a DOI is returned trimmed, unchanged."""
    text = value.strip()
    if text.startswith("10."):  # (most values: bare already, no prefix to take off)
        return text
    from urllib.parse import unquote

    stripped = _DOI_PREFIX.sub("", text)
    if stripped != text and "%" in stripped:
        stripped = unquote(stripped)
    return stripped if _BARE_DOI.match(stripped) else text
