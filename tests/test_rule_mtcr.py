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
    # the EAR is cited; the historical annex text (22 CFR 121.16, now [Reserved]) only as the thresholds' source
    assert "15 CFR 742.5" in f.citation and "121.16" not in f.citation
    assert "22 CFR 121.16 (now [Reserved])" in f.explanation


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


def test_a_space_launch_vehicle_without_a_stated_range_is_item_1(corpus: Corpus) -> None:
    """§ 742.5(a)(2) counts space launch vehicles among "missiles"; reaching orbit is beyond 300 km."""
    f = cat1(corpus, "Space launch vehicle able to place 1,200 kg into low earth orbit")
    assert f.triggered and f.outcome.startswith("MTCR Category I system")


def test_a_uav_slower_than_800_km_h_is_reviewed_case_by_case(corpus: Corpus) -> None:
    """§ 742.5(b)(1) Note 1: 300 km/500 kg UAVs under 800 km/h are not subject to a policy of denial."""
    slow = cat1(corpus, "UAV with 600 kg payload, 400 km range and a maximum airspeed of 300 km/h")
    assert slow.triggered and "case by case" in slow.outcome and "742.5(b)(1), Note 1" in slow.outcome
    fast = cat1(corpus, "UAV with 600 kg payload, 400 km range and a maximum airspeed of 900 km/h")
    assert fast.triggered and "presumption of denial" in fast.outcome


def test_guidance_sets_for_manned_aircraft_are_excepted_from_item_2d(corpus: Corpus) -> None:
    f = cat1(corpus, "Inertial guidance set for manned aircraft")
    assert not f.triggered and "Category II" in f.outcome


def test_category_i_findings_name_the_usml_categories_including_viii_for_uavs(corpus: Corpus) -> None:
    f = cat1(corpus, "UAV with 800 kg payload and 1,000 km range", "China")
    assert f.facts["jurisdiction"] == "probably ITAR"
    assert any("VIII(a)" in r for r in f.facts["read"])
    assert "VIII" in f.explanation


def test_a_reentry_heat_shield_is_put_on_the_usml_entry_and_the_license_asks_for_a_jurisdiction_review(
    corpus: Corpus,
) -> None:
    from classifier.rules import apply_rules

    ctx = context(corpus, "Re-entry vehicle heat shield made of ablative carbon phenolic", ["EAR99", "1C107.d.2"], "Pakistan")
    outcome = apply_rules(ctx.facts, ctx.suggestions, corpus, ctx.destination)
    suggestions, view = outcome.suggestions, outcome.license
    assert suggestions[0].eccn == "9A116"  # "Reentry vehicles ... (These items are “subject to the ITAR.”)"
    assert any("MTCR Category I complete subsystem" in r for r in suggestions[0].reasons)
    assert view is not None and view["verdict"] == "review" and view["license_required"] is None
    assert view["jurisdiction"] == "ITAR"
