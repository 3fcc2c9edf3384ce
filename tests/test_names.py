"""Structured names: the required behaviour, case by case."""

from __future__ import annotations

import pytest

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


def test_parsed_once_per_string():
    from publist.names import _parse_pair

    _parse_pair.cache_clear()
    for _ in range(50):
        name_from_parts("Yang", "Fan")
    info = _parse_pair.cache_info()
    assert info.misses == 1 and info.hits == 49


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
