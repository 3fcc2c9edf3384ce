"""The seed reader: exact line rules, records, errors with line numbers."""

from __future__ import annotations

import io
import json

import jsonschema
import pytest
from helpers import SEED, SEED_AUTHOR_COUNTS, seed_authors

import publist
from publist.errors import PublistError


def read_text(text: str | bytes):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return publist.read(io.BytesIO(data), "seed")


def test_bundled_seed_counts_and_first_author():
    collection = publist.read(SEED)
    items = collection.to_list()
    assert [len(i["author"]) for i in items] == SEED_AUTHOR_COUNTS
    assert items[0]["author"][0] == {"literal": "Gemma Team"}
    assert collection.owner == {"family": "Hussenot", "given": "Léonard"}
    assert len({i["id"] for i in items}) == 10


def test_no_name_lost_or_reordered():
    """Every token pair of the file is in the item, in order, with no text lost."""
    items = publist.read(SEED).to_list()
    for item, tokens in zip(items, seed_authors(), strict=True):
        pairs = list(zip(tokens[::2], tokens[1::2], strict=True))
        assert len(item["author"]) == len(pairs)
        for name, (family, given) in zip(item["author"], pairs, strict=True):
            words = sorted(" ".join(v for k, v in name.items()).split())
            expected = sorted((family + ("" if given == "null" else " " + given)).split())
            assert words == expected


def test_items_validate_against_schema(csl_schema):
    items = publist.read(SEED).to_list()
    jsonschema.validate(items, csl_schema)


def test_types_and_no_fake_dates():
    items = publist.read(SEED, meta=False).to_list()
    assert items[0]["type"] == "report"  # "Gemma 3 Technical Report"
    assert {i["type"] for i in items[1:]} == {"article"}
    assert all("issued" not in i for i in items)


def test_bom_and_crlf_give_identical_output(tmp_path):
    plain = SEED.read_bytes()
    crlf = b"\xef\xbb\xbf" + plain.replace(b"\n", b"\r\n")
    (tmp_path / "a.txt").write_bytes(plain)
    (tmp_path / "b.txt").write_bytes(crlf)
    publist.convert(tmp_path / "a.txt", tmp_path / "a.json", "csl-json")
    publist.convert(tmp_path / "b.txt", tmp_path / "b.json", "csl-json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


@pytest.mark.parametrize("odd", ["\u2028", "\u0085", "\x0c", "\u2029", "\x0b", "\x1c"])
def test_unicode_line_separators_stay_inside_the_abstract(odd):
    text = f"Doe, Jane\nTitle\nDoe, Jane\nbefore{odd}after\nSecond\nRoe, Rick\n\n"
    items = read_text(text).to_list()
    assert len(items) == 2
    assert items[0]["abstract"] == f"before{odd}after"
    assert "abstract" not in items[1]  # an empty abstract on the last record


def test_final_line_end_rules():
    # no final line end: the last abstract is the last line
    assert read_text("Doe, J\nT\nDoe, J\nabs").to_list()[0]["abstract"] == "abs"
    # exactly one final line end is removed; a second one makes an empty line that counts
    items = read_text("Doe, J\nT\nDoe, J\n\n").to_list()
    assert len(items) == 1 and "abstract" not in items[0]
    # ... so without that empty line the record is short of its abstract
    with pytest.raises(PublistError) as err:
        read_text("Doe, J\nT\nDoe, J\n").to_list()
    assert err.value.line == 2
    with pytest.raises(PublistError) as err:
        read_text("Doe, J\nT\nDoe, J\nabs\n\n").to_list()
    assert err.value.line == 5


def test_title_whitespace_stripped_internal_kept():
    items = read_text("Doe, J\n  A  title\twith tabs  \nDoe, J\n  abstract kept  ").to_list()
    assert items[0]["title"] == "A  title\twith tabs"
    assert items[0]["abstract"] == "  abstract kept  "


def test_null_and_organisations():
    items = read_text(
        "Doe, J\nT\nGemma Team, null, Dmitry, null, Lepikhin, null, Doe, J\n\n"
    ).to_list()
    assert items[0]["author"] == [
        {"literal": "Gemma Team"},
        {"family": "Dmitry"},
        {"family": "Lepikhin"},
        {"family": "Doe", "given": "J"},
    ]


@pytest.mark.parametrize(
    "text, line, fragment",
    [
        ("Doe, J\nT\nDoe, J, Roe\nabs\n", 3, "odd number"),
        ("Doe, J\nT\nDoe, , Roe, R\nabs\n", 3, "empty name part"),
        ("Doe, J\nT\nDoe, J\nabs\nSecond title\nRoe, R", 5, "truncated record"),
        ("Doe, J\nT\n", 2, "truncated record"),
        ("", 1, "empty file"),
        ("Doe\n", 1, "owner"),
        (b"Doe, J\nT\n\x89PNG\r\n\x1a\n", 3, "not UTF-8"),
        (b"Doe, J\nT\x00\x00\nDoe, J\n", 2, "binary"),
    ],
)
def test_bad_input_errors_name_the_line(text, line, fragment):
    with pytest.raises(PublistError) as err:
        read_text(text).to_list()
    assert err.value.line == line
    assert fragment in str(err.value)


@pytest.mark.parametrize(
    "content, line",
    [
        ("Doe, J\nT\nDoe, J, Roe\nabs\n", 3),
        ("Doe, J\nT\nDoe, J\nabs\nSecond\nRoe, R\nabs\nThird", 8),
        ("", 1),
        (bytes(range(256)) * 4, 1),
    ],
)
def test_cli_bad_input_one_line_error_and_no_output_file(cli, tmp_path, content, line):
    src = tmp_path / "bad.txt"
    src.write_bytes(content.encode() if isinstance(content, str) else content)
    out = tmp_path / "out.json"
    result = cli("convert", str(src), "-t", "csl-json", "-o", str(out))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"publist: error: {src}:{line}: ")
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [src]  # no temporary file left behind either


def test_failed_conversion_leaves_existing_target_unchanged(cli, tmp_path):
    src = tmp_path / "bad.txt"
    src.write_text("Doe, J\nT\nDoe, J, Roe\nabs\n", encoding="utf-8")
    out = tmp_path / "out.json"
    out.write_text("previous", encoding="utf-8")
    assert cli("convert", str(src), "-t", "csl-json", "-o", str(out)).exit_code == 1
    assert out.read_text(encoding="utf-8") == "previous"


def test_seed_writer_round_trip_is_exact_for_the_bundled_seed(tmp_path):
    first = publist.read(SEED, meta=False)
    publist.write(first, tmp_path / "again.txt", "seed")
    again = publist.read(tmp_path / "again.txt")
    assert again.owner == publist.read(SEED).owner
    assert again.to_list() == publist.read(SEED, meta=False).to_list()


def test_empty_abstract_on_last_record_written_as_empty_line(tmp_path):
    items = read_text("Doe, J\nT\nDoe, J\n\n")
    publist.write(items, tmp_path / "x.txt", "seed")
    assert (tmp_path / "x.txt").read_text(encoding="utf-8") == "Doe, J\nT\nDoe, J\n\n"


def test_csl_json_output_is_deterministic_utf8(tmp_path):
    publist.convert(SEED, tmp_path / "a.json", "csl-json")
    publist.convert(SEED, tmp_path / "b.json", "csl-json")
    text = (tmp_path / "a.json").read_text(encoding="utf-8")
    assert text == (tmp_path / "b.json").read_text(encoding="utf-8")
    assert "Ramé" in text and "\\u00e9" not in text
    assert text.endswith("}\n]\n") and text.startswith('[\n  {\n    "id"')
    assert json.loads(text) == publist.read(SEED).to_list()
