"""Screening parties against the Consolidated Screening List (CSL): ``screen("Name", country="China")``.

- ``lists.py``: the list the product ships (``corpus/screening.json``) and what each list means;
- ``names.py``: names normalised with OpenSanctions' ``rigour`` (legal forms, transliteration);
- ``matcher.py``: blocking over a token index and an IDF-weighted, aligned fuzzy score (rapidfuzz);
- ``screener.py``: one name in, the matching parties out, best first, with the list's date.

The list is loaded once per corpus folder (2-4 s, about 160 MB) and kept; like ``Classifier.load``, loading
ends with ``gc.collect(); gc.freeze()`` so that later full collections do not re-scan its half a million
objects (0.5 s each, measured).
"""

from __future__ import annotations

import gc
from functools import lru_cache
from pathlib import Path

from classifier.corpus import DEFAULT_DIR, Corpus
from classifier.screening.lists import ListMissing, Party, ScreeningList, read_list
from classifier.screening.screener import THRESHOLD, Match, Screener, Screening, ScreeningInputError

__all__ = [
    "THRESHOLD",
    "ListMissing",
    "Match",
    "Party",
    "Screener",
    "Screening",
    "ScreeningInputError",
    "ScreeningList",
    "load",
    "read_list",
    "screen",
]


@lru_cache(maxsize=4)
def _load(directory: str) -> Screener:
    corpus = Corpus(directory)
    screener = Screener(read_list(Path(directory)), corpus.country_table)
    gc.collect()
    gc.freeze()
    return screener


def load(corpus_dir: Path | str = DEFAULT_DIR) -> Screener:
    """The screener for a corpus folder, built on first use and kept; ListMissing when the list is absent."""
    return _load(str(Path(corpus_dir).resolve()))


def screen(
    name: str,
    country: str | None = None,
    address: str | None = None,
    *,
    threshold: float = THRESHOLD,
    corpus_dir: Path | str = DEFAULT_DIR,
) -> Screening:
    """Screen one party name (``country``/``address`` lower the score of parties listed elsewhere)."""
    return load(corpus_dir).screen(name, country, address, threshold=threshold)
