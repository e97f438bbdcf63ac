"""Property-based tests (Hypothesis) over the fact parser, the ECCN type, de minimis, the license view and
the batch readers: for any input, an answer or a documented refusal, never another exception. The number
of inputs tried per property is printed at the end of the test run (``conftest.pytest_terminal_summary``)."""

from __future__ import annotations

import math
import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classifier.corpus import Corpus, UnknownId
from classifier.countries import UnknownCountry
from classifier.eccn import ECCN, InvalidECCN
from classifier.facts import read_facts
from classifier.inputs import InputError, check_facts, description
from classifier.quantities import quantities
from classifier.rules.de_minimis import DeMinimisInputError, decide
from classifier.rules.license import license_view
from classifier.tables import TableError, read_rows

TRIED: Counter[str] = Counter()  # inputs tried per property, reported by conftest
FAST = settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# text that looks like specifications: digits, units, exponents, separators, and any other character
SPEC_PIECES = st.sampled_from(
    ["5", "10", "x", "×", "10^", "^", "400", "−", "-", ",", ".", " ", "kg", "km", "nm", "WT", "AES-", "256", "e", "bit"]
)
SPECS = st.lists(st.one_of(SPEC_PIECES, st.text(max_size=5)), max_size=40).map("".join)
ECCN_PIECES = st.sampled_from(["5", "A", "a", "0", "02", "992", ".", "..", " ", "-", "_", "EAR", "99", "z", "999"])
ECCN_LIKE = st.one_of(st.text(max_size=30), st.lists(ECCN_PIECES, max_size=25).map("".join))
NUMBERS = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-(10**30), 10**30), st.text(max_size=8))


@FAST
@given(st.one_of(SPECS, st.text(max_size=200)))
def test_reading_facts_never_fails_and_every_quantity_is_finite(text: str) -> None:
    TRIED["read_facts"] += 1
    facts = read_facts(text)
    assert all(math.isfinite(q.value) for q in facts.quantities)
    assert facts.payload_kg is None or math.isfinite(facts.payload_kg)
    assert facts.range_km is None or math.isfinite(facts.range_km)
    assert all(math.isfinite(q.value) for q in quantities(text))


@FAST
@given(st.one_of(st.text(max_size=300), SPECS))
def test_a_description_is_cleaned_or_refused_as_input(text: str) -> None:
    TRIED["description"] += 1
    try:
        cleaned, warnings = description(text)
    except InputError:
        return
    assert cleaned and any(ch.isalnum() for ch in cleaned) and isinstance(warnings, list)


@FAST
@given(ECCN_LIKE)
def test_an_eccn_parses_to_a_fixed_point_or_is_refused(text: str) -> None:
    TRIED["ECCN.parse"] += 1
    try:
        eccn = ECCN.parse(text)
    except InvalidECCN:
        return
    assert ECCN.parse(str(eccn)) == eccn and len(eccn.ancestors) == eccn.depth


@SLOW
@given(NUMBERS, NUMBERS, st.sampled_from(["Germany", "China", "Iran", "Atlantis", "", "DE"]))
def test_de_minimis_decides_or_refuses_and_never_on_nan(total: object, us: object, destination: str) -> None:
    TRIED["de_minimis.decide"] += 1
    corpus = _corpus()
    try:
        decision = decide(corpus, total, us, destination)  # type: ignore[arg-type]
    except (DeMinimisInputError, UnknownCountry):
        return
    assert math.isfinite(decision.percentage) and 0 <= decision.percentage <= 100


@SLOW
@given(ECCN_LIKE, st.one_of(st.sampled_from(["Germany", "China", "Cuba", "cn", "DEU"]), st.text(max_size=20)))
def test_the_license_view_answers_or_names_the_wrong_input(item: str, destination: str) -> None:
    TRIED["license_view"] += 1
    try:
        view = license_view(_corpus(), item, destination)
    except (UnknownId, UnknownCountry, InvalidECCN):
        return
    assert isinstance(view["license_required"], bool)


@SLOW
@given(st.dictionaries(st.sampled_from(["total_value", "payload_kg", "destination", "us_content_eccns"]), NUMBERS))
def test_explicit_facts_are_checked_or_refused(facts: dict[str, object]) -> None:
    TRIED["check_facts"] += 1
    try:
        checked = check_facts(facts)
    except InputError:
        return
    assert all(math.isfinite(v) for k, v in checked.items() if k in ("total_value", "payload_kg"))


@SLOW
@given(st.binary(max_size=400), st.sampled_from([".csv", ".jsonl"]))
def test_the_batch_readers_give_rows_or_refuse_the_file(data: bytes, suffix: str) -> None:
    TRIED["read_rows"] += 1
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"in{suffix}"
        path.write_bytes(b"description,total_value\n" + data if suffix == ".csv" else data)
        try:
            _, rows = read_rows(path)
            read = list(rows)
        except TableError:
            return
    assert all(isinstance(r, dict) for r in read)


_CORPUS: list[Corpus] = []


def _corpus() -> Corpus:
    if not _CORPUS:
        _CORPUS.append(Corpus())
    return _CORPUS[0]
