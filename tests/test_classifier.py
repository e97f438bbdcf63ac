"""The classifier end to end, on the real corpus, model and ranker."""

from __future__ import annotations

import gc

import numpy as np
import pytest

from classifier.engine import Classifier, InputError
from classifier.facts import read_facts


@pytest.mark.parametrize(
    "everyday",
    [
        "Ceramic coffee mug with company logo",
        "Cotton T-shirt, size L",
        "Oak bookshelf with five shelves",
        "Plush toy rabbit for toddlers",
        "Garden hose 30 m with brass fittings",
        "Kitchen knife set in wooden block",
    ],
)
def test_everyday_goods_come_out_ear99(classifier: Classifier, everyday: str) -> None:
    result = classifier.classify(everyday)
    assert result.top.eccn == "EAR99"
    assert result.top.considered, "an EAR99 answer lists the ECCNs it considered"
    assert all(c.why for c in result.top.considered)


def test_a_consumer_wifi_router_is_mass_market_encryption(classifier: Classifier) -> None:
    result = classifier.classify("Dual-band Wi-Fi 6 home router with WPA3, sold in electronics stores")
    assert result.top.eccn == "5A992.c"
    assert any("encryption" in r for r in result.top.reasons)


def test_a_supercomputer_above_70_wt_is_4a003b(classifier: Classifier) -> None:
    result = classifier.classify("High performance computing cluster with an Adjusted Peak Performance of 120 WT")
    assert result.top.eccn == "4A003.b"
    assert any("120 WT" in r and "meets" in r for r in result.top.reasons)


def test_a_range_in_km_is_never_compared_with_an_altitude_in_metres(classifier: Classifier) -> None:
    result = classifier.classify("Unmanned aerial vehicle carrying a 600 kg payload to a range of 400 km")
    reasons = [r for s in result.suggestions for r in s.reasons]
    assert not any("400 km" in r and "15,240 meters" in r for r in reasons)
    assert any("400 km" in r and "300 km" in r for r in result.top.reasons)  # range against a range


def test_five_suggestions_are_five_different_entries(classifier: Classifier) -> None:
    result = classifier.classify("Uncooled thermal imaging camera core 640x512, 30 Hz", top_k=5)
    heads = [s.head for s in result.suggestions]
    assert len(heads) == 5 and len(set(heads)) == 5
    for s in result.suggestions:
        assert 0.0 <= s.confidence <= 0.99  # never certain: the calibrated map is capped
        assert s.paragraph and s.heading
        assert s.eccn == "EAR99" or s.paragraph_id.startswith(s.head)
    # a paragraph whose conditions are not met keeps its place in the list and shows no confidence
    excluded = [s for s in result.suggestions if s.applies_only_if.startswith("does not apply")]
    assert all(s.confidence == 0.0 for s in excluded)
    confidences = [s.confidence for s in result.suggestions if s.eccn != "EAR99" and s not in excluded]
    assert confidences == sorted(confidences, reverse=True)


BATCH_TEXTS = [
    "GPS receiver module for drones",
    "Hydrazine monopropellant for satellites",
    "Leather sofa",
    "Fiber laser, 150 W average output, 1070 nm",
    "Encryption software library with AES-256 for banking apps",
]


def test_classify_many_gives_the_same_answers_as_classify(classifier: Classifier) -> None:
    batch = classifier.classify_many(BATCH_TEXTS, top_k=3)
    for text, result in zip(BATCH_TEXTS, batch, strict=True):
        single = classifier.classify(text, top_k=3)
        assert [s.eccn for s in result.suggestions] == [s.eccn for s in single.suggestions]
        assert [s.confidence for s in result.suggestions] == pytest.approx([s.confidence for s in single.suggestions])


def test_batch_features_equal_one_description_at_a_time(classifier: Classifier) -> None:
    facts = [read_facts(t) for t in BATCH_TEXTS]
    vectors = classifier.encoder.encode(BATCH_TEXTS)
    assert classifier.ranker is not None
    neighbours = classifier.ranker.memory.neighbours(vectors)
    pools = classifier.eccn_candidates(classifier.retriever.candidates(facts, vectors, neighbours))
    batch = classifier.features(facts, pools, vectors, neighbours)
    for q in range(len(BATCH_TEXTS)):
        alone = classifier.features([facts[q]], [pools[q]], vectors[q : q + 1], [neighbours[q]])
        (a, b), (ea, eb) = batch.row_spans[q], batch.entry_spans[q]
        assert np.allclose(batch.rows[a:b], alone.rows, atol=1e-6)
        assert batch.heads(q) == alone.entries
        assert np.allclose(batch.entry_rows[ea:eb], alone.entry_rows, atol=1e-6)
        assert len(set(batch.heads(q))) == len(batch.heads(q))  # one entry row per ECCN entry


def test_loading_freezes_what_was_loaded_for_the_garbage_collector(classifier: Classifier) -> None:
    assert gc.get_freeze_count() > 100_000  # the corpus, index and model objects are not re-scanned


def test_results_carry_provenance_and_the_notice(classifier: Classifier) -> None:
    result = classifier.classify("Fiber optic gyro for marine navigation")
    assert result.provenance["corpus_edition"] == classifier.corpus.edition
    assert len(result.provenance["model_hash"]) == 64
    assert "do not replace" in result.notice
    assert result.to_dict()["suggestions"][0]["eccn"] == result.top.eccn


@pytest.mark.parametrize(("bad", "message"), [("", "empty"), ("   ", "empty"), ("x" * 20_001, "shorten")])
def test_bad_descriptions_are_refused_with_a_reason(classifier: Classifier, bad: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        classifier.classify(bad)


def test_top_k_must_be_positive(classifier: Classifier) -> None:
    with pytest.raises(InputError):
        classifier.classify("router", top_k=0)


def test_a_missile_description_retrieves_its_mtcr_item(classifier: Classifier) -> None:
    result = classifier.classify(
        "Solid propellant rocket motor with total impulse of 1.5 x 10^6 N-s for a 300 km missile"
    )
    assert any(m.item.startswith("2") for m in result.mtcr_matches)


def test_no_answer_is_shown_as_certain(classifier: Classifier) -> None:
    assert classifier.ranker is not None
    assert classifier.ranker.confidence([1.0, 0.999])[0] == pytest.approx(0.99)
    result = classifier.classify("Dual-band Wi-Fi router with WPA3 sold at retail")
    assert result.top.eccn.startswith("5A992") and result.top.confidence <= 0.99
