"""dumps_item's cached variable names and element texts give what json's encoder gives."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from publist.formats.csljson import dumps_item

scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5)
)
names = st.dictionaries(st.sampled_from(["family", "given", "literal"]), st.text(max_size=4))
objects = st.dictionaries(st.text(max_size=2), scalars | st.lists(scalars, max_size=2), max_size=2)
values = (
    scalars
    | st.lists(names, max_size=4)
    | st.lists(objects | scalars, max_size=3)
    | st.dictionaries(st.text(max_size=3), scalars, max_size=2)
)
items = st.dictionaries(st.sampled_from(["id", "title", "author", "x y", "é"]), values, max_size=4)


def _item_text_by_definition(item: dict, indent: str) -> str:
    """A variable per line, an element of a list of objects per line, each as json.dumps."""
    inner = indent + "  "
    lines = []
    for var, value in item.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            elements = f",\n{inner}  ".join(json.dumps(v, ensure_ascii=False) for v in value)
            text = f"[\n{inner}  {elements}\n{inner}]"
        else:
            text = json.dumps(value, ensure_ascii=False)
        lines.append(f"{inner}{json.dumps(var, ensure_ascii=False)}: {text}")
    return "{\n" + ",\n".join(lines) + f"\n{indent}}}" if lines else "{}"


@settings(deadline=None)  # (its first examples fill caches: slow on a loaded machine)
@given(items, st.sampled_from(["", "  "]))
def test_item_text_is_the_text_by_definition(item: dict, indent: str) -> None:
    expected = _item_text_by_definition(item, indent)
    assert dumps_item(item, indent) == expected
    assert dumps_item(item, indent) == expected  # (again: from the caches)
    assert json.loads(dumps_item(item, indent)) == item


def test_an_element_equal_to_a_remembered_one_by_hash_is_written_as_itself() -> None:
    # 1 == True and hash(1) == hash(True): only objects of texts are remembered
    assert dumps_item({"x": [{"a": 1}]}) == '{\n  "x": [\n    {"a": 1}\n  ]\n}'
    assert dumps_item({"x": [{"a": True}]}) == '{\n  "x": [\n    {"a": true}\n  ]\n}'
