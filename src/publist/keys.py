"""Citation keys: ``rame2024warp``, ``gemmateamgemma``.

Pattern: first author's family name (an organisation's words joined) + year when known + first
significant title word; ASCII ``[a-z0-9]``, diacritics folded.  Uniqueness across a collection
is kept by :class:`KeyAllocator`, which holds only the set of keys handed out (not the items).
"""

from __future__ import annotations

import hashlib
import re
from array import array
from collections.abc import Iterator
from functools import lru_cache

from .model import Item, issued_year
from .text import fold

# Words that never make a key's title part.
STOPWORDS = frozenset(
    """a an the on of and or for in to with via from by at as is are be into onto towards toward
    about over under what when why how which who do does we our your its their this that these
    those not no vs versus le la les de des du der die das el los las un une il lo""".split()
)

_NON_KEY = re.compile(r"[^a-z0-9]+")


def ascii_fold(text: str) -> str:
    """``Ramé`` → ``rame``: lower-case ASCII letters and digits; other scripts dropped."""
    if text.isascii():  # nothing to fold (most names and title words)
        return _NON_KEY.sub("", text.lower())
    return _NON_KEY.sub("", fold(text).lower())  # lower(): NFKD makes ᴬ an A


# first authors' names repeat across a library: each is folded once
_fold_name = lru_cache(maxsize=8192)(ascii_fold)


def _author_part(item: Item) -> str:
    for role in ("author", "editor"):
        names = item.get(role) or []
        if names:
            first = names[0]
            text = first.get("literal") or first.get("family") or first.get("given") or ""
            return _fold_name(text)
    return ""


_TITLE_SPLIT = re.compile(r"[\s\-‐–—:;,.!?/()\[\]{}\"'“”‘’]+")


def _title_words(title: str) -> Iterator[str]:
    # the first few words nearly always hold the key's word: split the rest only if they do not
    head = _TITLE_SPLIT.split(title, maxsplit=4)
    if len(head) < 5:
        yield from head
        return
    yield from head[:4]
    yield from _TITLE_SPLIT.split(head[4])


def _title_part(item: Item) -> str:
    title = item.get("title") or ""
    first = _TITLE_SPLIT.split(title, maxsplit=1)[0]  # (most titles: the key's word)
    if first.isascii() and first.isalnum():  # ASCII letters and digits: folded, it is lower()
        folded = first.lower()
        if not folded.isdigit() and folded not in STOPWORDS:
            return folded
    for word in _title_words(title):
        folded = ascii_fold(word)
        if folded and not folded.isdigit() and folded not in STOPWORDS:
            return folded
    return ""


def base_key(item: Item) -> str:
    """The key before disambiguation; ``item`` when nothing usable is left."""
    year = issued_year(item)
    key = _author_part(item) + (str(year) if year is not None else "") + _title_part(item)
    return key or "item"


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _suffix(number: int) -> str:
    """The suffix of rank ``number``: a, b, …, z, aa, ab, … (0 → a)."""
    length, block = 1, 26
    while number >= block:
        number -= block
        length += 1
        block = 26**length
    letters = ""
    for _ in range(length):
        number, rest = divmod(number, 26)
        letters = _LETTERS[rest] + letters
    return letters


def _fingerprint(key: str) -> int:
    """64 bits of the lower-cased key (never 0): what the allocator remembers of each key."""
    value = int.from_bytes(hashlib.blake2b(key.lower().encode(), digest_size=8).digest(), "big")
    return value or 1


class _FingerprintSet:
    """A set of 64-bit fingerprints in one array (8 bytes a slot, open addressing): a million
    keys take 16 MB, where a Python set of ints would take about 60."""

    def __init__(self) -> None:
        self._slots = array("Q", bytes(8 * 1024))
        self._count = 0

    def add(self, fingerprint: int) -> bool:
        """Add; False when it was there already."""
        slots = self._slots
        mask = len(slots) - 1
        index = fingerprint & mask
        while True:
            current = slots[index]
            if current == 0:
                break
            if current == fingerprint:
                return False
            index = (index + 1) & mask
        slots[index] = fingerprint
        self._count += 1
        if self._count * 2 > len(slots):
            self._grow()
        return True

    def _grow(self) -> None:
        old = self._slots
        self._slots = array("Q", bytes(16 * len(old)))
        self._count = 0
        for fingerprint in old:
            if fingerprint:
                self.add(fingerprint)


class KeyAllocator:
    """Hands out keys unique case-insensitively, in input order (first one bare, then a, b, …).

    It holds no items and not even the keys, only a 64-bit fingerprint of each (a million keys
    take 16 MB); two different keys sharing a fingerprint (odds about 1 in 10^7 at a million
    keys) would only cost the second one a needless suffix, never a duplicate."""

    def __init__(self) -> None:
        self._seen = _FingerprintSet()
        # where to resume the suffix search of a base key seen many times (Gemma Team's
        # hundreds of reports): bounded, and only a hint, so forgetting costs time, not keys
        self._next_suffix: dict[str, int] = {}

    def take(self, key: str) -> bool:
        """Remember ``key`` as given out; False when it (or its case variant) already was."""
        return self._seen.add(_fingerprint(key))

    def claim(self, key: str) -> str:
        if self._seen.add(_fingerprint(key)):  # (take, inlined: most keys are new)
            return key
        base = key.lower()
        number = self._next_suffix.get(base, 0)
        while not self.take(key + _suffix(number)):
            number += 1
        if len(self._next_suffix) > 16384:
            self._next_suffix.clear()
        self._next_suffix[base] = number + 1
        return key + _suffix(number)

    def key_for(self, item: Item) -> str:
        return self.claim(base_key(item))
