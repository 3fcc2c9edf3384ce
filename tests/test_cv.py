"""`publist cv`: owner matching, highlighting, long author lists, grouping, LaTeX, examples."""

from __future__ import annotations

import re
import subprocess

import pytest
from helpers import ROOT, SEED, require_tools

import publist
from publist.names import find_owner, name_from_text, same_person
from publist.render.cv import render_cv, shown_authors
from publist.text import fold

# (owner as given, author as written, same person?)
OWNER_CASES = [
    ("Hussenot, Léonard", "Hussenot, Léonard", True),
    ("Hussenot, Léonard", "Hussenot, Leonard", True),
    ("Hussenot, Léonard", "HUSSENOT, LÉONARD", True),
    ("Hussenot, Léonard", "hussenot, léonard", True),
    ("Hussenot, Léonard", "Hussenot, L.", True),
    ("Hussenot, Léonard", "Hussenot, L", True),
    ("Hussenot, Léonard", "L. Hussenot", True),
    ("Hussenot, Léonard", "Léonard Hussenot", True),
    ("Hussenot, Léonard", "Hussenot, Léonard M.", True),
    ("Hussenot, Léonard", "Hussenot, M.", False),
    ("Hussenot, Léonard", "Hussenot, Marie", False),
    ("Hussenot, Léonard", "Hussenots, Léonard", False),
    ("Hussenot, Léonard", "Husenot, Léonard", False),
    ("Müller, Jürgen", "Mueller, Juergen", True),
    ("Müller, Jürgen", "Muller, Jurgen", True),
    ("Müller, Jürgen", "Müller, J.", True),
    ("Müller, Jürgen", "J. Müller", True),
    ("Müller, Jürgen", "Mueller, J.", True),
    ("Müller, Jürgen", "Müller, K.", False),
    ("Müller, Jürgen", "Müller, Karl", False),
    ("Müller, Jürgen", "Möller, Jürgen", False),
    ("de Freitas, Nando", "Freitas, Nando de", True),
    ("de Freitas, Nando", "de Freitas, N.", True),
    ("de Freitas, Nando", "Nando de Freitas", True),
    ("de Freitas, Nando", "De Freitas, Nando", True),
    ("de Freitas, Nando", "Freitas, N.", True),
    ("de Freitas, Nando", "da Freitas, Nando", False),
    ("van der Maaten, Laurens", "Maaten, Laurens van der", True),
    ("van der Maaten, Laurens", "van der Maaten, L.", True),
    ("Smith, John", "Smithson, John", False),
    ("Smith, John", "Smith, Jane", False),
    ("Smith, John", "Smith, J.", True),
    ("Smith, John", "Smith Jr., John", True),
    ("Grill, Jean-Bastien", "Grill, J.-B.", True),
    ("Grill, Jean-Bastien", "Grill, Jean-bastien", True),
    ("Gemma Team", "Gemma Team", True),
    ("Gemma Team", "Gemini Team", False),
]


@pytest.mark.parametrize("owner, author, same", OWNER_CASES)
def test_owner_matching(owner, author, same):
    assert same_person(name_from_text(owner), name_from_text(author)) is same
    assert same_person(name_from_text(author), name_from_text(owner)) is same  # symmetric


def test_owner_matching_on_real_author_lists():
    """In the seed's author lists: each person matches themself, the owner is found exactly
    once per record, and two authors match only when family name and first initial agree."""
    collection = publist.read(SEED, meta=False)
    records = collection.to_list()
    assert [len(find_owner(r["author"], [collection.owner])) for r in records] == [1] * 10
    people = [a for a in records[0]["author"] if a.get("given")]  # 216 authors
    assert len(people) > 200
    for a in people:
        assert same_person(a, a)
        for b in people:
            if a is not b and same_person(a, b):
                assert fold(a["family"]) == fold(b["family"]), (a, b)
                assert fold(a["given"])[0] == fold(b["given"])[0], (a, b)


@pytest.fixture(scope="module")
def seed_markdown():
    return render_cv(publist.read(SEED), format="markdown")


def entries(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if re.match(r"^\d+\. ", line)]


def test_seed_markdown_layout(seed_markdown):
    lines = entries(seed_markdown)
    assert len(lines) == 10
    assert [int(line.split(".")[0]) for line in lines] == list(range(10, 0, -1))
    headings = [line for line in seed_markdown.splitlines() if line.startswith("## ")]
    assert headings == ["## 2025", "## 2024", "## 2023", "## 2022", "## 2021"]
    for line in lines:
        assert line.count("**") == 2 and "**Hussenot, L.**" in line  # the owner, once


def test_long_author_lists_keep_the_owner(seed_markdown):
    gemini = next(line for line in entries(seed_markdown) if "Gemini: A Family" in line)
    assert gemini.startswith(
        "4. Gemini Team, Anil, R., Borgeaud, S., …, **Hussenot, L.**, …, & "
        "Vinyals, O. (942 authors)."
    )
    short = next(line for line in entries(seed_markdown) if "WARM" in line)
    assert "authors)" not in short and "…" not in short  # 7 authors: all shown


def test_links_and_abstracts_indented(seed_markdown):
    lines = seed_markdown.splitlines()
    at = lines.index(next(line for line in lines if line.startswith("6. Ramé")))
    assert lines[at + 1].startswith("   [DOI](<https://doi.org/10.48550/arXiv.2406.16768>)")
    assert lines[at + 2].startswith("   Abstract: Reinforcement learning from human feedback")


def test_shown_authors_positions():
    names = [{"family": f"F{i}", "given": "G"} for i in range(20)]
    shown, where = shown_authors(names, [10], 10)
    assert [n.get("family", n.get("literal")) for n in shown] == [
        "F0",
        "F1",
        "F2",
        "…",
        "F10",
        "…",
        "F19",
    ]
    assert where == [4]
    shown, where = shown_authors(names, [1], 10)
    assert [n.get("family", n.get("literal")) for n in shown] == ["F0", "F1", "F2", "…", "F19"]
    assert where == [1]
    assert shown_authors(names, [10], 0)[0] == names


def test_max_authors_zero_shows_everyone():
    markdown = render_cv(publist.read(SEED), format="markdown", max_authors=0, abstracts=False)
    gemini = next(line for line in entries(markdown) if "Gemini: A Family" in line)
    assert "authors)" not in gemini and gemini.count("**") == 2
    assert gemini.count("., ") > 900


def test_undated_group_last_and_no_numbers():
    markdown = render_cv(publist.read(SEED, meta=False), format="markdown", numbered=False)
    assert [x for x in markdown.splitlines() if x.startswith("## ")] == ["## Undated"]
    assert not entries(markdown)
    assert sum(1 for x in markdown.splitlines() if x.startswith("- ")) == 10


def test_group_by_type():
    markdown = render_cv(publist.read(SEED), format="markdown", group_by="type")
    headings = [x for x in markdown.splitlines() if x.startswith("## ")]
    assert headings == ["## Conference papers", "## Preprints", "## Reports"]


def test_highlight_is_the_name_not_a_surname_search():
    items = [
        {
            "id": "a",
            "type": "article-journal",
            "title": "T",
            "container-title": "J",
            "issued": {"date-parts": [[2020]]},
            "author": [
                {"family": "Smithson", "given": "John"},
                {"family": "Smith", "given": "John"},
                {"family": "Smith", "given": "Karl"},
            ],
        }
    ]
    owner = [name_from_text("Smith, John")]
    for fmt, bold in (
        ("markdown", "**Smith, J.**"),
        ("html", '<strong class="owner">Smith, J.</strong>'),
        ("latex", r"\textbf{Smith, J.}"),
    ):
        text = render_cv(items, owner, format=fmt)
        assert bold in text
        assert text.count(bold) == 1  # not Smithson, not Karl Smith


def test_owner_variants_and_display_order():
    items = [
        {
            "id": "a",
            "type": "article-journal",
            "title": "T",
            "container-title": "J",
            "issued": {"date-parts": [[2020]]},
            "author": [
                {"family": "Doe", "given": "Jane"},
                {"family": "Freitas", "given": "Nando", "non-dropping-particle": "de"},
            ],
        }
    ]
    owners = [name_from_text("Freitas, Nando de")]
    assert "**N. de Freitas**" in render_cv(items, owners, style="ieee", format="markdown")
    assert "**de Freitas, N.**" in render_cv(items, owners, style="apa", format="markdown")
    assert "**Nando de Freitas**" in render_cv(
        items, owners, style="chicago-author-date", format="markdown"
    )


def test_cli_cv(cli, tmp_path):
    result = cli("cv", str(SEED), "--format", "markdown", "--no-abstracts")
    assert result.exit_code == 0 and len(entries(result.stdout)) == 10
    out = tmp_path / "cv.html"
    assert cli("cv", str(SEED), "--format", "html", "-o", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "Example" in cli("cv", "--help").output


def test_html_is_escaped_and_self_contained():
    items = [
        {
            "id": "x",
            "type": "article-journal",
            "title": "<script>alert(1)</script>",
            "author": [{"family": "Doe", "given": "Jane"}],
            "abstract": "<b>bold</b> & more",
            "container-title": "J",
            "issued": {"date-parts": [[2020]]},
        }
    ]
    page = render_cv(items, [name_from_text("Doe, Jane")], format="html")
    assert "<script>alert(1)" not in page and "&#60;script&#62;alert(1)" in page
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; more" in page
    assert not re.search(r"(src|href)=\"https?://(?!doi\.org|arxiv\.org)", page)
    assert "<link" not in page and '<meta name="viewport"' in page


def test_latex_fragment_compiles(tmp_path):
    require_tools("pdflatex", "pdftotext")
    fragment = render_cv(publist.read(SEED), format="latex")
    (tmp_path / "cv.tex").write_text(fragment, encoding="utf-8")
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\n\\usepackage[utf8]{inputenc}\n\\usepackage[T1]{fontenc}\n"
        "\\begin{document}\n\\input{cv.tex}\n\\end{document}\n",
        encoding="utf-8",
    )
    run = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
        cwd=tmp_path,
        capture_output=True,
        timeout=600,
    )
    log = (tmp_path / "doc.log").read_text(encoding="utf-8", errors="replace")
    assert run.returncode == 0 and not [x for x in log.splitlines() if x.startswith("! ")]
    text = subprocess.run(
        ["pdftotext", "doc.pdf", "-"], cwd=tmp_path, capture_output=True, text=True
    ).stdout
    assert "10. Gemma Team" in text and "1. Orsini" in text


@pytest.mark.parametrize(
    "suffix, fmt", [(".cv.md", "markdown"), (".cv.html", "html"), (".cv.tex", "latex")]
)
def test_committed_examples_are_current(suffix, fmt):
    example = ROOT / "examples" / f"hussenot-leonard{suffix}"
    assert example.read_text(encoding="utf-8") == render_cv(publist.read(SEED), format=fmt), (
        f"{example.name} is stale: run `make examples`"
    )


def test_page_is_valid_html5(tmp_path):
    """The W3C Nu HTML Checker (vnu.jar) finds no error and no warning in the CV page."""
    require_tools("java", "npm")
    import sys

    sys.path.insert(0, str(ROOT / "tests" / "conformance"))
    from generate import ensure_node_tools

    vnu = ensure_node_tools() / "vnu-jar" / "build" / "dist" / "vnu.jar"
    page = tmp_path / "cv.html"
    page.write_text(render_cv(publist.read(SEED), format="html"), encoding="utf-8")
    run = subprocess.run(
        ["java", "-jar", str(vnu), "--format", "text", str(page)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = (run.stdout + run.stderr).strip()
    assert run.returncode == 0 and report == "Document checking completed. No errors found.", report
