from __future__ import annotations

import json
import shlex
from pathlib import Path

from helpers import ROOT, SEED

import publist


def test_version(cli):
    result = cli("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"publist, version {publist.__version__}"


def _help_examples(cli, command: tuple[str, ...]) -> list[list[str]]:
    """The `publist …` lines of a command's --help examples, as argument lists."""
    result = cli(*command, "--help")
    assert result.exit_code == 0
    lines = [line.strip() for line in result.output.splitlines()]
    return [shlex.split(line)[1:] for line in lines if line.startswith("publist ")]


def test_help_examples_run(cli, tmp_path):
    """Every example the --help texts give on the bundled seed runs, and writes something."""
    ran = []
    for command in ((), ("convert",), ("check",), ("render",), ("cv",), ("formats",)):
        for args in _help_examples(cli, command):
            inputs = [a for a in args[1:2] if "." in a]
            if inputs and not (ROOT / inputs[0]).exists():
                continue  # an example on the user's own file (refs.bib)
            args = [str(ROOT / a) if (ROOT / a).exists() and "/" in a else a for a in args]
            output = None
            if "-o" in args:
                at = args.index("-o") + 1
                output = args[at] = str(tmp_path / Path(args[at]).name)
            result = cli(*args)
            assert result.exit_code == 0, (args, result.output)
            assert (Path(output).stat().st_size if output else len(result.stdout)) > 0, args
            ran.append(args[0])
    assert sorted(set(ran)) == ["check", "convert", "cv", "formats", "render"]
    assert len(ran) >= 9


def test_convert_to_stdout_and_file(cli, tmp_path):
    result = cli("convert", str(SEED), "-t", "csl-json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 10
    out = tmp_path / "x.json"
    assert cli("convert", str(SEED), "-t", "csl-json", "-o", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8") == result.stdout


def test_stdin_needs_format(cli):
    data = SEED.read_bytes()
    assert cli("convert", "-", "-t", "csl-json", input=data).exit_code == 2
    result = cli("convert", "-", "-f", "seed", "-t", "csl-json", input=data)
    assert result.exit_code == 0 and len(json.loads(result.stdout)) == 10


def test_usage_errors_exit_2(cli):
    assert cli("convert", str(SEED), "-t", "nope").exit_code == 2
    assert cli("convert", str(SEED)).exit_code == 2
    assert cli("convert", str(SEED), "-t", "csl-json", "--unicode").exit_code == 2


def test_missing_file_exit_1(cli, tmp_path):
    result = cli("convert", str(tmp_path / "missing.txt"), "-t", "csl-json")
    assert result.exit_code == 1
    assert result.stderr.startswith("publist: error: ")


def test_check_lists_problems(cli):
    result = cli("check", str(SEED), "--no-meta")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert all(": warning: " in line for line in lines)
    assert any("'Dmitry', 'Lepikhin'" in line and line.startswith(f"{SEED}:3:") for line in lines)
    assert any("GUStavo" in line and line.startswith(f"{SEED}:12:") for line in lines)
    assert any("'Fan Yang' appears twice" in line for line in lines)
    assert sum("no year" in line for line in lines) == 10
    # the bundled overlay supplies years and venues: what is left is about the names
    with_meta = cli("check", str(SEED)).stdout.splitlines()
    assert not any("no year" in line or "needs `" in line for line in with_meta)
    assert any("'Dmitry', 'Lepikhin'" in line for line in with_meta)


def test_check_owner_absent(cli, tmp_path):
    src = tmp_path / "s.txt"
    src.write_text("Hussenot, Léonard\nT\nDoe, Jane\n\nU\nHussenot, L.\n\n", encoding="utf-8")
    lines = cli("check", str(src)).stdout.splitlines()
    absent = [line for line in lines if "the owner" in line]
    assert absent == [
        f"{src}:3: warning: doet: the owner (Léonard Hussenot) is not among the authors"
    ]
    result = cli("check", str(src), "--owner", "Doe, J.")
    assert [line for line in result.stdout.splitlines() if "the owner" in line][0].startswith(
        f"{src}:6:"
    )


def test_check_unreadable_input_exit_1(cli, tmp_path):
    src = tmp_path / "s.txt"
    src.write_text("Doe, J\nT\nDoe\n\n", encoding="utf-8")
    result = cli("check", str(src))
    assert result.exit_code == 1
    assert f"{src}:3: error: odd number" in result.stdout


def test_formats_lists_what_each_format_does(cli):
    rows = {line.split()[0]: line.split()[1:] for line in cli("formats").stdout.splitlines()}
    expected = {  # name: mode, extensions read
        "al-folio": ["-w"],
        "biblatex": ["-w"],
        "bibtex": ["rw", ".bib", ".bibtex"],
        "csl-json": ["rw", ".json"],
        "csl-jsonl": ["rw", ".jsonl", ".ndjson"],
        "ris": ["rw", ".ris"],
        "jsonresume": ["-w"],
        "rendercv": ["-w"],
        "seed": ["rw", ".txt", ".seed"],
        "zotero": ["-w"],
    }
    assert {name: row[: len(expected[name])] for name, row in rows.items()} == expected
    note = "[reading loads the whole file]"
    whole = [name for name, row in rows.items() if note in " ".join(row)]
    assert whole == ["csl-json"]


def test_output_file_mode_follows_umask(tmp_path):
    import os

    publist.convert(SEED, tmp_path / "x.json", "csl-json")
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "x.json").stat().st_mode & 0o777 == 0o666 & ~umask


def test_reader_warnings_reach_every_command(cli, tmp_path):
    """What the reader warns of is printed by convert, render and cv alike, and -q silences it."""
    src = tmp_path / "w.bib"
    src.write_text("@article{a,\n author={Doe, Jane},\n title={T},\n journal=foo,\n year=2020}\n")
    warning = f"publist: warning: {src}:4: undefined macro 'foo'"
    commands = {
        "convert": ("-t", "csl-json"),
        "render": ("-s", "apa"),
        "cv": ("--owner", "Doe, Jane", "--format", "markdown"),
    }
    for command, options in commands.items():
        out = tmp_path / f"{command}.out"
        result = cli(command, str(src), *options, "-o", str(out))
        assert result.exit_code == 0, (command, result.output)
        assert warning in result.stderr, command
        quiet = cli(command, str(src), *options, "-q", "-o", str(out))
        assert quiet.exit_code == 0 and quiet.stderr == "", command
