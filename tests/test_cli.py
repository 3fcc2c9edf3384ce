from __future__ import annotations

import json

from helpers import SEED

import publist


def test_version_and_help(cli):
    result = cli("--version")
    assert result.exit_code == 0 and publist.__version__ in result.output
    for command in ("convert", "check", "formats"):
        result = cli(command, "--help")
        assert result.exit_code == 0
        assert "Example" in result.output


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


def test_formats_lists_registry(cli):
    names = [line.split()[0] for line in cli("formats").stdout.splitlines()]
    assert names == [f.name for f in publist.list_formats()]
    assert {"seed", "csl-json"} <= set(names)


def test_output_file_mode_follows_umask(tmp_path):
    import os

    publist.convert(SEED, tmp_path / "x.json", "csl-json")
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "x.json").stat().st_mode & 0o777 == 0o666 & ~umask
