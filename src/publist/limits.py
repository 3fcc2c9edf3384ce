"""Tuning constants: sizes and thresholds that trade memory or start-up cost for speed.

None of them changes what publist writes, only how fast and in how much memory; each is
measured by ``make bench`` (ratios against a peer), not by the unit tests.  Caches are
``functools.lru_cache`` with a size from here: bounded, so streaming a million records keeps a
flat memory.

Constants still defined in modules other branches are rewriting (to move here once merged):

- ``pipeline.CHUNK_RECORDS`` (64 records a chunk), ``pipeline.MIN_CHUNKS`` (2) and the cap of 16
  worker processes in ``pipeline.workers``;
- ``render.parallel.MIN_ITEMS`` (300 entries before rendering starts workers) and its cap of 8;
- ``formats.bibtex._BLOCKS_PER_CHUNK`` (512 .bib entries parsed at a time) and the
  ``lru_cache`` sizes of ``formats.bibtex._person_parts`` (65536), ``formats.ris._RIS_NAMES``
  (8192, a dict), ``latex._encode_char`` (4096) and ``latex._decode`` (65536).
"""

from __future__ import annotations

from typing import Final

#: parsed (family, given) name pairs kept (``names.name_from_parts``): author lists and whole
#: libraries repeat names; 8192 covers the 942 authors of the seed's largest record many times
NAME_CACHE_SIZE: Final = 8192

#: seconds before a progress line appears on a terminal: short jobs stay silent
PROGRESS_DELAY: Final = 2.0
