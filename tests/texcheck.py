"""Compile a .bib with real LaTeX tools and read what they said from their logs.

pdflatex + bibtex (a .bst style) or pdflatex + biber (biblatex), with ``\\nocite{*}``.
Errors and warnings are parsed from the .blg and the final .log, never guessed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

TIMEOUT = 900


@dataclass
class TexResult:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    bbl_entries: int = 0
    pdf_text: str = ""
    workdir: Path | None = None


def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        cmd, cwd=cwd, capture_output=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL
    )


def _document(backend: str, style: str, declare_chars) -> str:
    declare = "".join(
        f"\\DeclareUnicodeCharacter{{{ord(c):04X}}}{{\\textbf{{?}}}}\n"
        for c in sorted(declare_chars)
    )
    if backend == "bibtex":
        packages = "\\usepackage{natbib}\n" if "nat" in style else ""
        packages += "\\usepackage{url}\n"
        bib = f"\\bibliographystyle{{{style}}}\n\\bibliography{{refs}}\n"
    else:
        packages = (
            f"\\usepackage[backend=biber,style={style}]{{biblatex}}\n\\addbibresource{{refs.bib}}\n"
        )
        bib = "\\printbibliography\n"
    return (
        "\\documentclass{article}\n\\usepackage[utf8]{inputenc}\n\\usepackage[T1]{fontenc}\n"
        + declare
        + packages
        + "\\begin{document}\n\\nocite{*}\n"
        + bib
        + "\\end{document}\n"
    )


def _log_errors_and_warnings(log: str) -> tuple[list[str], list[str]]:
    errors = [line for line in log.splitlines() if line.startswith("! ")]
    warnings = [line for line in log.splitlines() if re.search(r"Warning:", line)]
    return errors, warnings


def compile_bib(
    bib: Path, workdir: Path, backend: str = "bibtex", style: str = "plain", declare_chars=()
) -> TexResult:
    workdir.mkdir(parents=True, exist_ok=True)
    shutil.copy(bib, workdir / "refs.bib")
    (workdir / "doc.tex").write_text(_document(backend, style, declare_chars), encoding="utf-8")
    result = TexResult(workdir=workdir)
    latex = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"]
    first = _run(latex, workdir)
    if first.returncode != 0:
        result.errors.append(f"first pdflatex failed: {first.stdout[-2000:]!r}")
        return result
    tool = _run(["bibtex", "doc"] if backend == "bibtex" else ["biber", "doc"], workdir)
    blg = (workdir / "doc.blg").read_text(encoding="utf-8", errors="replace")
    if backend == "bibtex":
        result.warnings += [line for line in blg.splitlines() if line.startswith("Warning--")]
        if re.search(r"There (were|was) \d+ error", blg) or tool.returncode >= 2:
            result.errors.append("bibtex: " + blg[-3000:])
    else:
        result.warnings += [line for line in blg.splitlines() if "> WARN - " in line]
        result.errors += [
            line for line in blg.splitlines() if re.search(r"> (ERROR|FATAL) - ", line)
        ]
        if tool.returncode != 0 and not result.errors:
            result.errors.append(f"biber exit {tool.returncode}: {tool.stdout[-2000:]!r}")
    _run(latex, workdir)
    final = _run(latex, workdir)
    log = (workdir / "doc.log").read_text(encoding="utf-8", errors="replace")
    errors, warnings = _log_errors_and_warnings(log)
    result.errors += errors
    result.warnings += warnings
    if final.returncode != 0 and not errors:
        result.errors.append(f"final pdflatex exit {final.returncode}")
    bbl = (workdir / "doc.bbl").read_text(encoding="utf-8", errors="replace")
    result.bbl_entries = len(re.findall(r"\\bibitem|\\entry\{", bbl))
    pdf = workdir / "doc.pdf"
    if pdf.exists():
        text = _run(["pdftotext", "-enc", "UTF-8", "doc.pdf", "-"], workdir).stdout
        result.pdf_text = text.decode("utf-8", errors="replace")
    else:
        result.errors.append("no PDF")
    return result
