"""Text rules more than one module needs, defined once: folding to ASCII, CJK script, page
ranges."""

from __future__ import annotations

import re
import unicodedata

# Letters NFKD does not decompose into a base letter and marks (after casefold: ß is ss).
_FOLD = str.maketrans(
    {
        "æ": "ae",
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "œ": "oe",
        "ı": "i",
    }
)
_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})


def fold(text: str, german: bool = False) -> str:
    """Lower case, no diacritics (``Łukasz Ødegård`` → ``lukasz odegard``); ``german=True``
    writes ä/ö/ü as ae/oe/ue first (Müller = Mueller).  Other scripts are kept."""
    text = text.casefold()
    if german:
        text = text.translate(_GERMAN)
    text = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(c for c in text if not unicodedata.combining(c))


#: CJK scripts: radicals to unified ideographs, CJK symbols and punctuation, kana, Hangul
#: syllables, compatibility ideographs (a character class, for use inside ``[...]``)
CJK_CHARS = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\u3000-\u30ff"
#: text in CJK script only (spaces aside)
CJK_ONLY = re.compile(rf"^[{CJK_CHARS}\s]+$")


#: the dash between the pages of a range, as written: -, --, en or em dash, spaces around
PAGE_DASH = r"\s*[-–—]+\s*"
PAGE_DASHES = re.compile(PAGE_DASH)
