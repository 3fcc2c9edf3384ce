"""Which links publist writes, and how: the one rule every writer that makes links follows.

Readers keep a URL as they found it; a writer that turns it into a link (HTML ``href``,
Markdown ``[..](<..>)``, reStructuredText, LaTeX ``\\url``) asks :func:`safe_link` first.
Only ``http:``, ``https:`` and ``mailto:`` are ever links: browsers and docutils run or load
``javascript:``, ``data:``, ``vbscript:``, ``file:`` and friends, and a scheme is recognised
after browsers' own clean-up (leading whitespace and control characters removed, tabs and
line breaks anywhere dropped, case folded), so that clean-up is done here before the check.
"""

from __future__ import annotations

import re

LINK_SCHEMES = frozenset({"http", "https", "mailto"})

# What a browser strips before it reads a scheme (WHATWG URL: C0 controls and space at
# either end; ASCII tab and newlines anywhere).
_EDGE = "".join(chr(c) for c in range(0x21)) + "\x7f"
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
# Characters that would end a link's destination in some markup, or are not allowed in a URL:
# controls, space, quotes, angle brackets, backslash, backtick, braces, pipe, caret and the
# Unicode line separators. They are percent-encoded (UTF-8), never passed through.
_UNSAFE = re.compile(r"[\x00-\x20\x7f-\x9f\"'<>\\`{|}^\u2028\u2029]")


def _percent(match: re.Match[str]) -> str:
    return "".join(f"%{byte:02X}" for byte in match.group(0).encode("utf-8"))


def link_scheme(url: str) -> str | None:
    """The scheme a browser would read in ``url`` (lower case), or None for a relative URL."""
    cleaned = _TAB_OR_NEWLINE.sub("", url.strip(_EDGE))
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


def safe_link(url: object) -> str | None:
    """``url`` as a link target that is safe in HTML attributes, Markdown, rst and LaTeX, or
    None when it must not be a link (not a string, no scheme, or a scheme other than
    http/https/mailto). Unsafe characters are percent-encoded; the rest is kept."""
    if not isinstance(url, str):
        return None
    cleaned = _TAB_OR_NEWLINE.sub("", url.strip(_EDGE))
    match = _SCHEME.match(cleaned)
    if not match or match.group(1).lower() not in LINK_SCHEMES:
        return None
    rest = cleaned[match.end() :]
    if match.group(1).lower() != "mailto" and not rest.startswith("//"):
        return None
    return match.group(1).lower() + ":" + _UNSAFE.sub(_percent, rest)
