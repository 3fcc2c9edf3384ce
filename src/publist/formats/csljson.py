"""CSL-JSON (a JSON array of items) and CSL-JSON Lines (one item per line, streaming)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, BinaryIO, TextIO

from ..errors import PublistError
from ..lines import numbered_lines, read_text
from ..model import Collection, Item
from ..pipeline import ChunkWriter, write_chunks
from ..registry import Format, register

NAME_VARIABLES = (
    "author",
    "chair",
    "collection-editor",
    "compiler",
    "composer",
    "container-author",
    "contributor",
    "curator",
    "director",
    "editor",
    "editorial-director",
    "editor-translator",
    "executive-producer",
    "guest",
    "host",
    "illustrator",
    "interviewer",
    "narrator",
    "organizer",
    "original-author",
    "performer",
    "producer",
    "recipient",
    "reviewed-author",
    "script-writer",
    "series-creator",
    "translator",
)


def check_item(item: Any, where: str, source: str, line: int | None = None) -> Item:
    """What Zotero and citeproc-js need of an item: an object with an ``id`` and a ``type``."""
    if not isinstance(item, dict):
        raise PublistError(f"{where}: an item must be a JSON object", source, line)
    for key in ("id", "type"):
        value = item.get(key)
        if value is None or value == "":
            raise PublistError(f"{where}: no `{key}`", source, line)
    if not isinstance(item["id"], (str, int, float)):
        raise PublistError(f"{where}: `id` must be a string or a number", source, line)
    if not isinstance(item["type"], str):
        raise PublistError(f"{where}: `type` must be a string", source, line)
    for var in NAME_VARIABLES:
        names = item.get(var)
        if names is None:
            continue
        if not isinstance(names, list) or not all(isinstance(n, dict) for n in names):
            raise PublistError(f"{where}: `{var}` must be a list of name objects", source, line)
    return item


def _loads(text: str, source: str, line_offset: int = 0) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise PublistError(f"invalid JSON: {err.msg}", source, err.lineno + line_offset) from None


def read_csl_json(stream: BinaryIO, source: str) -> Collection:
    data = _loads(read_text(stream, source), source)
    if (
        isinstance(data, dict)
        and "id" not in data
        and all(isinstance(v, dict) for v in data.values())
    ):
        items = list(data.values())  # citeproc-js also takes an object keyed by id
    elif isinstance(data, dict):
        items = [data]
    elif isinstance(data, list):
        items = data
    else:
        raise PublistError("CSL-JSON must be an array of items", source, 1)
    for index, item in enumerate(items, start=1):
        check_item(item, f"item {index}", source)
    collection = Collection([], source=source)

    def generate() -> Iterator[Item]:
        for index, item in enumerate(items, start=1):
            collection.position = index
            yield item

    collection._items = generate()
    return collection


_dumps = json.JSONEncoder(ensure_ascii=False).encode  # indent=None: json's C encoder
_encode_string = json.encoder.encode_basestring  # what _dumps does for a str


def dumps_item(item: Item, indent: str = "") -> str:
    """One item as JSON: a variable per line, and a name (or list element) per line.

    Built from json's C encoder rather than ``json.dumps(indent=2)``, whose pure-Python
    encoder is several times slower and puts every part of 942 names on its own line.
    """
    inner = indent + "  "
    lines = []
    for var, value in item.items():
        if type(value) is str:  # most values: json's C string encoder, without the call layers
            lines.append(f"{inner}{_encode_string(str(var))}: {_encode_string(value)}")
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            text = _dumps(value)[1:-1]
            if text.count("}, {") == len(value) - 1:
                # every occurrence is a separator (none is inside a string): split there
                elements = text.replace("}, {", f"}},\n{inner}  {{")
            else:
                elements = f",\n{inner}  ".join(_dumps(v) for v in value)
            text = f"[\n{inner}  {elements}\n{inner}]"
        else:
            text = _dumps(value)
        lines.append(f"{inner}{_dumps(str(var))}: {text}")
    if not lines:
        return "{}"
    return "{\n" + ",\n".join(lines) + f"\n{indent}}}"


class CslJsonWriter(ChunkWriter):
    """A JSON array, an item per block, UTF-8 text, final newline."""

    header = "[\n  "
    separator = ",\n  "
    footer = "\n]\n"
    empty = "[]\n"

    def format(self, items: list[Item]) -> str:
        return ",\n  ".join(dumps_item(item, "  ") for item in items)


def write_csl_json(collection: Collection, out: TextIO) -> None:
    """A JSON array, an item per block, UTF-8 text, final newline; written chunk by chunk."""
    write_chunks(CslJsonWriter(), collection, out)


def read_csl_jsonl(stream: BinaryIO, source: str) -> Collection:
    collection = Collection([], source=source)

    def generate() -> Iterator[Item]:
        for lineno, text in numbered_lines(stream, source):
            if not text.strip():
                continue
            item = check_item(_loads(text, source, lineno - 1), "item", source, lineno)
            collection.position = lineno
            yield item

    collection._items = generate()
    return collection


class CslJsonLinesWriter(ChunkWriter):
    """One compact JSON item per line."""

    def format(self, items: list[Item]) -> str:
        return "".join(_compact(item) + "\n" for item in items)


_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def write_csl_jsonl(collection: Collection, out: TextIO) -> None:
    write_chunks(CslJsonLinesWriter(), collection, out)


register(
    Format(
        name="csl-json",
        description="CSL-JSON 1.0.2: a JSON array of items (Zotero, citeproc-js, pandoc)",
        extensions=(".json",),
        reader=read_csl_json,
        streaming_reader=False,
        writer=write_csl_json,
        chunk_writer=CslJsonWriter,
        default_extension=".json",
    )
)
register(
    Format(
        name="csl-jsonl",
        description="CSL-JSON Lines: one item per line (streams in constant memory)",
        extensions=(".jsonl", ".ndjson"),
        reader=read_csl_jsonl,
        writer=write_csl_jsonl,
        chunk_writer=CslJsonLinesWriter,
        default_extension=".jsonl",
    )
)
