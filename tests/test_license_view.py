"""The license view against the regulation's own words: three-valued, and never a false "no license"."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier.corpus import Corpus
from classifier.countries import UnknownCountry
from classifier.engine import Classifier
from classifier.rules.end_use import UnknownEndUse, entity_list_requirement
from classifier.rules.license import license_view

ROOT = Path(__file__).resolve().parent.parent


def verdict(corpus: Corpus, item: str, destination: str, end_use: str | None = None) -> str:
    return str(license_view(corpus, item, destination, end_use)["verdict"])


# -- 1. entries "subject to the ITAR" ---------------------------------------------------------------
def test_a_sounding_rocket_to_china_is_an_itar_question_never_no_license(corpus: Corpus) -> None:
    view = license_view(corpus, "9A104", "China")
    assert view["verdict"] == "review" and view["license_required"] is None
    assert view["jurisdiction"] == "ITAR" and "State Department" in view["headline"]
    assert any("22 CFR" in r for item in view["review"] for r in item["read"])


def test_every_itar_pointer_entry_is_answered_as_itar(corpus: Corpus) -> None:
    pointers = [e for e, entry in corpus.entries.items() if entry["itar_pointer"]]
    assert len(pointers) == corpus.manifest["counts"]["itar_pointer_entries"] >= 30
    for eccn in pointers:
        for destination in ("China", "Germany", "Russia"):
            view = license_view(corpus, eccn, destination)
            assert view["jurisdiction"] == "ITAR" and view["license_required"] is None, (eccn, destination)


# -- 2. rows the parser used to lose -------------------------------------------------------------
def test_a_1c350_precursor_to_china_needs_a_license_for_cb_column_2(corpus: Corpus) -> None:
    """1C350: "CB applies to entire entry CB Column 2." is one table cell spanning two columns."""
    view = license_view(corpus, "1C350.b", "China")
    cb = [r for r in view["rows"] if r["reason"] == "CB"]
    assert cb and cb[0]["columns"] == ["CB 2"] and view["verdict"] == "required"
    cw = [r for r in view["rows"] if r["reason"] == "CW"]
    assert cw and cw[0]["verdict"] == "review"  # States not Party to the CWC: Supp. No. 2 to part 745


@pytest.mark.parametrize(("eccn", "reason"), [("1A231", "AT"), ("1A006", "NS"), ("0A999", "AT"), ("0E982", "CC")])
def test_reasons_once_lost_have_their_rows(corpus: Corpus, eccn: str, reason: str) -> None:
    assert reason in {r for row in corpus.entries[eccn]["controls"] for r in row["reasons"]}


def test_3a232_rs_named_without_a_row_is_a_review_not_a_silent_no(corpus: Corpus) -> None:
    rows = [r for r in license_view(corpus, "3A232", "Germany")["rows"] if r["reason"] == "RS"]
    assert rows and rows[0]["verdict"] == "review"


# -- 3. part 746 -------------------------------------------------------------------------------------
def test_every_eccn_to_russia_or_belarus_needs_a_license(corpus: Corpus) -> None:
    """§ 746.8(a)(1): "any item ... specified in any Export Control Classification Number (ECCN) on the CCL"."""
    for destination in ("Russia", "Belarus"):
        for eccn, entry in corpus.entries.items():
            if not entry["itar_pointer"]:
                assert verdict(corpus, eccn, destination) == "required", (eccn, destination)
    view = license_view(corpus, "5A992.c", "Russia")
    assert any(a["citation"] == "15 CFR 746.8(a)(1)" and a["verdict"] == "required" for a in view["answers"])
    assert any("746.8(a)(12)(ii)" in note for note in view["notes"])


def test_ear99_to_russia_is_a_review_of_the_part_746_supplements(corpus: Corpus) -> None:
    view = license_view(corpus, "EAR99", "Russia")
    assert view["verdict"] == "review"
    assert any("Supplement No. 4" in r for item in view["review"] for r in item["read"])


@pytest.mark.parametrize(
    ("name", "region"),
    [
        ("Crimea", "Crimea region of Ukraine"),
        ("DNR", "Donetsk People's Republic (DNR) region of Ukraine"),
        ("Luhansk People's Republic", "Luhansk People's Republic (LNR) region of Ukraine"),
    ],
)
def test_crimea_and_the_covered_regions_are_destinations(corpus: Corpus, name: str, region: str) -> None:
    """§ 746.6(a): a license for any item subject to the EAR other than EAR99 food and medicine."""
    view = license_view(corpus, "5A992.c", name)
    assert view["destination"] == region and view["part_of"] == "Ukraine" and view["verdict"] == "required"
    assert verdict(corpus, "EAR99", name) == "review"  # food and medicine are excluded
    assert verdict(corpus, "5D992.c", name) == "review"  # free personal-communications software is excluded
    assert verdict(corpus, "5A992.c", "Ukraine") == "not required"


@pytest.mark.parametrize(
    ("destination", "ear99", "citation"),
    [
        ("Cuba", "required", "746.2(a)"),
        ("Iran", "required", "746.7"),
        ("North Korea", "review", "746.4(a)"),
        ("Syria", "review", "746.9(a)"),
    ],
)
def test_embargoed_destinations_follow_their_part_746_section(
    corpus: Corpus, destination: str, ear99: str, citation: str
) -> None:
    view = license_view(corpus, "EAR99", destination)
    assert view["verdict"] == ear99 and any(citation in a["citation"] for a in view["answers"])
    assert verdict(corpus, "5A992.c", destination) == "required"


def test_the_stale_syria_text_is_flagged(corpus: Corpus) -> None:
    view = license_view(corpus, "5A992.c", "Syria")
    assert any("2014 version" in a["why"] for a in view["answers"])


# -- 4. .y paragraphs ----------------------------------------------------------------------------------
def test_9a515_y_to_china_needs_a_license_under_rs(corpus: Corpus) -> None:
    view = license_view(corpus, "9A515.y", "China")
    assert view["verdict"] == "required" and any(
        r["reason"] == "RS" and r["verdict"] == "required" for r in view["rows"]
    )


def test_no_600_series_or_9x515_y_paragraph_is_no_license_to_china_russia_or_venezuela(corpus: Corpus) -> None:
    ys = [p for p in corpus.paragraphs if p.split(".")[1:2] == ["y"] and p.count(".") == 1 and p[2] in "65"]
    assert len(ys) >= 30
    for destination in ("China", "Russia", "Venezuela"):
        for paragraph in ys:
            if paragraph.startswith("0A5"):
                continue  # firearms .y: not in § 742.6(a)(7)
            assert verdict(corpus, paragraph, destination) != "not required", (paragraph, destination)


@pytest.mark.parametrize("item", ["9A610.y", "9A004.y", "9A610.y.1"])
def test_except_lists_take_y_paragraphs_out_of_ns_rows(corpus: Corpus, item: str) -> None:
    """ "NS applies to entire entry except: 9A610.b; ...; and 9A610.y"; "NS applies to 9A004 .g, .r, .u, and .w"."""
    assert verdict(corpus, item, "Germany") == "not required"


# -- 5. EI rows ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("item", ["5A002", "5A002.a.1", "5A004.a", "5D002.c.1"])
@pytest.mark.parametrize("destination", ["Australia", "United Kingdom"])
def test_encryption_items_need_a_license_everywhere_but_canada(corpus: Corpus, item: str, destination: str) -> None:
    """§ 742.15(a)(1): "to all destinations, except Canada"; License Exception ENC may overcome it."""
    view = license_view(corpus, item, destination)
    assert view["verdict"] == "required"
    assert any(r["reason"] == "EI" and r["verdict"] == "required" for r in view["rows"])
    assert "ENC" in {e["symbol"] for e in view["license_exceptions"]}
    ei = [r for r in license_view(corpus, item, "Canada")["rows"] if r["reason"] == "EI"]
    assert ei and ei[0]["verdict"] == "not required"


# -- 6. footnotes and License Requirement Notes ------------------------------------------------------
@pytest.mark.parametrize("item", ["0A501.a", "0A506.a"])
@pytest.mark.parametrize("destination", ["Australia", "United Kingdom"])
def test_firearms_to_australia_and_the_uk_need_a_license_under_footnote_10(
    corpus: Corpus, item: str, destination: str
) -> None:
    view = license_view(corpus, item, destination)
    assert view["verdict"] == "required"
    assert any(a["source"] == "Country Chart footnote 10" and a["verdict"] == "required" for a in view["answers"])


def test_footnote_10_excepts_0a501_y(corpus: Corpus) -> None:
    assert verdict(corpus, "0A501.y.1", "Australia") == "not required"


def test_0a501_y_7_firearms_to_china_need_a_license_under_the_license_requirement_note(corpus: Corpus) -> None:
    view = license_view(corpus, "0A501.y.7", "China")
    assert view["verdict"] == "required"
    assert any(a["source"] == "License Requirement Note" for a in view["answers"])
    assert verdict(corpus, "0A501.y.7", "Germany") == "not required"


def test_9a515_a_1_is_worldwide_except_australia_canada_and_the_uk(corpus: Corpus) -> None:
    assert verdict(corpus, "9A515.a.1", "Japan") == "required"


# -- 7. license exceptions ------------------------------------------------------------------------------
def test_lvs_is_not_offered_where_the_entry_says_na(corpus: Corpus) -> None:
    """4A003: "LVS: $5000; N/A for 4A003.b, c, and z."."""
    view = license_view(corpus, "4A003.b", "China")
    assert "LVS" not in {e["symbol"] for e in view["license_exceptions"]}
    assert any(e["symbol"] == "LVS" and "N/A" in e["why"] for e in view["license_exceptions_ruled_out"])


def test_no_license_exception_is_offered_for_iran(corpus: Corpus) -> None:
    """§ 746.7(c): "No license exceptions may be used for exports or reexports to Iran."."""
    view = license_view(corpus, "5A002.a.1", "Iran")
    assert view["license_exceptions"] == [] and view["license_exceptions_ruled_out"]


def test_russia_keeps_only_the_exceptions_746_8_lists(corpus: Corpus) -> None:
    view = license_view(corpus, "5A002.a.1", "Russia")
    assert {e["symbol"] for e in view["license_exceptions"]} <= {"TMP", "GOV", "TSU", "BAG", "AVS", "ENC", "CCD", "MED"}


# -- 8. part 744 end uses and the Entity List ---------------------------------------------------------
def test_a_stated_military_end_use_in_china_needs_a_license_for_supplement_2_items(corpus: Corpus) -> None:
    """§ 744.21(a)(1): items in Supplement No. 2 to part 744 (5A992 is listed) for a military end use in China."""
    assert verdict(corpus, "5A992.c", "China", "military") == "required"
    assert verdict(corpus, "5A992.c", "China") == "not required"
    assert verdict(corpus, "5A992.c", "Germany", "military") == "not required"
    checks = license_view(corpus, "5A992.c", "China")["end_use_checks"]
    assert any("744.21(a)(1)" in c["citation"] for c in checks)


def test_a_nuclear_end_use_needs_a_license_outside_supplement_3_to_part_744(corpus: Corpus) -> None:
    assert verdict(corpus, "EAR99", "Pakistan", "nuclear") == "required"
    assert verdict(corpus, "EAR99", "Germany", "nuclear") == "not required"  # listed in Supplement No. 3


def test_unknown_end_uses_are_refused(corpus: Corpus) -> None:
    with pytest.raises(UnknownEndUse, match="accepted"):
        license_view(corpus, "EAR99", "China", "bakery")


@pytest.mark.parametrize(
    ("requirement", "item", "expected"),
    [
        ("For all items subject to the EAR. (See §744.11 of the EAR)", "EAR99", "required"),
        ("For any item subject to the EAR listed in supplement no. 2 to part 744.", "5A992.c", "required"),
        ("For any item subject to the EAR listed in supplement no. 2 to part 744.", "EAR99", "not required"),
        (
            "For all items subject to the EAR when used in projects specified in § 746.8(a)(4) of the EAR",
            "EAR99",
            "review",
        ),
        ("For items on the CCL and EAR99 items listed in supplement no. 7 to part 746 of the EAR", "EAR99", "review"),
        ("Something new the tool has never seen", "5A002.a.1", "review"),
    ],
)
def test_entity_list_requirements_are_read_or_reviewed(
    corpus: Corpus, requirement: str, item: str, expected: str
) -> None:
    result = entity_list_requirement(corpus, requirement, item)
    assert result["verdict"] == expected and "744.11" in result["citation"]


# -- 9. unknown is never "no" (properties) -----------------------------------------------------------
DESTINATIONS = ["China", "Germany", "Australia", "India", "Pakistan", "Canada", "Brazil", "Russia", "Iraq", "Japan"]


@settings(max_examples=300, deadline=None)
@given(index=st.integers(min_value=0, max_value=10**6), destination=st.sampled_from(DESTINATIONS))
def test_no_path_turns_an_unread_row_into_no_license(corpus: Corpus, index: int, destination: str) -> None:
    ids = sorted(corpus.all_ids())
    item = ids[index % len(ids)]
    view = license_view(corpus, item, destination)
    verdicts = [a["verdict"] for a in view["answers"]]
    if view["verdict"] == "not required":
        assert set(verdicts) <= {"not required"}
        assert all(r["verdict"] == "not required" for r in view["rows"])
    for row in view["rows"]:
        if row["read_as"] == "review":  # a row the build could not read
            assert row["verdict"] == "review"
        if row["verdict"] == "not required":
            assert "no X" in row["how"] or "does not cover" in row["how"]
    assert view["license_required"] is {"required": True, "not required": False, "review": None}[view["verdict"]]


@settings(max_examples=200, deadline=None)
@given(destination=st.sampled_from(DESTINATIONS))
def test_rows_marked_for_review_at_build_never_answer_no(corpus: Corpus, destination: str) -> None:
    for eccn, entry in corpus.entries.items():
        if any(r["reading"]["kind"] == "review" for r in entry["controls"]):
            assert verdict(corpus, eccn, destination) != "not required", (eccn, destination)


def test_the_build_counts_every_row_as_read_or_marked_for_review(corpus: Corpus) -> None:
    checked = corpus.manifest["counts"]["control_rows_checked"]
    assert checked["entries_reasons_rows_disagree"] == 0
    assert checked["rows"] == checked["read_chart"] + checked["read_destinations"] + checked["review"]
    assert checked["rows"] == sum(len(e["controls"]) for e in corpus.ccl["entries"])


# -- 10. CLI --------------------------------------------------------------------------------------------
def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "classifier", "license", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_cli_shows_the_three_values() -> None:
    review = run("9A104", "--destination", "China", "--json")
    data = json.loads(review.stdout)
    assert review.returncode == 0 and data["verdict"] == "review" and data["license_required"] is None
    text = run("EAR99", "--destination", "Crimea").stdout
    assert "REVIEW" in text and "Crimea region of Ukraine" in text
    assert "no license required" in run("5A992.c", "--destination", "Germany").stdout
    assert "LICENSE REQUIRED" in run("5A992.c", "--destination", "Russia").stdout


def test_cli_end_use_and_its_errors() -> None:
    ok = run("5A992.c", "--destination", "China", "--end-use", "military", "--json")
    assert ok.returncode == 0 and json.loads(ok.stdout)["verdict"] == "required"
    bad = run("5A992.c", "--destination", "China", "--end-use", "bakery")
    assert bad.returncode == 2 and "unknown end use" in bad.stderr and "Traceback" not in bad.stderr


def test_unknown_destination_suggests_a_region(corpus: Corpus) -> None:
    with pytest.raises(UnknownCountry):
        license_view(corpus, "EAR99", "Atlantis")


# -- 11. every view of a classification shows the three values --------------------------------------
def test_memo_page_and_record_show_the_itar_review_for_a_complete_rocket(classifier: Classifier) -> None:
    from classifier.html_view import license_html
    from classifier.record import audit_record, memo_markdown
    from classifier.report import render_classification

    result = classifier.classify("Complete sounding rocket able to carry 600 kg to 400 km", destination="China")
    assert result.license is not None and result.license["license_required"] is None
    assert "ITAR (State Department jurisdiction): REVIEW" in memo_markdown(result)
    assert "REVIEW" in license_html(result.license) and "subject to the ITAR" in license_html(result.license)
    assert audit_record(result)["license"]["verdict"] == "review"
    assert "no license required" not in render_classification(result)


@pytest.mark.parametrize(
    ("text", "destination"),
    [
        ("Traveling wave tube amplifier for a military fire-control radar", "Pakistan"),
        ("Re-entry vehicle heat shield made of ablative carbon phenolic", "Pakistan"),
    ],
)
def test_findings_that_decide_move_the_headline(classifier: Classifier, text: str, destination: str) -> None:
    result = classifier.classify(text, destination=destination)
    assert result.top.eccn != "EAR99"
    assert any(r.startswith("placed first by a rule") for r in result.top.reasons)
    assert result.license is not None and result.license["verdict"] != "not required"
