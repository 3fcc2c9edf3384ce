"""Start-up of `publist render`: what a rendering imports (W1 renders one item in about the
time Python takes to import it; benchmarks/run.py measures the time, this holds the causes)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from helpers import ROOT

from publist import registry


def test_reader_extensions_table_is_what_the_modules_register():
    """Each file name finds, importing one module, the format it finds with every module
    imported; the table lists every module and every reader extension."""
    script = (
        "from publist import registry\n"
        "names = ['x' + e for exts in registry.READER_EXTENSIONS.values() for e in exts]\n"
        "names += ['x.meta.json', 'x.bib.txt', 'x.ris.json']\n"
        "fast = [registry.detect(n).name for n in names]\n"
        "one_by_one = not registry._loaded\n"
        "registry.all_formats()\n"
        "print(one_by_one, fast == [registry.detect(n).name for n in names])\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert run.stdout.split() == ["True", "True"], run.stderr
    import pkgutil

    import publist.formats as package

    assert {mod.name for mod in pkgutil.iter_modules(package.__path__)} == set(
        registry.READER_EXTENSIONS
    )
    registered = {ext for fmt in registry.all_formats() if fmt.reader for ext in fmt.extensions}
    listed = {ext for exts in registry.READER_EXTENSIONS.values() for ext in exts}
    assert registered == listed


def test_render_imports_neither_other_formats_nor_importlib_metadata(tmp_path):
    items = tmp_path / "one.json"
    items.write_text(json.dumps([{"id": "a", "type": "book", "title": "T"}]), encoding="utf-8")
    script = (
        "import sys\n"
        "from publist.cli import main\n"
        "try:\n"
        f"    main(['render', {str(items)!r}, '-s', 'ieee', '-o', {str(tmp_path / 'o.txt')!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    imported = set(run.stdout.split())
    assert "publist.formats.csljson" in imported and "citeproc" in imported  # it rendered
    for slow in ("importlib.metadata", "yaml", "bibtexparser", "rispy", "nameparser"):
        assert slow not in imported, slow
    assert (tmp_path / "o.txt").read_text(encoding="utf-8").strip()


def _console(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    """`publist ARGS` as the installed command runs it (publist.cli:run), stdout a pipe."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("PYTHONUNBUFFERED", None)  # (as a user's shell has it: stdout block-buffered)
    script = "import sys; from publist.cli import run; sys.argv[0] = 'publist'; run()"
    return subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, env=env, **kwargs
    )


def test_console_script_skips_teardown_but_keeps_output_and_exit_codes(tmp_path):
    items = tmp_path / "one.json"
    items.write_text(json.dumps([{"id": "a", "type": "book", "title": "T"}]), encoding="utf-8")
    written = tmp_path / "o.bib"
    ok = _console("convert", str(items), "-t", "bibtex", "-o", str(written))
    assert ok.returncode == 0, ok.stderr
    assert written.read_text(encoding="utf-8").startswith("@book{")
    bad = _console("convert", str(tmp_path / "missing.json"), "-t", "bibtex")
    assert bad.returncode == 1 and b"missing.json" in bad.stderr and not bad.stdout
    usage = _console("convert", str(items))
    assert usage.returncode == 2 and b"--to" in usage.stderr
    assert _console("--version").stdout.startswith(b"publist, version ")


def test_console_script_flushes_what_is_still_buffered(tmp_path):
    """os._exit drops Python's buffers: run() flushes them first (a block-buffered pipe holds a
    whole short bibliography)."""
    items = tmp_path / "many.json"
    records = [{"id": f"k{n}", "type": "book", "title": f"Title {n}"} for n in range(40)]
    items.write_text(json.dumps(records), encoding="utf-8")
    shown = _console("convert", str(items), "-t", "bibtex")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.count(b"@book{") == 40 and shown.stdout.rstrip().endswith(b"}")
    listed = _console("formats")
    assert listed.returncode == 0 and b"bibtex" in listed.stdout
