"""Writing findings into the overlay (YAML), keeping what the user wrote: their entries, values,
comments and order stay; a new value carries its provenance as a comment on its line.  The new
text is validated by :func:`publist.meta.load` before it replaces the old, atomically."""

from __future__ import annotations

import difflib
import io
import os
import tempfile
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from .. import meta
from ..api import atomic_output
from ..errors import PublistError
from .decide import FIELDS, Finding, same_venue

HEADER = (
    "Metadata overlay: values publist complete found are marked with their source, "
    "identifier and match score.\n"
    "Edit freely; publist complete never overwrites a value written here (unless --update)."
)


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=2, offset=0)
    return yaml


def load_tree(text: str) -> CommentedSeq:
    tree = _yaml().load(text) if text.strip() else None
    if tree is None:
        tree = CommentedSeq()
        tree.yaml_set_start_comment(HEADER)
    return tree


def dump(tree: CommentedSeq) -> str:
    out = io.StringIO()
    _yaml().dump(tree, out)
    return out.getvalue()


def _yaml_value(value: str | int) -> Any:
    return value if isinstance(value, int) else str(value)


def _same(name: str, mine: Any, found: Any) -> bool:
    """Equal for what they say: a venue named two ways is one venue (no churn on --update)."""
    if name == "venue":
        return same_venue(str(mine), str(found))
    if name == "type":  # "preprint" is what an overlay writes for the CSL type "article"
        aliases = getattr(meta, "TYPE_ALIASES", {})
        mine, found = aliases.get(str(mine), mine), aliases.get(str(found), found)
    return str(mine).lower() == str(found).lower()


def merge(
    entry: CommentedMap, findings: dict[str, Finding], user: dict[str, Any], update: bool
) -> list[str]:
    """Add ``findings`` to ``entry``; returns the fields changed.  ``user``: the validated
    values the entry already had (never replaced unless ``update``)."""
    changed = []
    for name in FIELDS:
        finding = findings.get(name)
        if finding is None:
            continue
        if name in user and not update:
            continue
        if name in user and _same(name, user[name], finding.value):
            continue
        entry[name] = _yaml_value(finding.value)
        entry.yaml_add_eol_comment(finding.provenance, key=name)
        changed.append(name)
    return changed


def new_entry(identify: dict[str, str]) -> CommentedMap:
    entry = CommentedMap()
    for name, value in identify.items():
        entry[name] = value
    return entry


def validate(text: str, path: Path) -> None:
    """The text as meta.load would read it (an error names the overlay)."""
    fd, tmp = tempfile.mkstemp(suffix=".yaml", prefix=".publist-check-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        meta.load(tmp)
    except PublistError as err:
        raise PublistError(
            f"the completed overlay would not load: {err.message}", str(path)
        ) from None
    finally:
        os.unlink(tmp)


def diff(old: str, new: str, path: Path) -> str:
    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=f"{path} (now)",
            tofile=f"{path} (completed)",
        )
    )


def write(text: str, path: Path) -> None:
    with atomic_output(path) as out:
        out.write(text)
