"""Order of review (Supplement No. 4 to part 774) and the license view (Country Chart)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from classifier.corpus import Corpus, UnknownId
from classifier.countries import UnknownCountry
from classifier.eccn import ECCN
from classifier.engine import Classifier
from classifier.rules import order_of_review
from classifier.rules.license import license_view
from tests.rule_helpers import context


def review(corpus: Corpus, eccn: str) -> list[str]:
    return [f.outcome for f in order_of_review.evaluate(context(corpus, "item", [eccn])) if f.triggered]


@pytest.mark.parametrize(
    ("eccn", "warning"),
    [
        ("0A002", "subject to the ITAR"),
        ("9A610.x", "'600 series' or 9x515"),
        ("9A610.y.1", "'.y' paragraph"),
        ("9A515.a.1", "'600 series' or 9x515"),
        ("5A991.c", "x99x catch-all"),
        ("4A003.b", "specially designed"),
    ],
)
def test_warnings_for_the_top_suggestion(corpus: Corpus, eccn: str, warning: str) -> None:
    assert any(warning in w for w in review(corpus, eccn))


def test_no_warning_for_a_plain_paragraph(corpus: Corpus) -> None:
    assert review(corpus, "5A002.a.1") == []


def test_ear99_cites_step_6(corpus: Corpus) -> None:
    (f,) = order_of_review.evaluate(context(corpus, "mug", ["EAR99"]))
    assert "Step 6" in f.outcome and "Supplement No. 4" in f.citation


def test_every_order_of_review_finding_has_a_citation(corpus: Corpus) -> None:
    for eccn in ("0A002", "9A610.y.1", "5A991.c", "4A003.b", "5A002.a.1", "EAR99"):
        for f in order_of_review.evaluate(context(corpus, "item", [eccn])):
            assert f.citation


@pytest.mark.parametrize(
    ("item", "destination", "required"),
    [
        ("5A002.a.1", "China", True),  # NS Column 1: X for China
        ("5A992.c", "Germany", False),  # AT only: no X for Germany
        ("5A992.c", "Iran", True),  # embargoed: part 746
        ("EAR99", "Germany", False),
        ("EAR99", "Cuba", True),
        ("4A003.b", "China", True),
        ("4A003.g", "Japan", False),  # NS 2 has no X for Japan
        ("5A002.z.1.b", "China", True),  # RS "to or within D:1, D:4, D:5" read from words
    ],
)
def test_license_required(corpus: Corpus, item: str, destination: str, required: bool) -> None:
    assert license_view(corpus, item, destination)["license_required"] is required


def test_rows_name_reason_column_and_mark(corpus: Corpus) -> None:
    view = license_view(corpus, "5A002.a.1", "China")
    ns = next(r for r in view["rows"] if r["reason"] == "NS")
    assert ns["columns"] == ["NS 1"] and ns["license_required"] is True
    at = next(r for r in view["rows"] if r["reason"] == "AT")
    assert at["license_required"] is False
    assert view["citation"].startswith("15 CFR part 738")


def test_worded_rows_excluding_a5_or_a6(corpus: Corpus) -> None:
    view = license_view(corpus, "5A002.z.1.b", "Germany")
    rs = [r for r in view["rows"] if r["reason"] == "RS" and "D:1" in r["how"]]
    assert rs and rs[0]["license_required"] is False


def test_license_exceptions_worth_checking_carry_limits_and_citations(corpus: Corpus) -> None:
    view = license_view(corpus, "5A002.a.1", "Germany")
    symbols = {e["symbol"]: e for e in view["license_exceptions"]}
    assert symbols["LVS"]["value_limit_usd"] == 500 and "740.3" in symbols["LVS"]["citation"]
    assert "ENC" in symbols and "AIA" not in symbols  # AIA is scoped to 5A002.z paragraphs


def test_lvs_is_only_for_country_group_b(corpus: Corpus) -> None:
    """§ 740.3(b): LVS "is available for all destinations in Country Group B"; China is not in it."""
    view = license_view(corpus, "5A002.a.1", "China")
    assert "LVS" not in {e["symbol"] for e in view["license_exceptions"]}
    (lvs,) = [e for e in view["license_exceptions_ruled_out"] if e["symbol"] == "LVS"]
    assert "740.3(b)" in lvs["why"]


def test_embargoed_destinations_point_to_part_746(corpus: Corpus) -> None:
    view = license_view(corpus, "5A992.c", "North Korea")
    assert view["embargo"] and "746" in view["embargo"]["note"]


def test_unknown_inputs_are_refused(corpus: Corpus) -> None:
    with pytest.raises(UnknownId):
        license_view(corpus, "5A002.q", "China")
    with pytest.raises(UnknownCountry):
        license_view(corpus, "5A002.a.1", "Atlantis")


def test_license_cli_json_and_exit_codes() -> None:
    root = Path(__file__).resolve().parent.parent
    ok = subprocess.run(
        [sys.executable, "-m", "classifier", "license", "5A002.a.1", "--destination", "CN", "--json"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ok.returncode == 0 and json.loads(ok.stdout)["license_required"] is True
    bad = subprocess.run(
        [sys.executable, "-m", "classifier", "license", "5A002.a.1", "--destination", "Narnia"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2 and "Unknown destination" in bad.stderr


@pytest.mark.parametrize("eccn", ["0A501.a", "0A521"])
def test_firearms_and_0y521_entries_are_not_600_series(corpus: Corpus, eccn: str) -> None:
    assert not any("600 series" in w for w in review(corpus, eccn))


def test_0a919_is_not_an_x99x_catch_all(corpus: Corpus) -> None:
    assert not any("catch-all" in w for w in review(corpus, "0A919.a.1"))


def test_step_3_puts_a_600_series_candidate_before_a_catch_all_for_a_military_item(corpus: Corpus) -> None:
    """Supp. No. 4 Step 3: "items described in a 9x515 ECCN or '600 series' ECCN trump other ECCNs"."""
    ctx = context(corpus, "Landing gear assembly for the F-16 fighter aircraft", ["9A991.d", "9D610.b.7", "9A610.x"])
    findings = order_of_review.evaluate(ctx)
    assert ctx.top is not None and ctx.top.eccn == "9A610.x"  # same product group as the catch-all it replaces
    assert any(r.startswith("placed first by a rule: order of review Step 3") for r in ctx.top.reasons)
    assert findings[0].triggered and "(a)(3)" in findings[0].citation


def test_step_3_needs_the_description_to_say_military(corpus: Corpus) -> None:
    ctx = context(corpus, "Landing gear assembly for a business jet", ["9A991.d", "9A610.x"])
    order_of_review.evaluate(ctx)
    assert ctx.top is not None and ctx.top.eccn == "9A991.d"


def test_a_military_item_classified_end_to_end_gets_the_600_series_answer_and_no_false_no_license(
    classifier: Classifier,
) -> None:
    result = classifier.classify("Landing gear assembly for the F-16 fighter aircraft", destination="Pakistan")
    assert ECCN.parse(result.top.eccn).is_600_series
    assert result.license is not None and result.license["verdict"] != "not required"
