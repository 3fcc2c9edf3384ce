"""What the README's "Design" section says of the code, checked."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from helpers import ROOT

from publist import registry
from publist.render import styles

SRC = ROOT / "src" / "publist"


def _imports(path: Path) -> set[str]:
    """Modules ``path`` imports, relative ones resolved (``..formats`` → ``publist.formats``)."""
    package = ".".join(path.relative_to(SRC.parent).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(p for p in (base, node.module or "") if p)
            found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names}
    return found


def test_the_cli_imports_nothing_from_formats():
    imported = _imports(SRC / "cli.py")
    assert "publist.api" in imported and "publist.registry" in imported  # the parse works
    assert not [m for m in imported if m.startswith("publist.formats")]


def test_the_registry_is_data():
    """No reader or writer is run from registry.py: no pipeline import, no read/write method."""
    imported = _imports(SRC / "registry.py")
    assert "publist.model" in imported
    assert not [m for m in imported if m.startswith("publist.pipeline.") and "ChunkWriter" not in m]
    assert not hasattr(registry.Format, "read") and not hasattr(registry.Format, "write")


def test_every_format_lives_in_its_own_module():
    modules = {fmt.name: fmt.reader or fmt.writer for fmt in registry.all_formats()}
    for name, function in modules.items():
        assert function is not None and function.__module__.startswith("publist.formats."), name


def test_the_styles_folder_is_where_the_code_looks():
    assert styles.REPO_STYLES == ROOT / "styles"
    assert (ROOT / "styles" / "README.md").is_file()
    assert styles.REPO_STYLES in styles._folders()


def test_the_readme_counts_the_known_differences():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = json.loads(
        (ROOT / "tests" / "conformance" / "known-differences.json").read_text(encoding="utf-8")
    )
    order = [key for key in listed if "(order)" in key]
    counts = r"The (\d+) entry differences left .*? and (\d+) in bibliography order"
    match = re.search(counts, readme, re.DOTALL)
    assert match, "the README gives the count of known differences"
    assert (int(match.group(1)), int(match.group(2))) == (len(listed) - len(order), len(order))


def test_readme_formats_table_extensions_are_the_registrys() -> None:
    """Every extension the README's formats table gives is one that selects that format."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("| name | read | write | extensions | notes |", 1)[1].split("\n\n", 1)[0]
    rows = re.findall(r"^\| `([a-z-]+)` \|[^|]*\|[^|]*\|([^|]*)\|", table, re.M)
    assert len(rows) == len(registry.all_formats()), "every format has a row"
    for name, column in rows:
        listed = set(re.findall(r"`(\.[a-z]+)`", column))
        assert listed <= set(registry.get(name).extensions), (name, listed)
