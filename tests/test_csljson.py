from __future__ import annotations

import io
import json

import jsonschema
import pytest
from helpers import SEED

import publist
from publist.errors import PublistError


def read_json(text: str):
    return publist.read(io.BytesIO(text.encode()), "csl-json").to_list()


def test_round_trip(tmp_path, csl_schema):
    publist.convert(SEED, tmp_path / "a.json", "csl-json")
    items = publist.read(tmp_path / "a.json").to_list()
    jsonschema.validate(items, csl_schema)
    assert items == publist.read(SEED).to_list()


def test_accepts_what_citeproc_js_accepts():
    item = {"id": "a", "type": "book", "title": "T"}
    assert read_json(json.dumps([item])) == [item]
    assert read_json(json.dumps({"a": item})) == [item]
    assert read_json(json.dumps(item)) == [item]
    assert read_json(json.dumps([{"id": 7, "type": "book"}])) == [{"id": 7, "type": "book"}]


def test_object_keyed_by_id_gives_its_key_as_the_id():
    keyed = {"a": {"type": "book", "title": "T"}, "b": {"id": "own", "type": "book"}}
    assert read_json(json.dumps(keyed)) == [
        {"id": "a", "type": "book", "title": "T"},
        {"id": "own", "type": "book"},
    ]


@pytest.mark.parametrize(
    "items, fragment",
    [
        ([{"id": "a", "type": "book"}, {"type": "book"}], "item 2: no `id`"),
        ([{"id": "a"}], "item 1: no `type`"),
        ([{"id": "a", "type": "book", "author": "Doe, J"}], "item 1 (a): author: must be a list"),
        (["x"], "item 1: an item must be a JSON object"),
    ],
)
def test_bad_items_reported_with_index(items, fragment):
    with pytest.raises(PublistError) as err:
        read_json(json.dumps(items))
    assert fragment in str(err.value)


def test_syntax_error_names_line():
    with pytest.raises(PublistError) as err:
        read_json('[\n {"id": "a",\n "type": }\n]')
    assert err.value.line == 3


def test_jsonl_streams_and_round_trips(tmp_path):
    publist.convert(SEED, tmp_path / "a.jsonl", "csl-jsonl")
    lines = (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 10
    assert publist.read(tmp_path / "a.jsonl").to_list() == publist.read(SEED).to_list()
    (tmp_path / "bad.jsonl").write_text(lines[0] + "\n{\n", encoding="utf-8")
    with pytest.raises(PublistError) as err:
        publist.read(tmp_path / "bad.jsonl").to_list()
    assert err.value.line == 2


def test_empty_collection_is_an_empty_array(tmp_path):
    publist.write([], tmp_path / "e.json", "csl-json")
    assert (tmp_path / "e.json").read_text() == "[]\n"


def test_doi_links_read_as_bare_dois(tmp_path):
    """Exporters write DOIs as links (https://doi.org/…, http://dx.doi.org/…) or `doi:…`; the
    reader keeps the bare DOI, as the .bib and RIS readers do."""
    items = [
        {"id": f"k{i}", "type": "article-journal", "DOI": doi}
        for i, doi in enumerate(
            [
                "https://doi.org/10.1002/jts.22387",
                "http://dx.doi.org/10.1145/3%2F4",
                "doi:10.5555/x",
            ]
        )
    ]
    path = tmp_path / "in.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    dois = [item["DOI"] for item in publist.read(path)]
    assert dois == ["10.1002/jts.22387", "10.1145/3/4", "10.5555/x"]
