from __future__ import annotations

import pytest

from classifier.corpus import Corpus


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return Corpus()
