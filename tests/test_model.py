"""The Collection: built by its constructor, changed only by its own methods."""

from __future__ import annotations

import ast

import pytest
from helpers import ROOT

import publist
from publist.model import Collection, KeyPolicy
from publist.pipeline import RecordSource, can_run_parallel

SEED_TEXT = "Doe, Jane\nA title\nDoe, Jane, Roe, Rick\nAn abstract.\n"

COLLECTION_STATE = {
    "owner",
    "source",
    "keys",
    "records",
    "field_offsets",
    "position",
    "generated_keys",
    "warnings",
    "errors",
    "_items",
    "_located",
}


def test_located_items_set_the_position():
    collection = Collection.located([(3, {"id": "a"}), (9, {"id": "b"})], field_offsets={"x": 1})
    lines = [(collection.line_of(), collection.line_of("x")) for _ in collection]
    assert lines == [(3, 4), (9, 10)]


def test_state_is_read_only():
    collection = Collection([], owner={"family": "Doe"})
    for attribute in ("owner", "source", "keys", "records", "position", "field_offsets"):
        with pytest.raises(AttributeError):
            setattr(collection, attribute, None)


def test_reading_in_order_drops_the_raw_records():
    records = RecordSource(iter([1, 2]), lambda raw, source: {"id": str(raw)})
    collection = Collection([{"id": "x"}], keys=KeyPolicy.GENERATED, records=records)
    assert collection.records is records
    assert collection.to_list() == [{"id": "x"}]
    assert collection.records is None


def test_an_overlay_means_one_process(tmp_path, monkeypatch):
    monkeypatch.setenv("PUBLIST_WORKERS", "4")
    seed = tmp_path / "list.txt"
    seed.write_text(SEED_TEXT, encoding="utf-8")
    plain = publist.read(seed)
    assert plain.generated_keys and plain.records is not None
    (tmp_path / "list.meta.yaml").write_text("- title: A title\n  year: 2020\n", encoding="utf-8")
    overlaid = publist.read(seed)
    assert overlaid.generated_keys and overlaid.owner == {"family": "Doe", "given": "Jane"}
    assert overlaid.records is None and not can_run_parallel(overlaid)
    assert [item["id"] for item in overlaid] == ["doe2020title"]


def test_passing_through_keeps_the_reports_and_the_records():
    seen: list[object] = []

    def spy(stream):
        for value in stream:
            seen.append(value)
            yield value

    records = RecordSource(iter(["r"]), lambda raw, source: {"id": raw})
    collection = Collection([{"id": "a"}], records=records, source="f")
    wrapped = collection.passing_through(spy)
    assert wrapped.warnings is collection.warnings and wrapped.errors is collection.errors
    assert wrapped.source == "f"
    assert wrapped.records is not None and list(wrapped.records.raw) == ["r"]
    assert wrapped.to_list() == [{"id": "a"}]
    assert seen == ["r", (None, {"id": "a"})]


def test_no_writes_to_a_collection_outside_model_py():
    """No module but model.py assigns a collection's state (its reports are appended to);
    other classes' own ``self.x =`` are theirs."""
    offenders = []
    for path in sorted((ROOT / "src" / "publist").rglob("*.py")):
        if path.name == "model.py" and path.parent.name == "publist":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = node.targets if isinstance(node, ast.Assign) else []
            if isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                targets = [node.target]
            for target in targets:
                if (
                    isinstance(target, ast.Attribute)
                    and not (isinstance(target.value, ast.Name) and target.value.id == "self")
                    and target.attr in COLLECTION_STATE
                ):
                    offenders.append(f"{path.name}:{node.lineno}: .{target.attr}")
    assert not offenders, offenders
