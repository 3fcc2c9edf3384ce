"""``publist complete``: years, venues, DOIs and published versions from arXiv, Crossref, dblp
and OpenAlex, written into the record list's overlay (``NAME.meta.yaml``).

:func:`complete` is the API; the command is a thin layer over it."""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml.comments import CommentedSeq

from .. import meta
from ..api import read
from ..errors import PublistError, UsageError
from ..identifiers import arxiv_id, normalise_doi
from ..model import Collection, Item, issued_year
from .base import Query
from .decide import Outcome, decide
from .engine import SOURCE_NAMES, Lookup, make_sources, run
from .http import Cache, Fetcher, cache_path
from .match import bare_arxiv, is_organisation
from .overlay import diff, dump, load_tree, merge, new_entry, validate, write

__all__ = ["SOURCE_NAMES", "Report", "complete"]


@dataclass
class Report:
    overlay: Path
    outcomes: list[Outcome]
    diff: str
    written: bool
    requests: int
    cached: int
    changed: dict[str, list[str]] = field(default_factory=dict)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.failures]


def _query(item: Item, key: str) -> Query:
    families: list[str] = []
    organisations: list[str] = []
    for name in item.get("author") or []:
        if name.get("family"):
            families.append(str(name["family"]))
        elif name.get("literal"):
            literal = str(name["literal"])
            (organisations if is_organisation(literal) or " " in literal else families).append(
                literal
            )
    doi = normalise_doi(str(item["DOI"])) if item.get("DOI") else None
    if doi and doi.lower().startswith("10.48550/"):
        doi = None
    arxiv = arxiv_id(item)
    return Query(
        key=key,
        title=str(item.get("title") or ""),
        families=families,
        organisations=organisations,
        year=issued_year(item),
        doi=doi,
        arxiv=bare_arxiv(arxiv) if arxiv else None,
    )


def default_overlay(source: str) -> Path:
    found = meta.sidecar_for(source)
    if found is not None:
        return found
    path = Path(source)
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    return path.with_name(stem + ".meta.yaml")


def _read_records(source: str, fmt: str | None) -> tuple[list[Item], list[int | None], bool]:
    """The records, the line each starts on, and whether publist made their keys (the seed)."""
    collection = read(source, fmt, meta=False)
    items, lines = [], []
    for item in collection:
        items.append(item)
        lines.append(collection.position)
    if collection.errors:
        raise collection.errors[0]
    return items, lines, collection.generated_keys


def _entries_by_record(items: list[Item], overlay_path: Path) -> tuple[list[Item], dict[int, int]]:
    """The records as the overlay makes them, and which entry (by index) each one has."""
    if not overlay_path.exists():
        return items, {}
    overlay = meta.load(overlay_path)
    applied = list(meta.apply(Collection(copy.deepcopy(items)), overlay))
    index_of_id = {str(item.get("id")): i for i, item in enumerate(items)}
    entry_for = {index_of_id[str(e.matched)]: n for n, e in enumerate(overlay.entries) if e.matched}
    return applied, entry_for


def _user_values(item: Item, overlay_values: dict) -> dict:
    """What the record already has, from its file or its overlay: never replaced by default."""
    have = dict(overlay_values)
    if issued_year(item) and "year" not in have:
        have["year"] = issued_year(item)
    for name, var in (("venue", "container-title"), ("pages", "page"), ("volume", "volume")):
        if item.get(var) and name not in have:
            have[name] = item[var]
    doi = str(item.get("DOI") or "")
    if doi and not doi.lower().startswith("10.48550/") and "doi" not in have:
        have["doi"] = normalise_doi(doi)
    if arxiv_id(item) and "arxiv" not in have:
        have["arxiv"] = arxiv_id(item)
    return have


def _identify(item: Item, titles: dict[str, int] | None) -> dict[str, str]:
    """How a new entry names its record: the file's own key; for a seed (whose keys publist
    makes, and re-makes once a year is known) the title, unless two records share it."""
    title = str(item.get("title") or "")
    if titles is not None and title and titles.get(meta.normalise_title(title), 0) == 1:
        return {"title": title}
    return {"key": str(item.get("id"))}


def _merge_all(
    tree: CommentedSeq,
    outcomes: list[Outcome],
    items: list[Item],
    applied: list[Item],
    entry_for: dict[int, int],
    overlay: meta.Overlay | None,
    update: bool,
    generated_keys: bool,
) -> dict[str, list[str]]:
    """Every record's findings into the overlay's tree; the fields changed by record."""
    titles: dict[str, int] | None = None
    if generated_keys:
        titles = {}
        for item in items:
            key = meta.normalise_title(str(item.get("title") or ""))
            titles[key] = titles.get(key, 0) + 1
    changed: dict[str, list[str]] = {}
    for index, (outcome, item) in enumerate(zip(outcomes, applied, strict=True)):
        if not outcome.findings:
            continue
        if index in entry_for:
            entry = tree[entry_for[index]]
            user = overlay.entries[entry_for[index]].values if overlay else {}
        else:
            entry, user = new_entry(_identify(items[index], titles)), {}
        fields = merge(entry, outcome.findings, _user_values(item, user), update)
        if fields:
            changed[outcome.query.key] = fields
            if index not in entry_for:
                tree.append(entry)
    return changed


def complete(
    source: str,
    fmt: str | None = None,
    overlay_path: str | os.PathLike | None = None,
    sources: tuple[str, ...] = SOURCE_NAMES,
    dry_run: bool = False,
    update: bool = False,
    email: str | None = None,
    offline: bool = False,
    progress: bool = False,
) -> Report:
    """Look every record of ``source`` up and write what was found into its overlay."""
    unknown = set(sources) - set(SOURCE_NAMES)
    if unknown:
        raise UsageError(f"unknown source(s): {', '.join(sorted(unknown))}")
    path = Path(overlay_path) if overlay_path else default_overlay(source)
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise PublistError(
            "complete writes YAML overlays (.meta.yaml); pass --meta FILE.yaml", str(path)
        )
    items, lines, generated_keys = _read_records(source, fmt)
    applied, entry_for = _entries_by_record(items, path)
    old_text = path.read_text(encoding="utf-8") if path.exists() else ""
    outcomes = [
        Outcome(_query(item, str(original.get("id"))), line)
        for item, original, line in zip(applied, items, lines, strict=True)
    ]
    fetcher = Fetcher(
        Cache(cache_path()),
        email,
        offline,
        timeout=_seconds("PUBLIST_TIMEOUT", 20.0),
        backoff=_seconds("PUBLIST_BACKOFF", 1.0),
    )
    try:
        lookup = Lookup(make_sources(sources, email), fetcher)
        run(lookup, outcomes, progress)
    finally:
        fetcher.close()
        fetcher.cache.close()
    for outcome, item in zip(outcomes, applied, strict=True):
        decide(outcome, item.get("type"))
    tree = load_tree(old_text)
    overlay = meta.load(path) if path.exists() else None
    changed = _merge_all(tree, outcomes, items, applied, entry_for, overlay, update, generated_keys)
    new_text = dump(tree) if changed else old_text
    if changed:
        validate(new_text, path)
    written = bool(changed) and not dry_run
    if written:
        write(new_text, path)
    return Report(
        path,
        outcomes,
        diff(old_text, new_text, path),
        written,
        fetcher.requests,
        fetcher.cached,
        changed,
    )


def _seconds(variable: str, default: float) -> float:
    value = os.environ.get(variable)
    if value is None:
        return default
    try:
        return float(value)
    except ValueError:
        raise PublistError(f"{variable}={value!r} is not a number of seconds") from None
