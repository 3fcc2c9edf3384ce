"""Structured names: the required behaviour, case by case."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given as generated
from hypothesis import settings
from hypothesis import strategies as st

from publist.names import name_from_parts, name_from_text, odd_capitals, same_person

CASES = [
    (("Gemma Team", None), {"literal": "Gemma Team"}),
    (("Google DeepMind", None), {"literal": "Google DeepMind"}),
    (("Consortium", None), {"literal": "Consortium"}),
    (("Dmitry", None), {"family": "Dmitry"}),
    (
        ("Driessche", "George van den"),
        {"family": "Driessche", "given": "George", "non-dropping-particle": "van den"},
    ),
    (
        ("Casas", "Diego de Las"),
        {"family": "Casas", "given": "Diego", "non-dropping-particle": "de Las"},
    ),
    (("Lan", "Charline Le"), {"family": "Lan", "given": "Charline", "non-dropping-particle": "Le"}),
    (
        ("Shafey", "Laurent El"),
        {"family": "Shafey", "given": "Laurent", "non-dropping-particle": "El"},
    ),
    (("Raad", "Maria Abi"), {"family": "Raad", "given": "Maria", "non-dropping-particle": "Abi"}),
    (
        ("van der Maaten", "Laurens"),
        {"family": "Maaten", "given": "Laurens", "non-dropping-particle": "van der"},
    ),
    (
        ("de Freitas", "Nando"),
        {"family": "Freitas", "given": "Nando", "non-dropping-particle": "de"},
    ),
    (
        ("von Glehn", "Tamara"),
        {"family": "Glehn", "given": "Tamara", "non-dropping-particle": "von"},
    ),
    (("Le", "Quoc V."), {"family": "Le", "given": "Quoc V."}),
    (("Smith Jr.", "John"), {"family": "Smith", "given": "John", "suffix": "Jr."}),
    (("Gómez Colmenarejo", "Sergio"), {"family": "Gómez Colmenarejo", "given": "Sergio"}),
    (("García Márquez", "Gabriel"), {"family": "García Márquez", "given": "Gabriel"}),
    (("Choquette-Choo", "Christopher A."), {"family": "Choquette-Choo", "given": "Christopher A."}),
    (("Grill", "Jean-bastien"), {"family": "Grill", "given": "Jean-bastien"}),
    (("Martins", "Luiz GUStavo"), {"family": "Martins", "given": "Luiz GUStavo"}),
    (("LIN", "Ji"), {"family": "LIN", "given": "Ji"}),
    (("Ramé", "Alexandre"), {"family": "Ramé", "given": "Alexandre"}),
    (("Põder", "Liis"), {"family": "Põder", "given": "Liis"}),
    (("Kuciński", "Łukasz"), {"family": "Kuciński", "given": "Łukasz"}),
    (("Nguyễn", "Văn An"), {"family": "Nguyễn", "given": "Văn An"}),
    (("王", "小明"), {"family": "王", "given": "小明"}),
    (("Tran", "Van"), {"family": "Tran", "given": "Van"}),
]


@pytest.mark.parametrize("parts, expected", CASES, ids=[f"{f}, {g}" for (f, g), _ in CASES])
def test_name_structure(parts, expected):
    assert name_from_parts(*parts) == expected


def test_a_particle_is_never_left_inside_family_or_given():
    for (family, given), _ in CASES:
        name = name_from_parts(family, given)
        particle = name.get("non-dropping-particle")
        if particle:
            assert particle not in name.get("family", "").split()
            assert particle.split()[-1] not in name.get("given", "").split()


def test_results_are_fresh_dicts():
    a = name_from_parts("Doe", "Jane")
    a["given"] = "changed"
    assert name_from_parts("Doe", "Jane")["given"] == "Jane"


def test_parsed_once_per_string(monkeypatch):
    import publist.names as names

    calls = []
    real = names._parse_pair
    monkeypatch.setattr(names, "_parse_pair", lambda *pair: calls.append(pair) or real(*pair))
    names._cached_name.cache_clear()
    for _ in range(50):
        name_from_parts("Yang", "Fan")
    assert names.names_from_pairs(["Yang", "Li"], ["Fan", None]) == [
        {"family": "Yang", "given": "Fan"},
        {"family": "Li"},
    ]
    assert calls == [("Yang", "Fan"), ("Li", None)]


# Words nameparser may treat specially (particles, suffixes, titles, conjunctions, initials),
# with the punctuation that changes its reading, mixed with plain words.
_WORDS = (
    "van der von de De la Le El Abi al al- d' d’ l' St. Mc bin ibn ter Jr. Jr jr. III iii II V v "
    "I Sr. Sr. 2 PhD MD Dr. Sir y and e J. J.R. Quoc Smith Müller García Nguyễn Văn An 王 小明 "
    "Jean-bastien Choquette-Choo O'Neil Dubois102 ẞ Ǆemal İlhan VAN Van. van; ;Jr de. (van) "
    '"Jack"'
).split()


@settings(max_examples=1500, deadline=None)
@generated(
    st.lists(st.sampled_from(_WORDS), min_size=1, max_size=4),
    st.lists(st.sampled_from(_WORDS), min_size=1, max_size=4),
)
def test_plain_names_skip_nameparser_only_when_it_would_change_nothing(family, given_words):
    """The shortcut past nameparser must give exactly what nameparser's reading gives."""
    import publist.names as names

    family_text, given_text = " ".join(family), " ".join(given_words)
    if names._is_plain(family_text) and names._is_plain(given_text):
        assert names._parse_pair(family_text, given_text) == names._parse_with_nameparser(
            family_text, given_text
        )


def test_shortcut_agrees_with_nameparser_on_every_bundled_name():
    from corpus import hard_cases

    import publist.names as names

    pairs = set()
    for case in CASES:
        pairs.add(case[0])
    seed = Path(__file__).resolve().parents[1] / "seeds" / "hussenot-leonard.txt"
    for line in seed.read_text(encoding="utf-8").splitlines()[2::3]:
        tokens = [t.strip() for t in line.split(",")]
        pairs.update(zip(tokens[0::2], tokens[1::2], strict=True))
    for item in hard_cases():
        for name in item.get("author", []):
            if "family" in name and "given" in name:
                pairs.add((name["family"], name["given"]))
    plain = 0
    for family, given_text in pairs:
        if given_text in (None, "null") or not family:
            continue
        if names._is_plain(family) and names._is_plain(given_text):
            plain += 1
            assert names._parse_with_nameparser(family, given_text) == (
                ("family", family),
                ("given", given_text),
            ), (family, given_text)
    assert plain > 100  # the shortcut is taken for most real names


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Müller, J.", {"family": "Müller", "given": "J."}),
        ("J. Müller", {"family": "Müller", "given": "J."}),
        ("Smith, John, Jr.", {"family": "Smith", "given": "John", "suffix": "Jr."}),
        (
            "Laurens van der Maaten",
            {"family": "Maaten", "given": "Laurens", "non-dropping-particle": "van der"},
        ),
        ("Gemma Team", {"literal": "Gemma Team"}),
    ],
)
def test_name_from_text(text, expected):
    assert name_from_text(text) == expected


@pytest.mark.parametrize(
    "a, b, same",
    [
        ("Hussenot, Léonard", "Hussenot, Leonard", True),
        ("Müller, Jürgen", "Mueller, Juergen", True),
        ("Müller, Jürgen", "Müller, J.", True),
        ("Müller, Jürgen", "J. Müller", True),
        ("Müller, Jürgen", "Müller, K.", False),
        ("Müller, Jürgen", "Müller, Karl", False),
        ("de Freitas, Nando", "Freitas, Nando de", True),
        ("Smith, John", "Smithson, John", False),
        ("HUSSENOT, LÉONARD", "Hussenot, Léonard", True),
        ("Gemma Team", "Gemma Team", True),
    ],
)
def test_same_person(a, b, same):
    assert same_person(name_from_text(a), name_from_text(b)) is same


def test_odd_capitals():
    assert odd_capitals("Luiz GUStavo") == ["GUStavo"]
    assert odd_capitals("McDonald LIN CJ DeepMind") == []
