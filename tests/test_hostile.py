"""Hostile input and faults: nothing escapes, nothing is lost, never a traceback.

Payloads are generated here (Hypothesis where a property fits) and judged by the real tools:
pdflatex + bibtex and pdflatex + biber for .bib, pdflatex for LaTeX fragments, docutils for
reStructuredText.  Every CLI case asserts the exit code, one error line naming the file, no
traceback, the old ``-o`` content intact, no ``.part`` file left and no process left.

Payload shapes follow public reports of BibTeX/biber injection (``^^5c`` TeX notation, brace
breakouts such as ``}@misc{evil, title={pwned}``) and the WHATWG URL clean-up rules for
scheme tricks (``java<TAB>script:``, leading controls, mixed case).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, require_module, require_tools
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from texcheck import compile_bib

from publist.formats.bibtex import KEY_CHARACTERS, BibWriter, safe_key

PYTHON = sys.executable
SRC = os.environ.get("PUBLIST_TEST_SRC", str(ROOT / "src"))
SECRET = "SECRETMARKERTEXT"
BRACE_COMMA = "F0 }@misc{evil1, title={pwned}"


def run_cli(*args: str, stdin: bytes | None = None, env: dict | None = None, **kw):
    """The real command in a subprocess (own stdio, signals, exit code)."""
    environment = {**os.environ, "PYTHONPATH": SRC, **(env or {})}
    return subprocess.run(
        [PYTHON, "-m", "publist.cli", *args],
        input=stdin,
        capture_output=True,
        env=environment,
        timeout=300,
        **kw,
    )


def assert_one_error(result, name: str) -> str:
    """Exit 1, one ``publist: error:`` line naming ``name``, no traceback; the line."""
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 1, err
    assert "Traceback" not in err, err
    errors = [line for line in err.splitlines() if line.startswith("publist: error:")]
    assert len(errors) == 1, err
    assert name in errors[0], err
    return errors[0]


def write_json(path: Path, items: list) -> Path:
    path.write_text(json.dumps(items), encoding="utf-8")
    return path


def book(key: str, **fields) -> dict:
    item = {
        "id": key,
        "type": "book",
        "title": "T " + key[:1],
        "author": [{"family": "Doe", "given": "Jane"}],
        "issued": {"date-parts": [[2020]]},
        "publisher": "P",
    }
    item.update(fields)
    return item


# --- 1. citation keys --------------------------------------------------------------------------

SAFE_KEY = re.compile(f"^[{KEY_CHARACTERS}]+$")


@settings(max_examples=300)
@given(st.text())
def test_safe_key_is_safe_and_deterministic(text):
    key = safe_key(text)
    assert SAFE_KEY.match(key)
    assert key == safe_key(text)
    if SAFE_KEY.match(text) and not text.startswith("_") and not text.endswith("_"):
        assert key == text  # a key that is already safe is kept


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(min_size=0, max_size=12), min_size=1, max_size=20))
def test_written_keys_unique_and_warned(ids):
    writer = BibWriter(biblatex=True)
    keys = [writer.entry(book(i)).key for i in ids]
    assert all(SAFE_KEY.match(k) for k in keys)
    assert len({k.lower() for k in keys}) == len(keys)
    changed = [i for i, k in zip(ids, keys, strict=True) if i != k]
    assert len(writer.warnings) == len(changed)
    again = BibWriter(biblatex=True)
    assert [again.entry(book(i)).key for i in ids] == keys


HOSTILE_KEYS = [
    "k^^5cinput^^7bSECRETFILE^^7d",
    "ctl\u0001\u001b[31mred",
    "k\\input{SECRETFILE}",
    "per%cent",
    "br{ace}",
    "hash#x",
    "at@misc{x,",
    "comma,key",
    "space key",
    "tab\tkey",
    "mül\u0301ler",
    "王",
    "dup",
    "DUP",
    "ok:key.1+2/3-4_5",
]


def hostile_bib_items() -> list[dict]:
    items = [book(k) for k in HOSTILE_KEYS]
    payload_names = [
        {"family": BRACE_COMMA, "given": "G"},
        {"family": "Doe", "given": BRACE_COMMA},
        {"literal": BRACE_COMMA},
        {"family": "Doe", "given": "G", "suffix": BRACE_COMMA},
        {"family": "Doe", "given": "G", "non-dropping-particle": BRACE_COMMA},
        {"family": "Doe", "given": "G", "suffix": BRACE_COMMA, "non-dropping-particle": "a,b"},
        {"family": "a, b, c, d", "given": "e, f"},
        {"family": "}x", "given": "{y"},
        {"family": "Doe", "given": "x \\input{SECRETFILE}"},
    ]
    for i, name in enumerate(payload_names):
        items.append(book(f"name{i}", author=[name, {"family": "Roe", "given": "R"}]))
    items.append(book("abstract", abstract="\\input{SECRETFILE} ^^5cinput{SECRETFILE}"))
    return items


@pytest.mark.parametrize(
    "target, backend, style", [("biblatex", "biber", "authoryear"), ("bibtex", "bibtex", "plain")]
)
def test_hostile_keys_and_names_compile(tmp_path, target, backend, style):
    """Every entry reaches the .bbl, nothing is read from a file, no LaTeX error."""
    require_tools("pdflatex", "bibtex", "biber", "pdftotext")
    items = hostile_bib_items()
    source = write_json(tmp_path / "in.json", items)
    bib = tmp_path / "refs.bib"
    result = run_cli("convert", str(source), "-t", target, "-o", str(bib))
    assert result.returncode == 0, result.stderr
    err = result.stderr.decode()
    assert "\x1b" not in err and "\x01" not in err  # warnings show keys escaped, not raw
    assert "citation key 'k^^5cinput^^7bSECRETFILE^^7d' written as" in err
    text = bib.read_text(encoding="utf-8")
    keys = re.findall(r"^@\w+\{(.*),$", text, flags=re.M)
    assert len(keys) == len(items)
    assert all(SAFE_KEY.match(k) for k in keys)
    workdir = tmp_path / "tex"
    workdir.mkdir()
    (workdir / "SECRETFILE.tex").write_text(SECRET + "\n", encoding="utf-8")
    tex = compile_bib(bib, workdir, backend, style, declare_chars={"王"})
    assert tex.errors == []
    assert tex.bbl_entries == len(items)
    assert SECRET not in tex.pdf_text
    assert "pwned" in tex.pdf_text  # the payload is printed as text


# --- 2. links in render --------------------------------------------------------------------------

SCHEME_TRICKS = [
    "javascript:alert(1)",
    " javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "\x01javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
]
ALLOWED_LINK = re.compile(r"^(https?://|mailto:)", re.I)


def render_items() -> list[dict]:
    items = [
        {
            "id": f"u{i}",
            "type": "webpage",
            "title": f"Page {i} about {url.strip()}",
            "URL": url,
            "author": [{"family": f"Doe{i}", "given": "J"}],
            "issued": {"date-parts": [[2020]]},
        }
        for i, url in enumerate(SCHEME_TRICKS)
    ]
    items.append(
        {
            "id": "good",
            "type": "webpage",
            "title": "Fine",
            "URL": "https://example.org/a>b c<d",
            "author": [{"family": "Roe", "given": "R"}],
            "issued": {"date-parts": [[2020]]},
        }
    )
    return items


def test_render_rst_links_judged_by_docutils(tmp_path):
    core = require_module("docutils.core")
    source = write_json(tmp_path / "in.json", render_items())
    result = run_cli("render", str(source), "-s", "apa", "--format", "rst")
    assert result.returncode == 0, result.stderr
    html = core.publish_parts(
        result.stdout.decode(), writer="html", settings_overrides={"report_level": 5}
    )["body"]
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs and all(ALLOWED_LINK.match(h) for h in hrefs), hrefs
    assert "https://example.org/a%3Eb%20c%3Cd" in hrefs
    assert result.stderr.decode().count("not written: only http, https and mailto") == len(
        SCHEME_TRICKS
    )


@pytest.mark.parametrize("fmt", ["html", "markdown", "text", "latex"])
def test_render_drops_unsafe_urls(tmp_path, fmt):
    source = write_json(tmp_path / "in.json", render_items())
    result = run_cli("render", str(source), "-s", "apa", "--format", fmt)
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode().replace("\\%", "%")  # (LaTeX escapes the percent signs)
    for scheme in ("javascript", "vbscript", "data:text", "file:"):
        # the titles keep the words as text; no URL with that scheme is written
        assert not re.search(rf"\.\s+{scheme}", out, re.I), out
    assert "a%3Eb%20c%3Cd" in out and "a>b" not in out


# --- 4. control characters in LaTeX output --------------------------------------------------------

CONTROLS = "".join(chr(c) for c in [*range(0x01, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def compile_fragment(tmp_path: Path, body: str) -> list[str]:
    """pdflatex on ``body`` in a minimal document: the log's error lines."""
    doc = tmp_path / "frag.tex"
    doc.write_text(
        "\\documentclass{article}\n\\usepackage[utf8]{inputenc}\n\\usepackage[T1]{fontenc}\n"
        "\\begin{document}\n" + body + "\n\\end{document}\n",
        encoding="utf-8",
    )
    subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", doc.name],
        cwd=tmp_path,
        capture_output=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    log = (tmp_path / "frag.log").read_text(encoding="utf-8", errors="replace")
    errors = [line for line in log.splitlines() if line.startswith("! ")]
    text = subprocess.run(["pdftotext", "frag.pdf", "-"], cwd=tmp_path, capture_output=True)
    if SECRET.encode() in text.stdout:
        errors.append("a file was read")
    return errors


@pytest.mark.parametrize("command", ["render", "cv"])
def test_control_characters_in_latex_output(tmp_path, command):
    require_tools("pdflatex", "pdftotext")
    items = [
        book(
            f"c{i}",
            title=f"Title {CONTROLS[i]} with control {i}",
            author=[{"family": f"Doe{CONTROLS[i]}x", "given": "Jane"}],
        )
        for i in range(len(CONTROLS))
    ]
    source = write_json(tmp_path / "in.json", items)
    args = ["-s", "apa", "--format", "latex"]
    if command == "cv":
        args += ["--owner", "Doe, Jane\r\\input{SECRETFILE}"]
    result = run_cli(command, str(source), *args)
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    assert not any(c in out for c in CONTROLS + "\r")
    (tmp_path / "SECRETFILE.tex").write_text(SECRET, encoding="utf-8")
    assert compile_fragment(tmp_path, out) == []
