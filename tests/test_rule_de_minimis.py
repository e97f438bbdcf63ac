"""De minimis (15 CFR 734.4, Supplement No. 2 to part 734): percentage = U.S. controlled content / item value × 100;
at or below the level the foreign-made item is not subject to the EAR."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from classifier.corpus import Corpus
from classifier.countries import UnknownCountry
from classifier.rules.de_minimis import DeMinimisInputError, decide


@pytest.mark.parametrize(
    ("total", "us", "destination", "subject", "threshold"),
    [
        (1000, 240, "Germany", False, 25),  # 24 % to Germany is not subject to the EAR
        (1000, 250, "Germany", False, 25),  # exactly 25 % is "at or below": not subject
        (10000, 2501, "Germany", True, 25),  # 25.01 % is above the level
        (1000, 100, "Iran", False, 10),  # exactly 10 % to Country Group E:1
        (1000, 101, "Syria", True, 10),  # 10.1 % to E:1
        (1000, 200, "Cuba", True, 10),  # Cuba is E:2: 20 % is above 10 %
        (1000, 200, "China", False, 25),  # China is not in E:1/E:2: the 25 % level applies
        (1000, 0, "KR", False, 25),  # no U.S. content at all
    ],
)
def test_levels_and_the_at_or_below_boundary(
    corpus: Corpus, total: float, us: float, destination: str, subject: bool, threshold: float
) -> None:
    decision = decide(corpus, total, us, destination)
    assert decision.subject_to_ear is subject
    assert decision.threshold == threshold
    assert f"{us / total * 100:.2f} %" in decision.explanation


def test_the_citation_names_the_paragraph_that_decided(corpus: Corpus) -> None:
    assert decide(corpus, 100, 5, "Germany").citation == "15 CFR 734.4(d)"
    assert decide(corpus, 100, 5, "North Korea").citation == "15 CFR 734.4(c)"


def test_5e002_technology_has_no_de_minimis_level(corpus: Corpus) -> None:
    decision = decide(corpus, 1000, 10, "Germany", ["5E002.a"])
    assert decision.subject_to_ear and decision.threshold is None
    assert decision.citation == "15 CFR 734.4(a)(2)"


def test_600_series_y_content_to_china_has_no_de_minimis_but_to_germany_it_does(corpus: Corpus) -> None:
    assert decide(corpus, 1000, 50, "China", ["9A610.y.1"]).citation == "15 CFR 734.4(a)(6)(ii)"
    assert decide(corpus, 1000, 50, "Germany", ["9A610.y.1"]).subject_to_ear is False


def test_600_series_a_to_x_content_to_d5_has_no_de_minimis(corpus: Corpus) -> None:
    decision = decide(corpus, 1000, 50, "China", ["9A610.x"])
    assert decision.subject_to_ear and decision.citation == "15 CFR 734.4(a)(6)(i)"
    assert decide(corpus, 1000, 50, "France", ["9A610.x"]).subject_to_ear is False


def test_exactly_10_percent_to_iran_is_at_the_level_not_above_it(corpus: Corpus) -> None:
    """4.23 / 42.30 is exactly 10 %: "equal to or less than the de minimis level" (Supp. No. 2 to part 734)."""
    decision = decide(corpus, 42.30, 4.23, "Iran")
    assert decision.subject_to_ear is False and decision.threshold == 10


def test_600_series_content_without_a_paragraph_to_china_has_no_de_minimis(corpus: Corpus) -> None:
    """§ 734.4(a)(6)(i) (.a-.x to D:5) and (a)(6)(ii) (.y to China): either way China has no level."""
    for content in ("9A610", "9A515"):
        decision = decide(corpus, 1000, 10, "China", [content])
        assert decision.subject_to_ear is True and "734.4(a)(6)" in decision.citation


def test_600_series_content_without_a_paragraph_to_another_d5_country_is_a_review(corpus: Corpus) -> None:
    d5_only = next(
        n for n in corpus.country_table.names()
        if corpus.country_table.resolve(n).in_group("D:5") and not corpus.country_table.resolve(n).in_group("E")
        and n not in ("China", "Russia", "Belarus")
    )
    decision = decide(corpus, 1000, 10, d5_only, ["9A610"])
    assert decision.subject_to_ear is None and decision.to_dict()["verdict"] == "review"
    assert decide(corpus, 1000, 10, "Germany", ["9A610"]).subject_to_ear is False


def test_a_b1_authorization_cannot_cover_5a004_content(corpus: Corpus) -> None:
    """§ 740.17(b)(1) covers 5A002.a, z.1, 5B002 and 5D002; 5A004 items go through (b)(2) or (b)(3)."""
    with pytest.raises(DeMinimisInputError, match="740.17\\(b\\)\\(1\\)"):
        decide(corpus, 1000, 50, "Germany", ["5A004.b"], "b1")
    assert decide(corpus, 1000, 50, "Germany", ["5A004.b"], "b3").subject_to_ear is False


def test_encryption_content_needs_an_enc_authorization(corpus: Corpus) -> None:
    assert decide(corpus, 1000, 50, "Germany", ["5A002.a.1"]).subject_to_ear is True
    assert decide(corpus, 1000, 50, "Germany", ["5A002.a.1"], "b1").subject_to_ear is False
    # (b)(2)-authorized content may not go to E:1/E:2
    assert decide(corpus, 1000, 50, "Iran", ["5A002.a.1"], "b2").subject_to_ear is True
    assert decide(corpus, 1000, 50, "Germany", ["5A992.c"]).subject_to_ear is False


@pytest.mark.parametrize(
    ("total", "us", "message"),
    [(-5, 1, "total value"), (0, 0, "total value"), (100, -1, "must not be negative"), (100, 150, "cannot exceed")],
)
def test_bad_values_say_which_input_is_wrong(corpus: Corpus, total: float, us: float, message: str) -> None:
    with pytest.raises(DeMinimisInputError, match=message):
        decide(corpus, total, us, "Germany")


def test_an_unknown_country_is_refused(corpus: Corpus) -> None:
    with pytest.raises(UnknownCountry):
        decide(corpus, 100, 10, "Narnia")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    root = Path(__file__).resolve().parent.parent
    return subprocess.run(
        [sys.executable, "-m", "classifier", "de-minimis", *args], cwd=root, capture_output=True, text=True, timeout=120
    )


def test_cli_prints_the_decision_as_json() -> None:
    out = run("--total-value", "1000", "--us-content-value", "250", "--destination", "Germany", "--json")
    data = json.loads(out.stdout)
    assert out.returncode == 0 and data["subject_to_ear"] is False and data["percentage"] == 25.0
    assert data["threshold"] == 25 and data["decided_by"] == "15 CFR 734.4(d)"


@pytest.mark.parametrize(
    "args",
    [
        ("--total-value", "-1", "--us-content-value", "0", "--destination", "Germany"),
        ("--total-value", "100", "--us-content-value", "200", "--destination", "Germany"),
        ("--total-value", "100", "--us-content-value", "10", "--destination", "Atlantis"),
    ],
)
def test_cli_exits_2_on_bad_input(args: tuple[str, ...]) -> None:
    out = run(*args)
    assert out.returncode == 2 and out.stderr.startswith("error:") and "Traceback" not in out.stderr
