"""MTCR Category I (Annex Items 1 and 2) and Category II (MT reason for control)."""

from __future__ import annotations

import pytest

from classifier.corpus import Corpus
from classifier.engine import Classifier
from classifier.rules import mtcr
from tests.rule_helpers import context


def cat1(corpus: Corpus, text: str, destination: str | None = None, **kw: object):  # type: ignore[no-untyped-def]
    (f,) = mtcr.category_1(context(corpus, text, ["9A012.a.2"], destination, **kw))
    return f


@pytest.mark.parametrize(
    ("text", "triggered"),
    [
        ("Unmanned aerial vehicle able to carry 600 kg to 400 km", True),
        ("UAV with 500 kg payload and a range of 300 km", True),  # "at least": the boundary itself triggers
        ("UAV with 499 kg payload and a range of 300 km", False),
        ("UAV with 500 kg payload and a range of 299 km", False),
        ("Cruise missile with 1,200 lb payload and 300 nm range", True),  # 544 kg, 556 km
        ("Rocket with 0.5 t payload to a range of 200 mi", True),  # 500 kg, 322 km
        ("Camera drone 249 g with 25 minutes flight time", False),
        ("Target drone with 20 kg payload and 100 km range", False),
    ],
)
def test_complete_systems_need_500_kg_to_300_km(corpus: Corpus, text: str, triggered: bool) -> None:
    f = cat1(corpus, text)
    assert f.triggered is triggered
    assert "22 CFR 121.16" in f.citation


def test_payload_and_range_given_explicitly_count(corpus: Corpus) -> None:
    assert cat1(corpus, "Long-range UAV", payload_kg=650, range_km=1000).triggered


def test_a_rocket_motor_at_the_item_2c_impulse_is_category_i(corpus: Corpus) -> None:
    assert cat1(corpus, "Solid rocket motor with total impulse of 1.2 × 10^6 N-s").triggered
    assert not cat1(corpus, "Solid rocket motor with total impulse of 5 × 10^5 N-s").triggered


def test_guidance_sets_and_thrust_vector_control_are_complete_subsystems(corpus: Corpus) -> None:
    assert cat1(corpus, "Guidance set for ballistic rockets").outcome.endswith("(Annex Item 2.d)")
    assert cat1(corpus, "Thrust vector control subsystem for large rockets").triggered


def test_the_policy_says_whether_the_destination_is_an_mtcr_partner(corpus: Corpus) -> None:
    uk = cat1(corpus, "UAV with 800 kg payload and 1,000 km range", "United Kingdom")
    assert "is in Country Group A:2" in uk.explanation and "presumption" in uk.explanation.lower()
    china = cat1(corpus, "UAV with 800 kg payload and 1,000 km range", "China")
    assert "is not in Country Group A:2" in china.explanation
    assert "ITAR" in china.explanation


def test_production_facilities_are_excluded(corpus: Corpus) -> None:
    f = cat1(corpus, "Turnkey production facility for rockets delivering 600 kg to 500 km")
    assert f.triggered and "production facilities are excluded" in f.explanation


def test_category_ii_follows_the_mt_reason_for_control(corpus: Corpus) -> None:
    (mt,) = mtcr.category_2(context(corpus, "UAV, 3 hours endurance", ["9A012.a.2"]))
    assert mt.triggered and "742.5" in mt.citation
    (none,) = mtcr.category_2(context(corpus, "Wi-Fi router", ["5A992.c"]))
    assert not none.triggered


def test_classify_triggers_category_i_for_a_heavy_uav_but_not_for_a_hobby_drone(classifier: Classifier) -> None:
    heavy = classifier.classify("Unmanned aerial vehicle able to carry 600 kg to 400 km")
    assert any(f.rule == "mtcr_category_1" and f.triggered for f in heavy.findings)
    assert heavy.top.eccn != "EAR99"
    hobby = classifier.classify("Camera drone 250 g for hobby photography")
    assert not any(f.triggered and f.rule.startswith("mtcr") for f in hobby.findings)
