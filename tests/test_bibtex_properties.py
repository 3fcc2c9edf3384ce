"""Property: hostile text survives BibTeX and biblatex, written and read back."""

from __future__ import annotations

import io
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import publist
from publist.names import name_from_parts
from publist.richtext import to_plain

SPECIALS = "&%$#_~^\\{}-`'<>,!?@=\"."
ALPHABET = st.sampled_from(
    list("abcXYZ019 ") + list(SPECIALS) + list("éüŁøßÇğñåÆœ") + list("王明Привет") + list("ễƯ")
)
# BibTeX and biber collapse runs of spaces in a value, and so does publist's reader (README
# "Reading .bib files"): the property is about text with single spaces
TEXT = st.text(ALPHABET, min_size=1, max_size=40).map(lambda t: re.sub(" +", " ", t).strip())
TEXT = TEXT.filter(bool)
WORD = st.text(st.sampled_from(list("abcXYZéŁ王П&%$#_~^\\{}-'`")), min_size=1, max_size=8)


@st.composite
def names(draw):
    if draw(st.integers(0, 9)) == 0:
        return {"literal": " ".join(draw(st.lists(WORD, min_size=1, max_size=3)))}
    family = " ".join(draw(st.lists(WORD, min_size=1, max_size=2)))
    given_name = draw(st.none() | st.lists(WORD, min_size=1, max_size=2).map(" ".join))
    # names reach writers structured the way publist's readers structure them
    return name_from_parts(family, given_name)


@st.composite
def items(draw):
    n = draw(st.integers(0, 3))
    result = []
    for i in range(n):
        item = {
            "id": f"k{i}",
            "type": draw(
                st.sampled_from(["article", "article-journal", "report", "paper-conference"])
            ),
            "title": draw(TEXT),
        }
        size = draw(st.sampled_from([0, 1, 3, 500])) if i == 0 else draw(st.integers(0, 4))
        authors = draw(st.lists(names(), min_size=min(size, 3), max_size=min(size, 3)))
        if size == 500:
            authors = (authors * 200)[:500]
        if authors:
            item["author"] = authors
        if draw(st.booleans()):
            item["abstract"] = draw(TEXT)
        result.append(item)
    return result


def _non_dropping(names_):
    return [
        {("non-dropping-particle" if k == "dropping-particle" else k): v for k, v in n.items()}
        for n in names_
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=items())
def test_bibtex_and_biblatex_round_trip(records):
    for fmt, options in (
        ("bibtex", {}),
        ("bibtex", {"unicode": True}),
        ("biblatex", {}),
        ("biblatex", {"extended_names": True}),
    ):
        out = io.StringIO()
        publist.write(records, out, fmt, **options)
        collection = publist.read(io.BytesIO(out.getvalue().encode("utf-8")), "bibtex")
        back = collection.to_list()
        assert not collection.errors
        assert len(back) == len(records)
        for a, b in zip(records, back, strict=True):
            # (a tag-shaped "<b>" typed as text reads back as text: compare the plain forms)
            assert to_plain(b["title"]) == to_plain(a["title"]), fmt
            assert to_plain(b.get("abstract", "")) == to_plain(a.get("abstract", "")), fmt
            assert b.get("author", []) == _non_dropping(a.get("author", [])), (fmt, options)
            assert b["type"] == a["type"]


def _safe_key_by_definition(key: str) -> str:
    """safe_key without its shortcut for keys already safe: fold, replace, strip."""
    import unicodedata

    from publist.formats.bibtex import _KEY_BAD

    folded = unicodedata.normalize("NFKD", key)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return _KEY_BAD.sub("_", folded).strip("_") or "item"


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(list("ab9_-.:+/ é\u0301ﬁ\n")), max_size=8) | st.text(max_size=8))
def test_safe_key_shortcut_gives_the_folded_key(key):
    from publist.formats.bibtex import safe_key

    assert safe_key(key) == _safe_key_by_definition(key)
