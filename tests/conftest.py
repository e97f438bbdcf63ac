from __future__ import annotations

import pytest

from classifier.corpus import Corpus
from classifier.dense import Encoder


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return Corpus()


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    return Encoder()


@pytest.fixture(scope="session")
def classifier():  # type: ignore[no-untyped-def]
    """The real classifier: embedded corpus, offline model, trained ranker (builds the index on first use)."""
    from classifier.engine import Classifier

    return Classifier.load()


@pytest.fixture(scope="session")
def ray_cluster():  # type: ignore[no-untyped-def]
    """One local Ray cluster (2 CPUs, as this machine has) for every test of the Ray engine."""
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """How many inputs each property test tried (tests/test_properties.py), so the harness says what it covered."""
    import sys

    module = sys.modules.get("tests.test_properties") or sys.modules.get("test_properties")
    tried = getattr(module, "TRIED", None)
    if tried:
        terminalreporter.write_sep("-", "property tests: inputs tried")
        for name, count in sorted(tried.items()):
            terminalreporter.write_line(f"{name}: {count}")
        terminalreporter.write_line(f"total: {sum(tried.values())}")
