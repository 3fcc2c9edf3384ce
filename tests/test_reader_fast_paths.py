"""The .bib reader's fast paths give what the general code gives, on every input.

The name-list splitter (one regex where bibtexparser's splitter walks every character) and the
LaTeX decoder's one-pass path for common field text are checked against the code they stand in
for, on many random strings made of the pieces that matter to each (a fixed seed: the same
strings every run), and on the cases that decide a branch.
"""

from __future__ import annotations

import io
import random

import pytest
from bibtexparser.middlewares.names import split_multiple_persons_names

from publist import texdecode
from publist.errors import PublistError
from publist.formats.bibtex_reader import split_names

NAME_PIECES = [
    "a", "n", "d", "A", "N", "D", " ", "\t", "\n", "\r", "x", ",", "~", "and", " and ", "AnD",
    "é", "-", ".", "{", "}", "{x}", "{ and }", "{a{b}c}", "\\", "{\\O}", "{\\}}", "{a\\{}",
    "{{{x}}}", "{{{{x}}}}",
]  # fmt: skip
LATEX_PIECES = [
    "a", "b", " ", "-", "--", "'", "`", "!", "?", "{", "}", "~", "\\&", "\\%", "\\$", "\\_",
    "\\{", "\\}", "\\#", "{\\'e}", "\\'e", '\\"o', '{\\"O}', "\\`a", "\\^i", "\\~n", "\\=a",
    "\\.z", "{\\'ee}", "\\'{e}", "x", "é", "\\emph{x}", "$", "<", "\\v{c}", "\\\\", "\\",
    "\\ensuremath{\\beta}", "{\\ensuremath{\\alpha}}", "\\textasciitilde{}", "\\textasciitilde ",
    "\\alpha@", "\\alpha*", "\\em ", "\\u{a}", "\\LaTeX", "\\foo", "\\i", "\\ensuremath{\\foo}",
    "\\ensuremath{\\beta }", "\\textless", "\\sc", "\\c c", "<i>",
]  # fmt: skip


def _strings(pieces: list[str], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(pieces, k=rng.randint(0, 12))) for _ in range(count)]


@pytest.mark.parametrize(
    "value",
    [
        "Knuth, Donald and Lamport, Leslie",
        "{Simon and Schuster}",
        "A and  and B",
        "A \\x and B",  # a backslash outside braces: bibtexparser's own walk
        "{\\O}degård, Ole and {\\L}ukasiewicz, Jan",
        "{unclosed and B",
        "  ",
    ],
)
def test_split_names_cases(value: str) -> None:
    assert split_names(value) == split_multiple_persons_names(value)


def test_split_names_random() -> None:
    for value in _strings(NAME_PIECES, 40_000, seed=1):
        assert split_names(value) == split_multiple_persons_names(value), value


def _general(latex: str, rich: bool) -> tuple[str, tuple[str, ...]]:
    if not texdecode._NEEDS_PARSE_RE.search(latex):
        return latex, ()
    return texdecode._decode_cached.__wrapped__(latex, rich)


@pytest.mark.parametrize(
    "latex",
    [
        'Schr{\\"o}dinger -- a 50\\% {GPU} study',
        "{\\ensuremath{\\beta}}-VAE",
        "x\\textasciitilde{}10",
    ],
)
def test_fast_decoding_cases(latex: str) -> None:
    for rich in (True, False):
        assert texdecode.decode_text(latex, rich) == _general(latex, rich)


def test_fast_decoding_random() -> None:
    for latex in _strings(LATEX_PIECES, 40_000, seed=2):
        for rich in (True, False):
            assert texdecode.decode_text(latex, rich) == _general(latex, rich), latex


@pytest.mark.parametrize("block", [1, 2, 3, 5, 8, 13, 64])
def test_lines_read_by_block_as_line_by_line(monkeypatch, block: int) -> None:
    """numbered_lines (blocks decoded at once) gives the lines, and the error at its line, that
    reading line by line gives: line ends, a BOM, bad UTF-8 and NUL bytes anywhere, blocks
    cut inside a character or a CR LF, lines longer than a piece and than the limit."""
    from publist import lines

    monkeypatch.setattr(lines, "_PIECE", 8)
    monkeypatch.setattr(lines, "_BLOCK", block)
    rng = random.Random(block)
    pieces = [b"a", b"bc", b"\r", b"\n", b"\r\n", b"\xef\xbb\xbf", b"\xc3\xa9", b"\xc3"]
    pieces += [b"\xff", b"\x00", b"x" * 9]

    def read(reader, data: bytes) -> list:
        found: list = []
        try:
            found.extend(reader(io.BytesIO(data), "x.txt"))
        except PublistError as err:
            found.append(str(err))
        return found

    for _ in range(4_000):
        monkeypatch.setattr(lines, "MAX_LINE_BYTES", rng.randint(8, 60))
        data = b"".join(rng.choices(pieces, k=rng.randint(0, 14)))
        assert read(lines.numbered_lines, data) == read(lines._lines_one_by_one, data), data


@pytest.mark.parametrize(
    ("names", "message"),
    [
        ('[{"family": "A"}, {"family": "B", "given": "\\ud800"}]', "author[2].given: text holds"),
        ('[{"family": "É"}, {"literal": "x\\udfffy"}]', "author[2].literal: text holds"),
        ('[{"family": "A", "given": 3}]', "author[1].given: must be text, not a number"),
        ('[{"family": "A", "parse-names": [1]}]', "author[1].parse-names: must be text"),
        ('[{"family": "A"}, "B"]', "author[2]: must be a name object, not text"),
    ],
)
def test_name_lists_checked_at_once_fail_as_one_by_one(tmp_path, names: str, message: str):
    """A CSL-JSON name list is checked in one pass over its joined text; a list that pass does
    not clear is checked name by name, so the error names the name and the part."""
    from publist import read

    path = tmp_path / "items.json"
    path.write_text(f'[{{"id": "a", "type": "book", "author": {names}}}]', encoding="utf-8")
    with pytest.raises(PublistError) as err:
        list(read(path))
    assert f"item 1 (a): {message}" in str(err.value)


def test_name_lists_with_flags_and_unicode_read_unchanged(tmp_path):
    from publist import read

    path = tmp_path / "items.json"
    names = '[{"family": "Müller", "given": "Jürgen", "parse-names": true}, {"literal": "Ω Lab"}]'
    path.write_text(f'[{{"id": "a", "type": "book", "author": {names}}}]', encoding="utf-8")
    (item,) = list(read(path))
    assert item["author"] == [
        {"family": "Müller", "given": "Jürgen", "parse-names": True},
        {"literal": "Ω Lab"},
    ]
