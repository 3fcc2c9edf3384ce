"""The CSL-JSON reader's one-pass check of an item gives what checking it value by value
gives: the same item, warnings and first error, on many random items (a fixed seed) made of
the values that decide a branch."""

from __future__ import annotations

import copy
import random

from publist.errors import PublistError
from publist.formats import csljson

VARIABLES = ["title", "DOI", "volume", "page", "issued", "accessed", "author", "editor", "x-own"]
TEXTS = ["t", "é", "\ud800", "x\udfffy", ""]
NAMES = [{"family": "A", "given": "B"}, {"literal": "Ω"}, {"family": "\ud800"}, {"given": 3}]
NAMES += [{"family": "A", "parse-names": True}, "B", {"family": "A", "comma-suffix": 1.5}]
DATES = [{"date-parts": [[2020]]}, {"date-parts": [[2020, 5, 1]]}, {"date-parts": [[True]]}]
DATES += [{"date-parts": [[10**7]]}, {"date-parts": [[2020], [2021]]}, {"raw": "2020"}]
DATES += [{"date-parts": [[-(10**6)]]}, {"date-parts": [[]]}, {"date-parts": [["2020"]]}]
DATES += [{"date-parts": [[2020.5]]}, {"literal": "\ud800"}, {"date-parts": [[2020]], "x": 1}]


def _value(rng: random.Random) -> object:
    kind = rng.randrange(7)
    if kind == 0:
        return rng.choice(TEXTS)
    if kind == 1:
        return rng.choice([3, 2.5, float("inf"), True, None, -(10**7)])
    if kind == 2:
        return rng.sample(NAMES, rng.randint(0, 3))
    if kind == 3:
        return copy.deepcopy(rng.choice(DATES))
    if kind == 4:
        return {rng.choice(TEXTS): rng.choice(TEXTS)}
    return [rng.choice(TEXTS)] if kind == 5 else rng.choice(TEXTS[:2])


def _check(item: dict) -> object:
    warnings: list[str] = []
    try:
        return csljson._validated(item, "item 1", "x.json", None, warnings), warnings
    except PublistError as err:
        return str(err)


def test_items_checked_at_once_as_value_by_value(monkeypatch) -> None:
    rng = random.Random(18)
    for _ in range(20_000):
        item: dict = {"id": "a", "type": "book"}
        for var in rng.sample(VARIABLES, rng.randint(0, 5)):
            item[var] = _value(rng)
        if rng.random() < 0.1:
            item[rng.choice(TEXTS)] = "k"  # (a variable name with a surrogate, or empty)
        at_once = _check(copy.deepcopy(item))
        with monkeypatch.context() as patched:
            patched.setattr(csljson, "_checked_at_once", lambda item, notes: False)
            assert at_once == _check(item), item
