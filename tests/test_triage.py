"""Triage of license applications: each reason with its citation, the priority, and the queue's order."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from classifier.corpus import Corpus
from classifier.engine import Classifier
from classifier.result import Classification, Finding, Suggestion
from classifier.triage import Application, cues, reasons, triage
from classifier.triage.model import Reason, Weights
from classifier.triage.page import detail_markdown, queue_table, screening_rows
from classifier.triage.queue import run_queue

ROOT = Path(__file__).resolve().parent.parent
UAV = "Unmanned aerial vehicle (UAV) carrying a 600 kg payload to a range of 400 km"
EL_PARTY_REWRITTEN = "Daotong Intelligent Aviation Technology Shenzhen Limited Liability Company"


@pytest.fixture(scope="module")
def table(corpus: Corpus) -> dict[str, Any]:
    return corpus.rule_table("triage")


def classified(
    *eccns: str, findings: list[Finding] | None = None, license: dict[str, Any] | None = None
) -> Classification:
    """A classification with these suggestions (first = most likely), as the engine would return it."""
    suggestions = [Suggestion(e, 0.5 / (i + 1), e, "paragraph text", f"heading of {e}") for i, e in enumerate(eccns)]
    return Classification("item", suggestions, findings or [], license=license)


def codes(found: list[Reason]) -> list[str]:
    return [r.code for r in found]


# -- the two cases of the issue -------------------------------------------------------------------------
def test_a_uav_for_an_entity_list_party_claimed_ear99_to_china_is_high(classifier: Classifier) -> None:
    app = Application(UAV, "China", "EAR99", end_user=EL_PARTY_REWRITTEN)
    result = triage(classifier, app)
    assert result.priority == "high"
    found = {r.code: r for r in result.reasons}
    assert {"mtcr_category_1", "screening", "claimed_ear99_controlled"} <= set(found)
    assert "744.11" in found["screening"].citation and "Presumption of denial" in found["screening"].detail
    assert all(r.citation for r in result.reasons)
    assert result.list_date == "2026-07-31"


def test_ceramic_mugs_to_a_canadian_retailer_are_low_with_no_reasons(classifier: Classifier) -> None:
    app = Application(
        "Ceramic coffee mugs, 12 oz, dishwasher safe", "Canada", "EAR99", end_user="Maple Leaf Home Goods Ltd."
    )
    result = triage(classifier, app)
    assert result.priority == "low" and result.reasons == [] and result.score == 0


def test_an_unknown_destination_is_an_error_not_a_guess(classifier: Classifier) -> None:
    result = triage(classifier, Application("Ceramic mug", "Atlantis"))
    assert result.priority == "error" and "Unknown destination" in result.error


# -- each reason ----------------------------------------------------------------------------------------
def test_screening_hits_give_one_reason_per_list_weighted_by_the_score(table: dict[str, Any]) -> None:
    match = {
        "name": "X Co.",
        "matched_alias": "X Co.",
        "list": "UVL",
        "list_name": "Unverified List",
        "score": 0.9,
        "country": "AM",
        "license_requirement": "",
        "license_policy": "",
        "federal_register": "",
        "citation": "15 CFR 744.15 and Supplement No. 6 to part 744",
        "effect": "No license exceptions; a UVL statement is needed.",
        "severity": "high",
        "weight": 35.0,
    }
    facts = {"party": "end user", "name": "X Company", "list_date": "2026-07-31", "matches": [match, match]}
    hit = Finding("screening", True, "end user 'X Company' matches X Co.", "744.15", "", facts)
    (found,) = reasons.screening_reasons(classified("EAR99", findings=[hit]), table)
    assert found.code == "screening" and found.severity == "high" and found.weight == pytest.approx(31.5)
    assert "UVL statement" in found.detail and "744.15" in found.citation


def test_a_party_not_screened_is_a_reason(table: dict[str, Any]) -> None:
    missing = Finding("screening", True, "end user 'X' not screened: the screening list is absent", "CSL", "", {})
    assert codes(reasons.screening_reasons(classified("EAR99", findings=[missing]), table)) == ["party_not_screened"]


def test_mtcr_category_1_is_high(table: dict[str, Any]) -> None:
    cat1 = Finding("mtcr_category_1", True, "MTCR Category I system", "15 CFR 742.5(a)(2)", "", {})
    (found,) = reasons.mtcr_reasons(classified("9A012", findings=[cat1]), table)
    assert found.severity == "high" and "742.5" in found.citation


@pytest.mark.parametrize(
    ("claimed", "suggested", "expected"),
    [
        ("EAR99", ("9A012.b", "9A120"), ["claimed_ear99_controlled"]),
        ("EAR99", ("EAR99", "5A992.c"), []),
        ("5A992", ("5A992.c", "5A002.a"), []),
        ("5A002", ("5A992.c", "5A002.a"), ["claimed_eccn_alternative"]),
        ("3A001", ("5A992.c", "5A002.a"), ["claimed_eccn_not_suggested"]),
        ("5A002", ("EAR99", "5A992.c"), ["claimed_controlled_first_ear99"]),
        ("9Z999", ("EAR99",), ["claimed_eccn_unknown"]),
        ("", ("9A012",), []),
    ],
)
def test_the_claimed_eccn_against_the_suggestions(
    corpus: Corpus, table: dict[str, Any], claimed: str, suggested: tuple[str, ...], expected: list[str]
) -> None:
    assert codes(reasons.claimed_eccn_reasons(claimed, classified(*suggested), corpus, table)) == expected


@pytest.mark.parametrize(
    ("view", "verdict"),
    [
        ({"license_required": True}, "required"),
        ({"license_required": False}, "not required"),
        ({"license_required": False, "needs_review": True}, "review"),
        ({"license_required": None}, "review"),
        ({"license_required": False, "verdict": "review"}, "review"),  # the three-valued view wins
        ({"license_required": None, "verdict": "required"}, "required"),
        (None, None),
    ],
)
def test_the_license_answer_is_read_three_valued_before_and_after_the_verdict_field(
    view: dict[str, Any] | None, verdict: str | None
) -> None:
    assert reasons.license_verdict(view) == verdict


def test_a_license_required_or_to_review_is_a_reason_and_not_required_is_none(table: dict[str, Any]) -> None:
    base = {
        "id": "5A002.a.1",
        "destination": "China",
        "citation": "15 CFR 738.4",
        "rows": [{"reason": "NS", "license_required": True}],
    }
    required = reasons.license_reasons(classified("5A002.a.1", license={**base, "verdict": "required"}), table)
    review = reasons.license_reasons(classified("5A002.a.1", license={**base, "verdict": "review"}), table)
    free = reasons.license_reasons(classified("5A002.a.1", license={**base, "verdict": "not required"}), table)
    assert codes(required) == ["license_required"] and "NS" in required[0].detail
    assert codes(review) == ["license_review"] and free == []


def test_embargoed_destinations_and_country_groups(corpus: Corpus, table: dict[str, Any]) -> None:
    iran = reasons.destination_reasons(corpus.country_table.resolve("Iran"), table)
    china = reasons.destination_reasons(corpus.country_table.resolve("China"), table)
    canada = reasons.destination_reasons(corpus.country_table.resolve("Canada"), table)
    assert {"embargoed_destination", "country_group_e", "country_group_d"} <= set(codes(iran))
    assert codes(china) == ["country_group_d"] and canada == []
    assert "part 746" in iran[0].citation


def test_a_military_end_use_is_high_in_a_744_21_country_and_medium_elsewhere(
    corpus: Corpus, table: dict[str, Any]
) -> None:
    app = Application("gyroscope", "China", end_use="for the navy's patrol boats")
    (china,) = cues.military_reasons(app, corpus.country_table.resolve("China"), table)
    (brazil,) = cues.military_reasons(app, corpus.country_table.resolve("Brazil"), table)
    assert china.severity == "high" and brazil.severity == "medium" and china.citation == "15 CFR 744.21"
    assert (
        cues.military_reasons(
            Application("gyroscope", "China", end_use="surveying"), corpus.country_table.resolve("China"), table
        )
        == []
    )


def test_non_mass_market_encryption_for_a_government_end_user(table: dict[str, Any]) -> None:
    ministry = Application("VPN gateway", "Pakistan", end_user="Ministry of Interior")
    (found,) = cues.encryption_reasons(ministry, classified("5A002.a.1"), table)
    assert found.severity == "high" and "772.1" in found.citation
    assert cues.encryption_reasons(ministry, classified("5A992.c"), table) == []  # mass market
    assert (
        cues.encryption_reasons(Application("VPN", "Pakistan", end_user="Acme Bank"), classified("5A002.a.1"), table)
        == []
    )


@pytest.mark.parametrize(
    ("app", "flag"),
    [
        (
            Application("x", "Germany", end_use="the customer will not disclose the end use"),
            "reluctant to offer information",
        ),
        (Application("x", "Germany", end_user="Sunny Bakery"), "line of business"),
        (Application("x", "Germany", end_use="payment in cash on delivery"), "pay cash"),
        (Application("x", "Germany", end_use="newly formed company"), "little or no business background"),
        (Application("x", "Germany", end_use="customer declined installation and training"), "installation, training"),
        (Application("x", "Germany", end_user="Fast Freight Forwarding LLC"), "freight forwarding firm"),
        (Application("x", "Germany", end_use="to be transshipped via Dubai"), "shipping route"),
        (Application("x", "Germany", end_use="for reexport to a third country"), "domestic use, for export"),
    ],
)
def test_know_your_customer_red_flags_the_application_shows(table: dict[str, Any], app: Application, flag: str) -> None:
    found = cues.red_flag_reasons(app, classified("3A001.a"), table)
    assert [r.code for r in found] == ["kyc_red_flag"] and flag in found[0].detail
    assert "Supplement No. 3" in found[0].citation


def test_an_ordinary_end_use_raises_no_red_flag(table: dict[str, Any]) -> None:
    app = Application("x", "Germany", end_user="Stadtwerke Musterstadt", end_use="resale in our retail stores")
    assert cues.red_flag_reasons(app, classified("EAR99"), table) == []


# -- priority and order ---------------------------------------------------------------------------------
def test_the_most_severe_reason_sets_the_priority_and_weights_order_within_it() -> None:
    weights = Weights()
    high = Reason("a", "high", 10, "", "", "")
    medium = Reason("b", "medium", 30, "", "", "")
    assert weights.priority([medium, high]) == "high" and weights.priority([medium]) == "medium"
    assert weights.priority([]) == "low"
    assert weights.score([high, medium], None) == 40
    assert weights.score([high], 1_000_000) > weights.score([high], 1_000)


def test_a_file_of_applications_comes_back_ordered_with_every_reason(tmp_path: Path, classifier: Classifier) -> None:
    rows = [
        {"id": "mugs", "description": "Ceramic coffee mugs", "destination": "Canada", "claimed_eccn": "EAR99"},
        {
            "id": "uav",
            "description": UAV,
            "destination": "China",
            "claimed_eccn": "EAR99",
            "end_user": EL_PARTY_REWRITTEN,
        },
        {
            "id": "router",
            "description": "Wi-Fi router with WPA3 sold at retail",
            "destination": "China",
            "claimed_eccn": "5A992.c",
        },
        {"id": "bad", "description": "Ceramic mug", "destination": "Atlantis", "claimed_eccn": ""},
        {"id": "formula", "description": "Ceramic mug", "destination": "Canada", "claimed_eccn": "=1+1"},
    ]
    source = tmp_path / "applications.csv"
    with source.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]) + ["end_user"])
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / "queue.csv"
    ordered = run_queue(classifier, source, out)
    with out.open(encoding="utf-8", newline="") as fh:
        queue = list(csv.DictReader(fh))
    assert [r["id"] for r in queue][0] == "uav" and queue[-1]["id"] == "bad"
    priorities = [r["priority"] for r in queue]
    assert priorities == sorted(priorities, key=["high", "medium", "low", "error"].index)
    assert queue[0]["rank"] == "1" and "744.11" in queue[0]["reasons"] and "mtcr_category_1" in queue[0]["reason_codes"]
    assert "Unknown destination" in queue[-1]["error"]
    assert next(r for r in queue if r["id"] == "formula")["claimed_eccn"] == "'=1+1"
    table = queue_table(ordered)
    assert table[0][1] == "high" and table[0][3] == "uav"
    assert "744.11" in detail_markdown(ordered[0][1]) and "9A" in detail_markdown(ordered[0][1])


def test_the_classify_tab_and_the_memo_show_the_screening_of_the_end_user(classifier: Classifier) -> None:
    from classifier.record import memo_markdown

    result = classifier.classify("Quadcopter drone with camera", destination="China", end_user="Autel Robotics")
    rows = screening_rows(result)
    assert rows[0][:2] == ["end user", "Autel Robotics"] and rows[0][4] == "EL"
    memo = memo_markdown(result, {"end_user": "Autel Robotics"})
    assert "**Screening of the named parties** (triggered)" in memo and "Consolidated Screening List of 2026-07-31" in memo


def test_cli_triage_and_triage_batch(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "classifier", "triage", "--description", "Ceramic coffee mugs",
         "--destination", "Canada", "--claimed-eccn", "EAR99", "--json"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert '"priority": "low"' in out.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "classifier", "triage-batch", str(tmp_path / "missing.csv"), "--output", str(tmp_path / "q.csv")],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert bad.returncode == 2 and "does not exist" in bad.stderr
