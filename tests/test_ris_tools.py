"""The RIS output read by real tools: bibutils' ris2xml and rispy (no unknown tags)."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET

import pytest
import rispy
from corpus import hard_cases
from helpers import SEED, SEED_AUTHOR_COUNTS, require_tools

import publist


@pytest.fixture(autouse=True)
def _bibutils():
    require_tools("ris2xml")


MODS = "{http://www.loc.gov/mods/v3}"


def bibutils_counts(ris_path, organisations: list[str], tmp_path) -> list[int]:
    """Authors per record as ris2xml reads them.

    Organisation names go in an --asis file so bibutils keeps them whole (bibutils 7.2's
    --corporation-file fails with "Memory error" whatever the file holds).
    """
    asis = tmp_path / "asis.txt"
    asis.write_text("\n".join(organisations) + "\n", encoding="utf-8")
    run = subprocess.run(
        ["ris2xml", "-i", "utf8", "--asis", str(asis), str(ris_path)],
        capture_output=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert b"Processed" in run.stderr
    root = ET.fromstring(run.stdout)
    records = root.findall(f"{MODS}mods")
    for record in records:
        for name in record.findall(f"{MODS}name"):
            parts = name.findall(f"{MODS}namePart")
            if any(part.text in organisations and " and " not in part.text for part in parts):
                assert len(parts) == 1  # kept whole
    return [len(r.findall(f"{MODS}name")) for r in records]


def as_bibutils_sees(authors: list[str]) -> int:
    """bibutils 7.2 drops a name identical to one earlier in the same record, and splits an AU
    value on " and " (organisation names included); rispy, Zotero and publist do neither."""
    pieces = [p for a in authors for p in a.split(" and ")]
    return len(dict.fromkeys(pieces))


def au_values(ris_path) -> list[list[str]]:
    text = ris_path.read_bytes().decode("utf-8")
    return [
        [line[6:] for line in record.split("\r\n") if line.startswith("AU  - ")]
        for record in text.split("\r\n\r\n")
    ]


def rispy_counts(ris_path) -> list[int]:
    with open(ris_path, encoding="utf-8") as f:
        records = rispy.load(f)
    assert all("unknown_tag" not in r for r in records)
    assert all(r["type_of_reference"] and r.get("id") for r in records)
    return [len(r.get("authors", [])) for r in records]


def test_seed_counts_agree(tmp_path):
    out = tmp_path / "seed.ris"
    publist.convert(SEED, out, "ris")
    assert rispy_counts(out) == SEED_AUTHOR_COUNTS
    assert [len(a) for a in au_values(out)] == SEED_AUTHOR_COUNTS
    expected = [as_bibutils_sees(a) for a in au_values(out)]
    assert expected == [212, 10, 108, 62, 14, 7, 940, 19, 7, 10]  # the seed's repeated names
    assert bibutils_counts(out, ["Gemma Team", "Gemini Team"], tmp_path) == expected


def test_hard_cases_counts_agree(tmp_path):
    items = hard_cases()
    out = tmp_path / "hard.ris"
    publist.write(items, out, "ris")
    expected = [len(i.get("author", [])) for i in items]
    orgs = sorted({n["literal"] for i in items for n in i.get("author", []) if "literal" in n})
    assert rispy_counts(out) == expected
    assert [len(a) for a in au_values(out)] == expected
    seen_by_bibutils = [as_bibutils_sees(a) for a in au_values(out)]
    assert bibutils_counts(out, orgs, tmp_path) == seen_by_bibutils
