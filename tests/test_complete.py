"""`publist complete` against the loopback stand-ins for arXiv, Crossref, dblp and OpenAlex
(tests/complete_server.py): the seed's ten papers come back with the bundled overlay's years,
venues and identifiers; decoys are refused; faults are reported per record and source."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from complete_server import DECOY_MISSES, DECOY_SEED, DECOY_TRUTH, SEED, Server, all_papers

from publist import api, meta
from publist.cli import main
from publist.complete import engine, match
from publist.complete.base import Candidate, Query

BUNDLED = SEED.with_name("hussenot-leonard.meta.yaml")


@pytest.fixture(scope="module")
def server():
    with Server(all_papers(), lifetime=600, hang=2.0) as served:
        yield served


@pytest.fixture
def env(server, tmp_path):
    return {
        **server.env(),
        "PUBLIST_CACHE_DIR": str(tmp_path / "cache"),
        "PUBLIST_TIMEOUT": "0.5",
        "PUBLIST_BACKOFF": "0.05",
        "PUBLIST_EMAIL": None,
    }


def run(env, *args):
    return CliRunner().invoke(main, ["complete", *args], env=env, catch_exceptions=False)


def seed_copy(tmp_path: Path) -> Path:
    target = tmp_path / "list.txt"
    shutil.copy(SEED, target)
    return target


def _venue_words(venue: str) -> str:
    """A venue's name without its acronym, volume part, ordinal or "Proceedings of the"."""
    text = re.sub(r"\([^)]*\)|^Proceedings of the \d+(st|nd|rd|th) ", "", venue)
    return " ".join(text.split()).lower()


def test_seed_gets_the_bundled_overlays_years_venues_and_identifiers(env, tmp_path):
    seed = seed_copy(tmp_path)
    result = run(env, str(seed), "-q")
    assert result.exit_code == 0, result.output
    written = meta.load(tmp_path / "list.meta.yaml")
    bundled = meta.load(BUNDLED)
    assert len(written.entries) == len(bundled.entries) == 10
    found = {meta.normalise_title(str(e.values["title"])): e.values for e in written.entries}
    for entry in bundled.entries:
        title = meta.normalise_title(str(entry.values["title"]).rstrip("…"))
        values = next(v for t, v in found.items() if t.startswith(title))
        assert values["year"] == entry.values["year"], title
        assert values["arxiv"] == entry.values["arxiv"], title
        assert values.get("doi", "").lower() == entry.values.get("doi", ""), title
        if "venue" in entry.values:
            assert _venue_words(values["venue"]) == _venue_words(entry.values["venue"]), title
        else:
            assert "venue" not in values, title
        for name in ("volume", "pages"):
            if name in entry.values:
                assert values[name] == entry.values[name], (title, name)
    # every output command picks the findings up: no record is undated any more
    items = api.read(seed).to_list()
    assert all(item.get("issued") for item in items)


def test_second_run_asks_nothing_and_offline_answers_from_the_cache(env, server, tmp_path):
    seed = seed_copy(tmp_path)
    overlay = tmp_path / "list.meta.yaml"
    assert run(env, str(seed), "-q").exit_code == 0
    written = overlay.read_text(encoding="utf-8")
    before = server.count()
    # the second run reads the DOIs and arXiv ids the first one wrote, and asks nothing
    again = run(env, str(seed), "-q")
    assert again.exit_code == 0 and server.count() == before
    assert "added 0 value(s)" in again.output and "; 0 request(s)" in again.output
    assert overlay.read_text(encoding="utf-8") == written
    # a dry run from scratch (no overlay) is answered from the cache too, and so is --offline
    overlay.unlink()
    assert run(env, str(seed), "-q", "--dry-run").exit_code == 0
    offline = run(env, str(seed), "-q", "--offline")
    assert offline.exit_code == 0 and server.count() == before
    assert overlay.read_text(encoding="utf-8") == written


def test_other_formats_keep_their_own_values(env, tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@inproceedings{warm,\n  title = {{WARM}: On the Benefits of Weight Averaged Reward "
        "Models},\n  author = {Ram{\\'e}, Alexandre and Vieillard, Nino and Hussenot, "
        "L{\\'e}onard and Dadashi, Robert and Cideron, Geoffrey and Bachem, Olivier and "
        "Ferret, Johan},\n  booktitle = {ICML},\n  year = {2024}\n}\n",
        encoding="utf-8",
    )
    result = run(env, str(bib), "-q", "--dry-run", "-v")
    assert result.exit_code == 0, result.output
    added = [line for line in result.output.splitlines() if line.startswith("+  ")]
    assert any(line.startswith("+  arxiv: '2401.12187'") for line in added)
    assert any(line.startswith("+  volume: '235'") for line in added)
    # the file's own year and venue stay; the entry names the record by the file's key
    assert not any(line.startswith(("+  year:", "+  venue:")) for line in added)
    assert "+- key: warm\n" in result.output


def test_usage_errors(env, tmp_path):
    seed = seed_copy(tmp_path)
    assert run(env, "-", "-f", "seed").exit_code == 2
    wrong = run(env, str(seed), "--sources", "crossref,scholar")
    assert wrong.exit_code == 2 and "unknown source 'scholar'" in wrong.output
    csv = run(env, str(seed), "--meta", str(tmp_path / "years.csv"))
    assert csv.exit_code == 1 and "complete writes YAML overlays" in csv.output
    (tmp_path / "not-a-folder").write_text("", encoding="utf-8")
    cache = run({**env, "PUBLIST_CACHE_DIR": str(tmp_path / "not-a-folder")}, str(seed))
    assert cache.exit_code == 1 and "cannot open the cache" in cache.output
    assert "Traceback" not in cache.output


def test_offline_without_a_cache_reports_each_record(env, server, tmp_path):
    seed = seed_copy(tmp_path)
    result = run(env, str(seed), "-q", "--offline")
    assert result.exit_code == 1
    assert "not in the cache (--offline)" in result.output
    assert "10 record(s) could not be looked up" in result.output
    assert not (tmp_path / "list.meta.yaml").exists()


def test_dry_run_prints_a_diff_and_lists_refusals_with_reasons(env, tmp_path):
    seed = seed_copy(tmp_path)
    result = run(env, str(seed), "-q", "--dry-run", "-v")
    assert result.exit_code == 0
    assert not (tmp_path / "list.meta.yaml").exists()
    assert (
        "+++ " in result.output and "+  venue: International Conference on Machine" in result.output
    )
    assert re.search(r"refused \S+ \S+ 'Gemma 2: Open Models.*different numbers", result.output)
    assert re.search(
        r"refused crossref 10.1234/decoy.2022.017 .*first author 'orsini'", result.output
    )
    assert re.search(
        r"refused crossref 10.1234/decoy.2014.003 .*year 2014 far from 2024", result.output
    )


def test_user_values_stay_unless_update(env, tmp_path):
    seed = seed_copy(tmp_path)
    overlay = tmp_path / "list.meta.yaml"
    overlay.write_text(
        '# my notes\n- title: "WARM: On the Benefits of Weight Averaged Reward Models"\n'
        "  venue: ICML  # as I remember it\n  note: keep me\n",
        encoding="utf-8",
    )
    assert run(env, str(seed), "-q").exit_code == 0
    text = overlay.read_text(encoding="utf-8")
    assert "# my notes" in text and "venue: ICML  # as I remember it" in text
    warm = meta.load(overlay).entries[0].values
    assert warm["venue"] == "ICML" and warm["note"] == "keep me" and warm["arxiv"] == "2401.12187"
    assert warm["year"] == 2024  # gaps are filled
    assert len(meta.load(overlay).entries) == 10  # one entry per record, the user's reused
    assert run(env, str(seed), "-q", "--update").exit_code == 0
    venue = meta.load(overlay).entries[0].values["venue"]
    assert venue == "International Conference on Machine Learning (ICML)"


def test_the_bundled_overlay_only_gains_values(env, tmp_path):
    seed = seed_copy(tmp_path)
    overlay = tmp_path / "list.meta.yaml"
    shutil.copy(BUNDLED, overlay)
    for args in ((), ("--update",)):  # --update too: a venue named two ways is not a change
        result = run(env, str(seed), "-q", "--dry-run", *args)
        assert result.exit_code == 0
        removed = [line for line in result.output.splitlines() if line.startswith("- ")]
        added = [
            line.split("#")[0].strip()
            for line in result.output.splitlines()
            if line.startswith("+  ")
        ]
        assert removed == []
        assert sorted(added) == sorted(
            [
                "+  volume: '235'",
                "+  publisher: PMLR",
                "+  volume: '235'",
                "+  publisher: PMLR",
                "+  publisher: Association for Computational Linguistics",
            ]
        )
    assert overlay.read_bytes() == BUNDLED.read_bytes()


def test_decoy_corpus_precision_and_faults(env, server, tmp_path):
    decoys = tmp_path / "decoys.txt"
    decoys.write_text(DECOY_SEED, encoding="utf-8")
    start = len(server.requests)
    result = run(env, str(decoys), "-q", "-v")
    out = result.output
    assert result.exit_code == 1
    # failures: one line naming the record and the source; the others complete
    assert re.search(r"decoys.txt:14: 'Server Error Paper.*': openalex: HTTP 503", out)
    assert re.search(r"decoys.txt:17: 'Slow Answer Paper.*': openalex: timed out", out)
    assert re.search(r"decoys.txt:20: 'Malformed Answer Paper.*': crossref: malformed", out)
    assert "3 record(s) could not be looked up in full" in out
    assert re.search(r"Ambiguous Results.*ambiguous, nothing taken: published versions", out)
    # 429 then Retry-After: 1 honoured before Crossref was asked again
    crossref = [r for r in server.requests[start:] if r.source == "crossref"]
    limited = next(i for i, r in enumerate(crossref) if "Rate+Limited" in r.query)
    assert crossref[limited + 1].at - crossref[limited].at >= 0.95
    written = {
        meta.normalise_title(str(e.values.get("title"))): e.values
        for e in meta.load(tmp_path / "decoys.meta.yaml").entries
    }
    # published versions reached through arXiv's DOI and a Crossref is-preprint-of relation
    assert {"/works/10.5555/pub.2021.8", "/works/10.5555/pub.2020.9"} <= {r.path for r in crossref}
    assert re.search(
        r"'Journal Ref Only Paper on Graphs': arXiv 2002.00002 says journal_ref "
        r"'Graph Workshop 2020', but no published record matched",
        out,
    )
    # true papers the rule refuses (recall lost, not precision), with the reason
    for title in DECOY_MISSES:
        assert meta.normalise_title(title) not in written, title
    assert re.search(r"'Legged Locomotion Policies': refused \S+ \S+ .*title similarity", out)
    assert re.search(r"'Curriculum Learning for Agents': refused .*first author 'sample'", out)
    for title, truth in DECOY_TRUTH.items():
        values = written.get(meta.normalise_title(title))
        if truth is None:
            assert values is None, title
            continue
        assert values is not None, title
        for name, expected in truth.items():
            assert values[name] == expected, (title, name)


def test_rate_limits_and_user_agent(env, server, tmp_path):
    seed = seed_copy(tmp_path)
    start = len(server.requests)
    env = {**env, "PUBLIST_EMAIL": "someone@example.org"}
    assert run(env, str(seed), "-q").exit_code == 0
    requests = server.requests[start:]
    assert all(
        re.match(r"publist/\S+ \(.*mailto:someone@example.org\)", r.user_agent) for r in requests
    )
    sources = engine.make_sources(engine.SOURCE_NAMES, "someone@example.org")
    for name, source in sources.items():
        # as the server saw them: never two closer than the documented spacing
        times = sorted(r.at for r in requests if r.source == name)
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        assert all(gap >= source.interval for gap in gaps), (name, min(gaps))
    assert sum(r.source == "arxiv" for r in requests) == 1  # one batch for the ten ids


def test_interrupted_run_leaves_the_overlay_untouched(env, tmp_path, monkeypatch):
    seed = seed_copy(tmp_path)
    overlay = tmp_path / "list.meta.yaml"
    overlay.write_text("- title: Gemma 3 Technical Report\n  note: mine\n", encoding="utf-8")

    def interrupt(self, outcomes):
        raise KeyboardInterrupt

    monkeypatch.setattr(engine.Lookup, "arxiv_batch", interrupt)
    result = run(env, str(seed), "-q")
    assert result.exit_code == 130 and "overlay is untouched" in result.output
    assert (
        overlay.read_text(encoding="utf-8") == "- title: Gemma 3 Technical Report\n  note: mine\n"
    )


def _query(title: str, families: list[str], organisations: tuple = ()) -> Query:
    return Query("k", title, families, list(organisations))


def _candidate(title: str, authors: list[str], **kw) -> Candidate:
    return Candidate("test", "x", title, authors, **kw)


def test_titles_with_other_numbers_are_refused():
    query = _query("Gemma: Open Models Based on Gemini Research and Technology", ["Mesnard"])
    other = _candidate(
        "Gemma 2: Open Models Based on Gemini Research and Technology", ["T Mesnard"]
    )
    assert match.judge(query, other).reason == "the titles carry different numbers"
    same = _candidate(
        "{G}emma: open models based on \\emph{Gemini} research and technology.", ["T Mesnard"]
    )
    assert match.judge(query, same).accepted


def test_long_author_lists_with_a_few_misspellings_agree():
    families = [f"Family{n:03d}" for n in range(942)]
    spelled = [f"Given Family{n:03d}" for n in range(942)]
    for n in (10, 300, 600, 900):
        spelled[n] = f"Given Famliy{n:03d}"
    query = _query("A Very Large Paper", families, ("Gemini Team",))
    assert match.judge(query, _candidate("A very large paper", ["Gemini Team", *spelled])).accepted
    other_first = _candidate("A very large paper", ["Given Someone", *spelled[1:]])
    assert not match.judge(query, other_first).accepted
    truncated = _candidate("A very large paper", spelled[:100], authors_truncated=True)
    assert match.judge(query, truncated).accepted
    half = _candidate("A very large paper", spelled[:471])
    assert "authors" in match.judge(query, half).reason


def test_organisation_only_records_need_the_organisation():
    query = _query("Annual Report", [], ("Example Consortium",))
    assert match.judge(query, _candidate("Annual report", ["Example Consortium"])).accepted
    assert not match.judge(query, _candidate("Annual report", ["Other Group"])).accepted


def test_progress_bar_only_on_a_terminal(monkeypatch):
    import io

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    bar = engine.Bar(4, enabled=True)
    for _ in range(4):
        bar.step()
    assert terminal.getvalue().endswith(f"\rcompleting [{'#' * 30}] 4/4\n")
    assert "[#######                       ] 1/4" in terminal.getvalue()
    piped = io.StringIO()
    monkeypatch.setattr("sys.stderr", piped)
    engine.Bar(4, enabled=True).step()
    assert piped.getvalue() == ""


@pytest.mark.parametrize(
    "source, body",
    [
        (
            "crossref",
            b'{"message-type": "work-list", "message": {"items": [{"DOI": "10.1/x", '
            b'"title": ["T"], "issued": "2020"}]}}',
        ),
        (
            "dblp",
            b'{"result": {"hits": {"hit": [{"info": {"key": "k", "title": "T", '
            b'"authors": "Someone"}}]}}}',
        ),
        ("openalex", b'{"results": [{"id": "W1", "title": "T", "primary_location": "x"}]}'),
        ("openalex", b'{"results": {"id": "W1"}}'),
        ("arxiv", b"<feed xmlns='http://www.w3.org/2005/Atom'><entry><id>x</id></entry>"),
        ("arxiv", b"<html><body>Service Unavailable</body></html>"),
    ],
)
def test_answers_of_the_wrong_shape_are_malformed_not_a_crash(source, body):
    from publist.complete.http import FetchError, parsed

    service = engine.make_sources([source], None)[source]
    query = _query("T", ["Someone"])

    def fetch(url, params, parse):
        return parsed(parse, body)

    try:
        found = service.search(query, fetch)
    except FetchError as err:
        assert "malformed answer" in str(err)
    else:
        assert found == []  # an entry without what a candidate needs is left out


def test_retry_after_in_seconds_or_as_a_date():
    import email.utils
    import time

    import httpx

    from publist.complete.http import _retry_after

    def answer(value):
        return httpx.Response(429, headers={"Retry-After": value} if value else {})

    assert _retry_after(answer("7")) == 7.0
    in_a_minute = email.utils.formatdate(time.time() + 60, usegmt=True)
    assert 55 <= _retry_after(answer(in_a_minute)) <= 60
    assert _retry_after(answer("soon")) is None
    assert _retry_after(answer(None)) is None


def test_an_advertised_lower_rate_is_followed_never_a_higher_one():
    import threading

    import httpx

    from publist.complete.http import _advertised_interval, _Pace

    def answer(limit, window):
        return httpx.Response(
            200, headers={"X-Rate-Limit-Limit": limit, "X-Rate-Limit-Interval": window}
        )

    assert _advertised_interval(answer("50", "1s")) == 0.02
    assert _advertised_interval(answer("3000", "60s")) == 0.02
    assert _advertised_interval(answer("0", "1s")) is None
    assert _advertised_interval(answer("many", "1s")) is None
    pace = _Pace(1 / 3, threading.Event())
    pace.slow_to(_advertised_interval(answer("50", "1s")))
    assert pace.interval == 1 / 3
    pace.slow_to(_advertised_interval(answer("1", "2s")))
    assert pace.interval == 2.0
