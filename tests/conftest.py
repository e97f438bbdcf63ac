from __future__ import annotations

import pytest

from classifier.corpus import Corpus


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return Corpus()


@pytest.fixture(scope="session")
def classifier():  # type: ignore[no-untyped-def]
    """The real classifier: embedded corpus, offline model, trained ranker (builds the index on first use)."""
    from classifier.engine import Classifier

    return Classifier.load()
