"""Publication lists for personal websites: the overlay's website fields, al-folio, Hugo Blox,
JSON Resume, RenderCV, and `publist cv --selected`.

Each output is judged by its consumer where one runs here: RenderCV's own data model (PyPI
``rendercv``), the JSON Resume schema (tests/data/jsonresume-schema.json, from
jsonresume/resume-schema at b25e3f4), Hugo (Debian's) building pages from the front matter.
al-folio's fields are the ones its ``_layouts/bib.liquid`` reads (alshedivat/al-folio).
"""

from __future__ import annotations

import io
import json
import re
import subprocess
from pathlib import Path

import bibtexparser
import pytest
import yaml
from helpers import DATA, SEED, SEED_AUTHOR_COUNTS, require_module, require_tools

import publist
from publist.errors import PublistError
from publist.formats.hugo import site_files
from publist.meta import load
from publist.render.cv import render_cv
from publist.website import facts, venue_abbreviation

SELECTED = {"cideron2024musicrl", "rame2024warm", "roit2023factually"}
PREPRINTS = {
    "rame2024warp",
    "gemmateam2024gemma",
    "botev2024recurrentgemma",
    "geminiteam2023gemini",
}
# every field al-folio's _layouts/bib.liquid reads from an entry (besides the BibTeX ones)
ALFOLIO_FIELDS = {
    "abbr", "preview", "annotation", "additional_info", "award", "award_name", "abstract",
    "arxiv", "bibtex_show", "html", "pdf", "supp", "video", "blog", "code", "poster", "slides",
    "website", "altmetric", "dimensions", "google_scholar_id", "selected",
}  # fmt: skip
BIBTEX_FIELDS = {
    "author", "title", "journal", "booktitle", "school", "institution", "publisher", "year",
    "month", "volume", "number", "pages", "doi", "url", "eprint", "archiveprefix", "eprinttype",
    "howpublished", "note", "keywords",
}  # fmt: skip


def write(fmt: str, items=None, **options) -> str:
    out = io.StringIO()
    publist.write(items if items is not None else publist.read(SEED), out, fmt, **options)
    return out.getvalue()


def hostile_item(**extra) -> dict:
    item = {
        "id": "x",
        "type": "article-journal",
        "title": "Cats & dogs: 50% <script>alert(1)</script> *bold* [a](javascript:alert(1))",
        "author": [{"family": "Doe", "given": "Jane"}, {"family": "Roe", "given": "Rick"}],
        "container-title": "Journal of Machine Learning Research",
        "issued": {"date-parts": [[2020, 5]]},
        "URL": "javascript:alert(1)",
    }
    item.update(extra)
    return item


# --- overlay fields ------------------------------------------------------------------------------


def overlay(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "o.meta.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "entry, message",
    [
        ("  pdf: javascript:alert(1)", "pdf 'javascript:alert(1)' is not an http(s) address"),
        ("  code: ' JaVaScRiPt:x'", "code 'JaVaScRiPt:x' is not an http(s) address"),
        ("  preview: data:image/png;base64,AAAA", "is not an http(s) address"),
        ("  website: mailto:me@example.org", "website 'mailto:me@example.org' is not an http(s)"),
        ("  selected: maybe", "'maybe' is not true or false"),
        ("  abbr: <b>ICML</b>", "is not a short venue name"),
        ("  abbr: A very long venue name indeed", "is not a short venue name"),
        (
            "  selected: true\n  featured: false",
            "`selected` and `featured` (the same flag) disagree",
        ),
    ],
)
def test_overlay_refuses_bad_website_values(tmp_path, entry, message):
    path = overlay(tmp_path, f"- title: T\n{entry}\n")
    with pytest.raises(PublistError) as err:
        load(path)
    assert message in str(err.value) and f"{path}:" in str(err.value)


def test_overlay_website_fields_reach_the_item(tmp_path):
    path = overlay(
        tmp_path,
        "- key: x\n  featured: yes\n  abbr: JMLR'20\n  pdf: https://example.org/x.pdf\n"
        "  code: https://github.com/x/y\n  preview: https://example.org/p.png\n",
    )
    from publist.meta import apply

    item = next(iter(apply(publist.Collection([hostile_item()]), load(path))))
    found = facts(item)
    assert found.selected and found.abbr == "JMLR'20"
    assert found.links == {
        "pdf": "https://example.org/x.pdf",
        "code": "https://github.com/x/y",
        "preview": "https://example.org/p.png",
    }


@pytest.mark.parametrize(
    "venue, abbr",
    [
        ("International Conference on Machine Learning (ICML)", "ICML"),
        ("Proceedings of the 40th International Conference on Machine Learning", "ICML"),
        ("Advances in Neural Information Processing Systems", "NeurIPS"),
        ("Advances in Neural Information Processing Systems 36 (NeurIPS 2023)", "NeurIPS"),
        ("Proceedings of the 61st Annual Meeting of the Association for Computational "
         "Linguistics (Volume 1: Long Papers)", "ACL"),
        ("Findings of EMNLP (EMNLP)", "EMNLP"),
        ("IEEE/CVF Conference on Computer Vision and Pattern Recognition", "CVPR"),
        ("The Eleventh International Conference on Learning Representations", "ICLR"),
        ("Nature", "Nature"),
        ("Science", "Science"),
        ("Nature Communications", "Nat. Commun."),
        ("Journal of Computer Science", None),
        ("Nature Reviews Something Else", None),
        ("A Workshop Nobody Knows", None),
    ],
)  # fmt: skip
def test_venue_abbreviations(venue, abbr):
    assert venue_abbreviation(venue) == abbr


# --- al-folio ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def alfolio() -> str:
    return write("al-folio")


def test_alfolio_papers_bib(alfolio):
    assert alfolio.startswith("@")  # no front matter: Liquid never runs over the data
    library = bibtexparser.parse_string(alfolio)
    assert not library.failed_blocks
    entries = {e.key: e.fields_dict for e in library.entries}
    assert len(entries) == 10
    for key, fields in entries.items():
        assert set(fields) <= ALFOLIO_FIELDS | BIBTEX_FIELDS, key
        assert fields["bibtex_show"].value == "true"
        assert fields["abbr"].value  # every seed record has a badge
        assert re.fullmatch(r"\d{4}\.\d{5}", fields["arxiv"].value)
    assert {k for k, f in entries.items() if "selected" in f} == SELECTED
    assert {k: entries[k]["abbr"].value for k in ("rame2024warm", "roit2023factually")} == {
        "rame2024warm": "ICML",
        "roit2023factually": "ACL",
    }
    assert entries["orsini2021matters"]["abbr"].value == "NeurIPS"
    assert all(entries[k]["abbr"].value == "arXiv" for k in PREPRINTS)
    counts = [len(f["author"].value.split(" and ")) for f in entries.values()]
    assert counts == SEED_AUTHOR_COUNTS  # every author (no "and others")


def test_alfolio_escaping():
    text = write("al-folio", [hostile_item(URL="https://example.org/a?b=1&c=%20")])
    entry = bibtexparser.parse_string(text).entries[0]
    title = entry.fields_dict["title"].value
    assert "Cats & dogs: 50%" in title and "\\&" not in title and "\\%" not in title
    assert "<script>" not in text and "&lt;script&gt;" in title
    assert entry.fields_dict["html"].value == "https://example.org/a?b=1&c=%20"
    liquid = write("al-folio", [hostile_item(title="{{ site.secret }} {% include x %}")])
    assert "{{" not in liquid and "{%" not in liquid
    # a URL that is not http(s) is never a link
    unsafe = write("al-folio", [hostile_item()])
    assert "javascript" not in unsafe.split("title =")[0] and "html =" not in unsafe


# --- Hugo Blox -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hugo_files() -> dict[str, str]:
    return site_files(publist.read(SEED))


def _front(text: str) -> dict:
    assert text.startswith("---\n") and text.endswith("---\n")
    return yaml.safe_load(text[4:-4])


def test_hugo_front_matter(hugo_files):
    pages = {p.split("/")[0]: _front(t) for p, t in hugo_files.items() if p.endswith("index.md")}
    assert len(pages) == 10 and len(hugo_files) == 20
    assert [len(p["authors"]) for p in pages.values()] == SEED_AUTHOR_COUNTS
    assert all(p["authors"].count("me") == 1 for p in pages.values())  # the owner, once
    assert {k for k, p in pages.items() if p["featured"]} == SELECTED
    assert {k for k, p in pages.items() if p["publication_types"] == ["article"]} == PREPRINTS
    assert pages["rame2024warm"]["publication_short"] == "ICML"
    assert pages["roit2023factually"]["hugoblox"]["ids"] == {
        "doi": "10.18653/v1/2023.acl-long.344",
        "arxiv": "2306.00186",
    }
    assert all("arxiv" in p["hugoblox"]["ids"] for p in pages.values())
    cite = bibtexparser.parse_string(hugo_files["rame2024warm/cite.bib"])
    assert cite.entries[0].fields_dict["author"].value.startswith("Ramé, Alexandre")  # UTF-8


def test_hugo_owner_id_and_safe_folders():
    files = site_files(
        [hostile_item(id="../../etc/passwd"), hostile_item(id="../../etc/passwd")],
        [{"family": "Roe", "given": "Rick"}],
        owner_id="admin",
    )
    assert sorted(files) == [
        "etc-passwd/cite.bib",
        "etc-passwd/index.md",
        "etc-passwda/cite.bib",
        "etc-passwda/index.md",
    ]
    front = _front(files["etc-passwd/index.md"])
    assert front["authors"] == ["Jane Doe", "admin"]
    assert "\\*bold\\*" in front["title"] or "*bold*" in front["title"]
    with pytest.raises(PublistError, match="is not a Hugo user id"):
        site_files([hostile_item()], owner_id="../x")


LAYOUT = (
    '{{ .Title }}|{{ delimit .Params.authors ";" }}|{{ .Date.Format "2006-01-02" }}|'
    "{{ index .Params.publication_types 0 }}|{{ .Params.featured }}|"
    "{{ .Params.publication_short | markdownify }}|{{ .Params.abstract | markdownify }}"
)


def test_hugo_builds_the_pages(tmp_path):
    """Debian's Hugo reads every page's front matter (YAML, dates, lists) as Hugo Blox does."""
    require_tools("hugo")
    site = tmp_path / "site"
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "layouts" / "_default" / "single.html").write_text(LAYOUT, encoding="utf-8")
    (site / "config.toml").write_text(
        'baseURL = "https://example.org/"\ndisableKinds = ["taxonomy", "term", "RSS", '
        '"sitemap", "robotsTXT", "404"]\n',
        encoding="utf-8",
    )
    seed = publist.read(SEED)
    items = list(seed) + [hostile_item()]
    for relative, text in site_files(items, [seed.owner]).items():
        path = site / "content" / "publications" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    run = subprocess.run(
        ["hugo", "--quiet", "-s", str(site), "-d", str(tmp_path / "public")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    pages = {
        p.parent.name: p.read_text(encoding="utf-8")
        for p in (tmp_path / "public" / "publications").glob("*/index.html")
    }
    assert len(pages) == 11
    warm = pages["rame2024warm"].split("|")
    assert warm[0] == "WARM: On the Benefits of Weight Averaged Reward Models"
    assert warm[1].split(";")[2] == "me" and warm[2] == "2024-01-01"
    assert warm[3:6] == ["paper-conference", "true", "ICML"]
    assert pages["rame2024warp"].split("|")[3] == "article"
    hostile = pages["x"]
    assert "<script>" not in hostile and "<em>" not in hostile.split("|", 6)[6]


# --- JSON Resume ---------------------------------------------------------------------------------


def test_jsonresume_is_schema_valid():
    jsonschema = require_module("jsonschema")
    schema = json.loads((DATA / "jsonresume-schema.json").read_text(encoding="utf-8"))
    resume = json.loads(write("jsonresume"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    assert list(validator.iter_errors(resume)) == []
    publications = resume["publications"]
    assert len(publications) == 10 and resume["basics"]["name"] == "Léonard Hussenot"
    assert [p["name"][:8] for p in publications[:3]] == ["MusicRL:", "WARM: On", "Factuall"]
    assert publications[3]["name"].startswith("Gemma 3")  # then newest first
    assert all(p["url"].startswith("https://") for p in publications)
    hostile = json.loads(write("jsonresume", [hostile_item()]))["publications"][0]
    assert list(validator.iter_errors({"publications": [hostile]})) == []
    assert "url" not in hostile and hostile["releaseDate"] == "2020-05"
    # a schema violation the validator does catch (the test can fail)
    assert list(validator.iter_errors({"publications": [{"releaseDate": "May 2020"}]}))


# --- RenderCV ------------------------------------------------------------------------------------


def test_rendercv_data_model_accepts_it():
    functions = require_module("rendercv.api.functions")
    text = write("rendercv")
    model = functions.read_a_yaml_string_and_return_a_data_model(text)
    sections = {s.title: s.entries for s in model.cv.sections}
    assert list(sections) == ["Selected Publications", "Publications"]
    assert len(sections["Selected Publications"]) == 3 and len(sections["Publications"]) == 7
    entries = sections["Selected Publications"] + sections["Publications"]
    assert sum(len(e.authors) for e in entries) == sum(SEED_AUTHOR_COUNTS)
    assert all(sum(a == "***Léonard Hussenot***" for a in e.authors) == 1 for e in entries)
    hostile = yaml.safe_load(write("rendercv", [hostile_item()]))["cv"]["sections"]
    entry = hostile["publications"][0]
    assert "\\*bold\\*" in entry["title"] and "](" not in entry["title"]
    assert "url" not in entry  # javascript: is never a link
    model = functions.read_a_yaml_string_and_return_a_data_model(
        write("rendercv", [hostile_item()])
    )
    assert model.cv.sections[0].entries[0].journal == "Journal of Machine Learning Research"


# --- publist cv ----------------------------------------------------------------------------------


def test_cv_selected_first_without_repeats():
    markdown = render_cv(publist.read(SEED), selected_first=True, abstracts=False)
    headings = [x for x in markdown.splitlines() if x.startswith("## ")]
    assert headings == [
        "## Selected publications",
        "## 2025",
        "## 2024",
        "## 2023",
        "## 2022",
        "## 2021",
    ]
    lines = [x for x in markdown.splitlines() if re.match(r"^\d+\. ", x)]
    assert len(lines) == 10 and len(set(lines)) == 10
    assert [int(x.split(".")[0]) for x in lines] == list(range(10, 0, -1))
    selected = markdown.split("## 2025")[0]
    assert all(t in selected for t in ("MusicRL", "WARM", "Factually Consistent"))
    assert "Continuous Control" not in selected


def test_cv_type_sections_with_titles():
    markdown = render_cv(
        publist.read(SEED),
        group_by="type",
        selected_first=True,
        section_titles={"preprint": "Preprints on arXiv", "selected": "Highlights"},
    )
    headings = [x for x in markdown.splitlines() if x.startswith("## ")]
    assert headings == [
        "## Highlights",
        "## Conference papers",
        "## Preprints on arXiv",
        "## Reports",
    ]
    with pytest.raises(PublistError, match="no section 'posters' to title"):
        render_cv(publist.read(SEED), section_titles={"posters": "P"})


def test_cli_cv_and_hugo(cli, tmp_path):
    result = cli(
        "cv", str(SEED), "--selected", "--group-by", "type", "--section-title",
        "conference=Peer-reviewed conference papers", "--no-abstracts",
    )  # fmt: skip
    assert result.exit_code == 0
    assert "## Peer-reviewed conference papers" in result.stdout
    assert cli("cv", str(SEED), "--section-title", "nonsense").exit_code == 2
    bad = cli("cv", str(SEED), "--section-title", "poster=P")
    assert bad.exit_code == 1 and "no section 'poster' to title" in bad.output
    folder = tmp_path / "publications"
    result = cli("hugo", str(SEED), "-o", str(folder), "--owner-id", "admin")
    assert result.exit_code == 0, result.output
    assert len(list(folder.glob("*/index.md"))) == 10
    assert "- admin\n" in (folder / "rame2024warm" / "index.md").read_text(encoding="utf-8")


def test_cv_shows_the_overlay_links():
    item = hostile_item(
        URL=None, custom={"code": "https://github.com/x/y", "preview": "https://e.org/p.png"}
    )
    page = render_cv([item], [{"family": "Doe", "given": "Jane"}], format="html")
    assert '<a href="https://github.com/x/y">Code</a>' in page and "p.png" not in page
    markdown = render_cv([item], [{"family": "Doe", "given": "Jane"}], format="markdown")
    assert "[Code](<https://github.com/x/y>)" in markdown
