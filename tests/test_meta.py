"""Metadata overlays (YAML / CSV sidecars): matching, validation, and what reaches the outputs."""

from __future__ import annotations

import io

import pytest
from helpers import SEED, require_tools

import publist
from publist.errors import PublistError

SEED_TEXT = (
    "Doe, Jane\n"
    "WARP: On the Benefits of Weight Averaged Rewarded Policies\nRamé, Alexandre, Doe, Jane\n\n"
    "Gemma: Open Models\nGemma Team, null, Doe, Jane\nabs\n"
    "Gemma 2: Improving Open Models\nGemma Team, null, Doe, Jane\n\n"
)


@pytest.fixture
def seed(tmp_path):
    path = tmp_path / "list.txt"
    path.write_text(SEED_TEXT, encoding="utf-8")
    return path


def with_meta(seed, text, suffix=".meta.yaml"):
    meta = seed.with_name("list" + suffix)
    meta.write_text(text, encoding="utf-8")
    return meta


def test_match_by_title_and_keys_gain_the_year(seed):
    with_meta(
        seed,
        "- title: 'warp: on the benefits of weight-averaged rewarded policies'\n"
        "  year: 2024\n  arxiv: 2406.16768\n",
    )
    items = publist.read(seed).to_list()
    assert items[0]["id"] == "rame2024warp"
    assert items[0]["issued"] == {"date-parts": [[2024]]}
    assert items[0]["number"] == "arXiv:2406.16768" and items[0]["publisher"] == "arXiv"
    assert items[0]["DOI"] == "10.48550/arXiv.2406.16768"
    assert items[0]["URL"] == "https://arxiv.org/abs/2406.16768"
    assert [i["id"] for i in items[1:]] == ["gemmateamgemma", "gemmateamgemmaa"]


def test_match_by_key_with_or_without_year_and_by_title_prefix(seed):
    with_meta(
        seed,
        "- key: gemmateamgemma\n  year: 2024\n"
        "- key: gemmateam2024gemmaa\n  year: 2024\n"
        "- title: 'WARP: On the Benefits…'\n  date: 2024-06-24\n",
    )
    items = publist.read(seed).to_list()
    assert [i["id"] for i in items] == ["rame2024warp", "gemmateam2024gemma", "gemmateam2024gemmaa"]
    assert items[0]["issued"] == {"date-parts": [[2024, 6, 24]]}


def test_csv_overlay(seed):
    with_meta(
        seed,
        "key,year,type,venue,pages,doi\n"
        "ramewarp,2024,conference,ICML,1-10,https://doi.org/10.1234/abc\n",
        ".meta.csv",
    )
    item = publist.read(seed).to_list()[0]
    assert item["type"] == "paper-conference" and item["container-title"] == "ICML"
    assert item["page"] == "1-10" and item["DOI"] == "10.1234/abc"


def test_no_meta_and_explicit_meta(seed, tmp_path):
    with_meta(seed, "- key: ramewarp\n  year: 2024\n")
    assert "issued" not in publist.read(seed, meta=False).to_list()[0]
    other = tmp_path / "other.yaml"
    other.write_text("- key: ramewarp\n  year: 2020\n", encoding="utf-8")
    assert publist.read(seed, meta=other).to_list()[0]["issued"] == {"date-parts": [[2020]]}


@pytest.mark.parametrize(
    "text, line, fragment",
    [
        ("- key: ramewarp\n  yeer: 2024\n", 2, "unknown field `yeer`"),
        ("- key: ramewarp\n  year: 24\n", 2, "is not a year"),
        ("- key: ramewarp\n  year: 3024\n", 2, "is not a year"),
        ("- key: ramewarp\n  date: 2024-02-30\n", 2, "does not exist"),
        ("- key: ramewarp\n  doi: 11.1/x\n", 2, "DOI"),
        ("- key: ramewarp\n  arxiv: 123.45\n", 2, "arXiv id"),
        ("- key: ramewarp\n  pages: 10-2\n", 2, "ends before it starts"),
        ("- key: ramewarp\n  pages: ten\n", 2, "not a page"),
        ("- key: ramewarp\n  url: ftp://x\n", 2, "http"),
        ("- key: ramewarp\n  type: poem\n", 2, "unknown type"),
        ("- key: ramewarp\n  year: 2024\n  year: 2023\n", 3, "given twice"),
        ("- year: 2024\n", 1, "needs a `key` or a `title`"),
        ("- key: ramewarp\n- key: nothing\n  year: 2020\n", 2, "matches no record"),
        (
            "- key: ramewarp\n"
            "- title: 'WARP: On the Benefits of Weight Averaged Rewarded Policies'\n",
            2,
            "all match record",
        ),
        ("- title: Gemma…\n", 1, "matches two records"),
        ("- key: ramewarp\n  year: [2024\n", 2, "invalid YAML"),
        ("key: ramewarp\n", 1, "must be a list"),
    ],
)
def test_overlay_errors_name_the_line(seed, text, line, fragment):
    meta = with_meta(seed, text)
    with pytest.raises(PublistError) as err:
        publist.read(seed).to_list()
    assert err.value.source == str(meta)
    assert err.value.line == line
    assert fragment in err.value.message


def test_csv_errors_name_the_line(seed):
    meta = with_meta(seed, 'key,year\nramewarp,2024\n"gemma\nteamgemma",1900x\n', ".meta.csv")
    with pytest.raises(PublistError) as err:
        publist.read(seed).to_list()
    assert (err.value.source, err.value.line) == (str(meta), 3)


def test_cli_meta_options(seed, cli, tmp_path):
    meta = with_meta(seed, "- key: ramewarp\n  year: 2024\n")
    result = cli("convert", str(seed), "-t", "csl-json")
    assert '"rame2024warp"' in result.stdout
    result = cli("convert", str(seed), "-t", "csl-json", "--no-meta")
    assert '"ramewarp"' in result.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("- key: ramewarp\n  year: 1\n", encoding="utf-8")
    out = tmp_path / "o.json"
    result = cli("convert", str(seed), "-t", "csl-json", "--meta", str(bad), "-o", str(out))
    assert result.exit_code == 1 and f"publist: error: {bad}:2: year" in result.stderr
    assert not out.exists()
    result = cli("check", str(seed), "--meta", str(meta))
    assert result.exit_code == 0 and "rame2024warp: no year" not in result.stdout
    assert cli("convert", str(seed), "-t", "ris", "--meta", str(meta), "--no-meta").exit_code == 2


def test_stdin_with_meta(cli, seed):
    meta = with_meta(seed, "- key: ramewarp\n  year: 2024\n")
    result = cli(
        "convert", "-", "-f", "seed", "-t", "csl-json", "--meta", str(meta), input=seed.read_bytes()
    )
    assert result.exit_code == 0 and '"rame2024warp"' in result.stdout


def test_bundled_overlay_reaches_every_output():
    items = publist.read(SEED).to_list()
    years = [i["issued"]["date-parts"][0][0] for i in items]
    assert years == [2025, 2024, 2024, 2024, 2024, 2024, 2023, 2023, 2022, 2021]
    assert items[0]["type"] == "report" and items[0]["publisher"] == "Google DeepMind"
    out = io.StringIO()
    publist.write(items, out, "bibtex")
    bib = out.getvalue()
    assert "eprint = {2406.16768}" in bib and "archiveprefix = {arXiv}" in bib
    assert "doi = {10.18653/v1/2023.acl-long.344}" in bib and "pages = {6252--6272}" in bib
    out = io.StringIO()
    publist.write(items, out, "biblatex")
    assert "eprinttype = {arxiv}" in out.getvalue()
    out = io.StringIO(newline="")
    publist.write(items, out, "ris")
    ris = out.getvalue()
    assert "UR  - https://arxiv.org/abs/2406.16768\r\n" in ris
    assert "DO  - 10.48550/arXiv.2406.16768\r\n" in ris


@pytest.mark.parametrize(
    "fmt, backend, style",
    [
        ("bibtex", "bibtex", "plain"),
        ("bibtex", "bibtex", "plainnat"),
        ("biblatex", "biber", "authoryear"),
    ],
)
def test_bundled_seed_with_overlay_compiles_without_warnings(tmp_path, fmt, backend, style):
    from texcheck import compile_bib

    require_tools("pdflatex", "bibtex", "biber")
    bib = tmp_path / "seed.bib"
    assert publist.convert(SEED, bib, fmt) == []
    result = compile_bib(bib, tmp_path / "tex", backend, style)
    assert result.errors == [] and result.warnings == []
    assert result.bbl_entries == 10
