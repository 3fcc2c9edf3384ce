"""Text case (corrections 1, 15 and 62)."""

from __future__ import annotations

import re
from typing import Any

from citeproc import string

from ..formatters import RICH_CLOSE, RICH_OPEN
from .state import ElementMixin


def capitalize_first(text: Any) -> Any:
    """Correction 1: ``capitalize-first`` / ``capitalize-all`` change only lower-case words
    (CSL 1.0.2 "Text-case": "capitalizes the first character of the first word, if the word
    is lowercase"; citeproc-py capitalised ``arXiv`` to ``ArXiv``).  A module-level
    replacement of ``String.capitalize_first`` (see :mod:`.module_level`).
    Test: tests/test_render_fidelity.py "capitalize-first only on lower-case words"."""
    value = str(text)
    words = value.split(maxsplit=1)
    if not words or not words[0].islower():
        return text
    return text.__class__(value[0].upper() + value[1:])


# citeproc-js's list (CSL's, plus common prepositions)
STOP_WORDS = frozenset(
    """a about above across afore after against along alongside amid amidst
    among amongst an and anenst apropos apud around as aside astride at athwart atop barring
    before behind below beneath beside besides between beyond but by circa despite down during
    except for forenenst from given in inside into lest like modulo near next nor notwithstanding
    of off on onto opposite or out outside over pace past per plus pro qua regarding round sans
    save since so than the through throughout till times to toward towards under underneath
    unlike until unto up upon versus via vis-à-vis with within without worth yet""".split()
)
# only quotes, brackets and rich-text markers before a word let it be capitalised
# (“‘curly’” → “‘Curly’”, <i>word</i> → <i>Word</i>)
_LEADING_PUNCT = re.compile(r"^([\"'“‘«(\[\ue100-\ue1ff]*)(.*)$", re.DOTALL)
_NOCASE_OPEN, _NOCASE_CLOSE = RICH_OPEN["NoCase"], RICH_CLOSE["NoCase"]
# what citeproc-js's case engine splits off a word as tags (quotes, brackets, punctuation,
# markup) before it counts the last word's letters
_NOT_LETTERS = "\"'“”‘’«»()[].,;:!?-–—/" + "".join(chr(c) for c in range(0xE100, 0xE200))


def _title_word(word: str, force: bool) -> str:
    pieces = word.split("-")
    out = []
    for index, piece in enumerate(pieces):
        match = _LEADING_PUNCT.match(piece)
        assert match is not None  # the pattern matches any text
        head, core = match.groups()
        bare = core.rstrip(".,;:!?’”)\"'").lower()
        # (citeproc-js leaves a one-letter word as it is unless it opens the title)
        long_word = (len(bare) > 1 or len(pieces) > 1) and bare not in STOP_WORDS
        if core and core.islower() and (force or index > 0 or long_word):
            core = core[0].upper() + core[1:]
        out.append(head + core)
    return "-".join(out)


def title_case(text: Any) -> Any:
    words = []
    force = True  # the first word, and a word after a colon or period
    nocase = False  # inside <span class="nocase"> of a field value
    all_words = list(text.words())
    for index, word in enumerate(all_words):
        value = str(word)
        opens = value.rfind(_NOCASE_OPEN) > value.rfind(_NOCASE_CLOSE)
        if isinstance(word, string.NoCase) or nocase or _NOCASE_OPEN in value:
            words.append(word)
        else:
            # the last word is capitalised too, unless of one letter (citeproc-js; the
            # quotes and punctuation around it not counted: ``‘a’``, correction 62)
            last = index == len(all_words) - 1 and len(value.strip(_NOT_LETTERS)) > 1
            words.append(type(word)(_title_word(value, force or last)))
        nocase = opens or (nocase and _NOCASE_CLOSE not in value)
        force = value[-1:] in ":.?!"
    return string.String(" ".join(str(w) for w in words)) if words else text


class TitleCase(ElementMixin):
    """Correction 15: title case as citeproc-js applies it (CSL 1.0.2 "Title case
    conversion"): on English items, also when the item's language is unset (labels: APA's
    ``(Eds.)``), on each part of a hyphenated word (``T-SNE``), after opening quotes
    (``‘Curly’``), keeping citeproc-js's stop words (``about``) lower-case.
    Tests: tests/test_render_fidelity.py "title case of hyphenated words", "title case of
    labels".
    Correction 62: a word of one letter is left as it is unless it opens the title, the
    last word too, its quotes and punctuation not counted (``X ‘y’ Data Of``, ``Models
    ‘a’``): citeproc-js counts the letters between the tags its case engine splits off.
    Test: tests/test_render_fidelity_longfix.py "a one-letter quoted word stays
    lower-case"."""

    def case(self, text: Any, language: str | None = None) -> Any:
        if self.get("text-case") == "title":
            if language is None:
                language = (self.get_root().get("default-locale") or "en")[:2]
            if language != "en":
                return text
            return title_case(text)
        return super().case(text, language)
