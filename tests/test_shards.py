"""Scaling past one process: per-file and per-record functions mapped by dask.bag."""

from __future__ import annotations

import copy
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from helpers import SEED, SEED_AUTHOR_COUNTS, require_module

import publist


def shards(tmp_path, count: int = 3) -> list[str]:
    collection = publist.read(SEED)
    items = collection.to_list()
    paths = []
    for index in range(count):
        path = tmp_path / f"shard{index}.txt"
        publist.write(publist.Collection(items[index::count], owner=collection.owner), path, "seed")
        paths.append(str(path))
    return paths


def test_convert_file_runs_in_a_fresh_interpreter(tmp_path):
    """What an engine does with it: pickled by reference, run in a spawned process (no state
    inherited), the same file as converted here."""
    here, there = tmp_path / "here.bib", tmp_path / "there.bib"
    assert publist.convert_file(SEED, here, "bibtex") == 10
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        assert pool.submit(publist.convert_file, str(SEED), str(there), "bibtex").result() == 10
    assert there.read_bytes() == here.read_bytes()


def test_format_item_is_pure():
    """format_item leaves its item alone and remembers nothing between calls (no key made
    unique against an earlier call, no warning carried over)."""
    first, second = publist.read(SEED).to_list()[:2]
    twin = copy.deepcopy(first)
    alone = publist.format_item(first, "bibtex")
    assert first == twin
    assert alone.startswith("@techreport{" + first["id"] + ",")
    publist.format_item(second, "bibtex")
    assert publist.format_item(first, "bibtex") == alone  # not `…2` on a second call
    ris = publist.format_item(first, "ris")
    assert ris.startswith("TY  - RPRT\r\n") and f"ID  - {first['id']}\r\n" in ris


def test_dask_bag_over_shards(tmp_path):
    bag = require_module("dask.bag")  # in the test extra: `make test` installs it
    paths = shards(tmp_path)
    outputs = [p.replace(".txt", ".bib") for p in paths]
    counts = (
        bag.from_sequence(list(zip(paths, outputs, strict=True)), npartitions=3)
        .map(lambda pair: publist.convert_file(pair[0], pair[1], "bibtex"))
        .compute(scheduler="processes", num_workers=2)
    )
    assert sum(counts) == 10
    authors = sorted(len(i["author"]) for out in outputs for i in publist.read(out))
    assert authors == sorted(SEED_AUTHOR_COUNTS)
