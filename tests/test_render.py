"""`publist render`, `publist styles` and the render API."""

from __future__ import annotations

import json

import pytest
from helpers import SEED

import publist
from publist.errors import PublistError
from publist.render import render, resolve


def item(**extra):
    base = {
        "id": "a",
        "type": "article-journal",
        "title": "A Title",
        "author": [{"family": "Doe", "given": "Jane"}],
        "container-title": "Journal",
        "issued": {"date-parts": [[2020]]},
    }
    base.update(extra)
    return base


def test_render_seed_apa_ten_entries_in_apa_order(cli):
    result = cli("render", str(SEED), "-s", "apa")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 10
    families = [line.split(",")[0] for line in lines]
    assert families == sorted(families, key=str.casefold)
    assert "(2024)" in result.stdout and "n.d." not in result.stdout


def test_html_document_shape(cli):
    result = cli("render", str(SEED), "-s", "ieee", "--format", "html")
    lines = result.stdout.splitlines()
    assert lines[0] == '<div class="csl-bib-body">' and lines[-1] == "</div>"
    # second-field-align as citeproc-js writes it: the margin and the rest on a line of their own
    entries = [lines[i : i + 3] for i in range(1, len(lines) - 1, 3)]
    assert len(entries) == 10 and len(lines) == 32
    for opening, fields, closing in entries:
        assert opening == '  <div class="csl-entry">' and closing == "  </div>"
        assert fields.startswith('    <div class="csl-left-margin">[')


@pytest.mark.parametrize(
    "fmt, title, expected",
    [
        ("html", "A & B <b>", "A &#38; B &#60;b&#62;"),
        (
            "latex",
            "100% of $x$ & {y} \\z #1 a_b",
            r"100\% of \$x\$ \& \textbraceleft{}y"
            r"\textbraceright{} \textbackslash{}z \#1 a\_b",
        ),
        ("markdown", "*not bold* [link](x) <tag>", r"\*not bold\* \[link\](x) \<tag\>"),
        ("rst", "*x* `y` a_b", r"\*x\* \`y\` a\_b"),
        ("text", "A & B <b> *c*", "A & B <b> *c*"),
    ],
)
def test_escaping_per_format(fmt, title, expected):
    assert expected in render([item(title=title)], "ieee", fmt)[0]


@pytest.mark.parametrize(
    "fmt, italic",
    [
        ("html", "<i>Journal</i>"),
        ("markdown", "*Journal*"),
        ("latex", r"\textit{Journal}"),
        ("rst", "*Journal*"),
        ("text", "Journal"),
    ],
)
def test_italics_mapped(fmt, italic):
    assert italic in render([item()], "apa", fmt)[0]


def _caps_style():
    style = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><layout><text variable="title" font-variant="small-caps"/>
    <text variable="container-title" font-weight="bold" prefix=" "/></layout></bibliography>
</style>"""
    return style


def test_small_caps_bold(tmp_path):
    path = tmp_path / "caps.csl"
    path.write_text(_caps_style(), encoding="utf-8")
    assert render([item()], str(path), "markdown") == ["[A Title]{.smallcaps} **Journal**"]
    assert render([item()], str(path), "latex") == [r"\textsc{A Title} \textbf{Journal}"]


def test_a_style_tab_is_printed_a_data_tab_is_a_space(tmp_path):
    """citeproc-js prints a tab the style writes (``suffix=".&#9;"``, CSL suite
    label_EditorTranslator1); white space in the data collapses to one space."""
    path = tmp_path / "tab.csl"
    path.write_text(
        _caps_style().replace(
            '<text variable="title" font-variant="small-caps"/>',
            '<text value="1" suffix=".&#9;"/><text variable="title"/>',
        ),
        encoding="utf-8",
    )
    tabbed = {**item(), "title": "A\tTab  and\nlines"}
    assert render([tabbed], str(path), "text") == ["1.\tA Tab and lines Journal"]
    html = render([tabbed], str(path), "html")[0]
    assert ">1.\tA Tab and lines <b>Journal</b><" in html


def test_missing_year_prints_nd():
    assert "(n.d.)" in render([item(issued=None)], "apa")[0]
    undated = publist.read(SEED, meta=False)
    assert all(
        "(n.d.)" in line for line in publist.render_bibliography(undated, "apa").splitlines()
    )


def test_locale_override():
    two = [{"family": "Doe", "given": "Jane"}, {"family": "Roe", "given": "Rick"}]
    assert " and " in render([item(author=two)], "chicago-author-date")[0]
    assert " und " in render([item(author=two)], "chicago-author-date", locale="de-DE")[0]
    with pytest.raises(PublistError, match="not a known locale"):
        render([item()], "apa", locale="xx-XX")


def test_style_names_renamed_dependent_and_files(tmp_path):
    assert resolve("vancouver").name == "nlm-citation-sequence"
    dependent = resolve("nature-communications")
    assert b"<bibliography" in dependent.xml  # the independent parent's XML
    assert render([item()], "nature-communications")
    path = tmp_path / "mine.csl"
    path.write_bytes(resolve("apa").xml)
    assert render([item()], str(path)) == render([item()], "apa")


@pytest.mark.parametrize("name", ["../apa", "apa/../../x", "APA "])
def test_style_names_are_allow_listed(name):
    with pytest.raises(PublistError):
        resolve(name)


def test_unknown_style_suggests_closest(cli):
    result = cli("render", str(SEED), "-s", "ieeee")
    assert result.exit_code == 1
    assert "unknown style 'ieeee'" in result.stderr and "ieee" in result.stderr


def test_untrusted_style_with_entities_refused(tmp_path):
    evil = tmp_path / "evil.csl"
    evil.write_text(
        '<?xml version="1.0"?><!DOCTYPE style [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<style xmlns="http://purl.org/net/xbiblio/csl">&x;</style>',
        encoding="utf-8",
    )
    with pytest.raises(PublistError, match="DTD or entities"):
        render([item()], str(evil))


def test_style_failure_is_one_clear_error(tmp_path, cli):
    broken = tmp_path / "broken.csl"
    broken.write_text(
        """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>b</title><id>b</id><updated>2020-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><layout><text macro="missing"/></layout></bibliography>
</style>""",
        encoding="utf-8",
    )
    result = cli("render", str(SEED), "-s", str(broken))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("publist: error: style 'broken'")


def test_render_to_file_and_json_input(cli, tmp_path):
    data = tmp_path / "items.json"
    data.write_text(json.dumps([item(), item(id="b", title="Other")]), encoding="utf-8")
    out = tmp_path / "bib.md"
    assert (
        cli("render", str(data), "-s", "apa", "--format", "markdown", "-o", str(out)).exit_code == 0
    )
    text = out.read_text(encoding="utf-8")
    assert text.count("\n\n") == 1 and "*Journal*" in text


def test_styles_command(cli):
    result = cli("styles", "chicago")
    names = [line.split("\t")[0] for line in result.stdout.splitlines()]
    assert "chicago-author-date" in names
    assert all("chicago" in line.lower() for line in result.stdout.splitlines())


def test_render_help_has_example(cli):
    assert "Example" in cli("render", "--help").output
    assert "Example" in cli("styles", "--help").output


def test_parallel_rendering_matches_serial():
    """Entries rendered by forked workers are the serial ones, in the same order."""
    from corpus import hard_cases

    from publist.render import render_entries

    base = [i for i in hard_cases() if len(i.get("author", [])) < 100]
    items = []
    for copy in range(9):  # 9 copies of the hard cases: same-author-same-year groups galore
        for item in base:
            items.append(dict(item, id=f"{item['id']}-{copy}", title=f"{item['title']} {copy}"))
    for style in ("apa", "modern-language-association", "ieee", "springer-basic-author-date"):
        serial = render_entries(items, style, parallel=1)
        assert render_entries(items, style, parallel=2) == serial
