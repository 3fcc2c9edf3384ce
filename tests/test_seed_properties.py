"""Property: any records written in the seed format and read back give the same items."""

from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import publist
from publist.richtext import has_markup, to_plain

# Seed text cannot hold a line break inside a line, nor a comma inside a name; NUL marks a
# binary file.  A CR is fine inside a line (only CR LF is a line end).
LINE_TEXT = st.text(
    st.characters(blacklist_characters="\n\x00", blacklist_categories=("Cs",))
).filter(lambda t: not t.endswith("\r"))
NAME_WORD = st.text(
    st.characters(
        blacklist_characters="\n\r,", blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc")
    ),
    min_size=1,
    max_size=12,
).filter(lambda w: w != "null")
PARTICLES = st.sampled_from(["van der", "de", "von", "Le", "El", "de Las", "van den", "Abi"])


@st.composite
def names(draw):
    family = " ".join(draw(st.lists(NAME_WORD, min_size=1, max_size=3)))
    if draw(st.booleans()):
        family = draw(PARTICLES) + " " + family
    given = draw(st.none() | st.lists(NAME_WORD, min_size=1, max_size=3).map(" ".join))
    if given is not None and draw(st.booleans()):
        given = given + " " + draw(PARTICLES)
    return family, given


@st.composite
def records(draw):
    title = draw(LINE_TEXT)
    abstract = draw(LINE_TEXT)
    authors = draw(st.lists(names(), max_size=8))
    return title, authors, abstract


def seed_text(owner, recs) -> str:
    def pairs(authors):
        return ", ".join(f"{f}, {'null' if g is None else g}" for f, g in authors)

    lines = [pairs([owner])]
    for title, authors, abstract in recs:
        lines += [title, pairs(authors), abstract]
    return "\n".join(lines) + "\n"


def words(name: dict) -> list[str]:
    return sorted(" ".join(name.values()).split())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(owner=names(), recs=st.lists(records(), max_size=6))
def test_seed_round_trip(owner, recs):
    text = seed_text(owner, recs)
    collection = publist.read(io.BytesIO(text.encode("utf-8")), "seed")
    items = collection.to_list()
    assert len(items) == len(recs)
    for item, (title, authors, abstract) in zip(items, recs, strict=True):
        # the model is CSL rich text: a tag typed in the seed is kept as text (publist.richtext)
        assert to_plain(item.get("title", "")) == title.strip()
        assert to_plain(item.get("abstract", "")) == abstract
        assert not has_markup(item.get("title", "")) and not has_markup(item.get("abstract", ""))
        assert len(item["author"]) == len(authors)
        for name, (family, given_part) in zip(item["author"], authors, strict=True):
            # no word is lost or altered; words only move between fields
            assert words(name) == sorted(f"{family} {given_part or ''}".split())

    out = io.StringIO()
    publist.write(publist.Collection(items, owner=collection.owner), out, "seed")
    again = publist.read(io.BytesIO(out.getvalue().encode("utf-8")), "seed")
    assert again.to_list() == items
    assert again.owner == collection.owner
