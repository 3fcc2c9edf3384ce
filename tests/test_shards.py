"""Scaling past one process: per-file and per-record functions mapped by dask.bag."""

from __future__ import annotations

import pickle

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


def test_functions_are_picklable():
    for function in (publist.convert_file, publist.format_item, publist.read):
        assert pickle.loads(pickle.dumps(function)) is function


def test_format_item_is_pure():
    item = publist.read(SEED).to_list()[0]
    assert publist.format_item(item, "bibtex") == publist.format_item(item, "bibtex")
    assert publist.format_item(item, "ris").startswith("TY  - RPRT\r\n")


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
