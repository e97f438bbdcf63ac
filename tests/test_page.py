"""What the page shows, tested without a browser: the fields read as typed, the answer card and its one
verdict, the views under it, the batch review, the CCL browser and the memo (Markdown and PDF)."""

from __future__ import annotations

import html
import json
from datetime import date
from pathlib import Path

import pytest

from classifier.engine import Classifier
from classifier.html_view import findings_html, license_html, suggestions_html
from classifier.inputs import InputError
from classifier.memo_pdf import pdf_text
from classifier.page import batch, ccl
from classifier.page.card import answer_card, card_html
from classifier.page.form import page_facts
from classifier.record import memo_markdown, record_stem, write_record
from classifier.result import percent

UAV = "Unmanned aerial vehicle carrying a 600 kg payload to a range of 400 km"


# -- the form: an empty field is not given --------------------------------------------------------------
def test_empty_fields_are_not_given_and_typed_numbers_are() -> None:
    facts, notes = page_facts({"total_value": "", "us_content_value": None, "payload_kg": " ", "range_km": "450"})
    assert facts == {"range_km": 450.0} and notes == []


def test_de_minimis_with_one_value_is_not_run_and_the_page_says_why() -> None:
    facts, notes = page_facts({"total_value": "1000", "destination": "Germany"})
    assert facts == {"total_value": 1000.0, "destination": "Germany"}
    assert notes == ["De minimis was not checked: it needs both values; U.S.-origin controlled content value is empty."]


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"us_content_eccns": "ZZZ999, 5A002"}, ["ECCNs of U.S. content", "'ZZZ999' is not an ECCN", "5A002"]),
        ({"total_value": "ten dollars"}, ["Value of the foreign-made item", "type a number"]),
        ({"payload_kg": "-5"}, ["Payload (kg)", "must not be negative"]),
        ({"mass_market": "maybe"}, ["Sold openly to the public", "yes, no or not stated"]),
    ],
)
def test_every_input_error_is_a_sentence_naming_the_field(fields: dict[str, str], words: list[str]) -> None:
    with pytest.raises(InputError) as err:
        page_facts(fields)
    assert all(w in str(err.value) for w in words), str(err.value)


def test_a_typed_payload_overrides_the_description_only_when_typed(classifier: Classifier) -> None:
    untyped, _ = page_facts({"payload_kg": "", "range_km": ""})
    assert "mtcr_category_1" in {f.rule for f in classifier.classify(UAV, **untyped).findings if f.triggered}
    typed, _ = page_facts({"payload_kg": "100", "range_km": ""})
    assert "mtcr_category_1" not in {f.rule for f in classifier.classify(UAV, **typed).findings if f.triggered}


# -- the card: one verdict ---------------------------------------------------------------------------------
def test_mtcr_category_1_puts_probably_itar_in_the_headline_and_no_license_exception(classifier: Classifier) -> None:
    result = classifier.classify(UAV, destination="China")
    card = answer_card(result)
    assert card.title == "Probably subject to the ITAR" and "MTCR Category I" in card.decided_by
    assert "Probably ITAR" in card.license_text and "LVS" not in card_html(card)
    assert any("State Department" in step for step in card.next_steps)


def test_a_screening_match_turns_no_license_required_into_review(classifier: Classifier) -> None:
    result = classifier.classify("Dual-band Wi-Fi 6 home router with WPA3", destination="China", end_user="Autel Robotics")
    assert result.license is not None and result.license["verdict"] == "not required"
    card = answer_card(result)
    assert card.license_verdict == "review" and "screening list" in card.license_text
    assert any(step.startswith("Screening match") for step in card.next_steps)


def test_no_destination_and_no_parties_are_said_not_hidden(classifier: Classifier) -> None:
    card = answer_card(classifier.classify("Ceramic coffee mug"))
    assert card.license_verdict == "" and "No destination given" in card.license_text
    assert any("Screen the end user" in step for step in card.next_steps)
    assert any("part 762" in step for step in card.next_steps)


def test_an_answer_waiting_on_a_question_says_so_in_words(classifier: Classifier) -> None:
    result = classifier.classify("Uncooled thermal imaging camera, 640x480 microbolometer")
    assert result.needs_answer
    assert "needs your answer" in answer_card(result).confidence_text
    assert "Needs your answer" in card_html(answer_card(result))


def test_confidence_is_never_shown_as_certain() -> None:
    assert percent(0.996) == "99%" and percent(0.004) == "<1%" and percent(0.5) == "50%"


# -- the views under the card ---------------------------------------------------------------------------
def test_suggestions_under_1_percent_are_folded_and_ties_do_not_compete(classifier: Classifier) -> None:
    result = classifier.classify("Dual-band Wi-Fi 6 home router with WPA3, sold in electronics stores")
    shown = suggestions_html(result)
    assert 'class="folded"' in shown and "more under 1 %" in shown
    result.suggestions[1].confidence = result.top.confidence  # an alternative held at the answer's level
    result.suggestions[1].applies_only_if = ""
    assert "no more likely than the answer above" in suggestions_html(result)


def test_findings_name_rules_in_words_and_quote_them_whole(classifier: Classifier) -> None:
    result = classifier.classify(UAV, destination="China")
    shown = findings_html(result)
    assert "MTCR Category I" in shown and "mtcr_category_1" not in shown
    view = license_html(result.license)
    assert all(html.escape(r["why"]) in view for r in result.license["review"])  # not cut mid-sentence


# -- the batch review --------------------------------------------------------------------------------------
def test_batch_review_fills_file_wide_facts_counts_filters_and_writes_a_well_formed_xlsx(
    classifier: Classifier, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    upload = tmp_path / "catalogue.csv"
    upload.write_text(
        "id,description,destination\n"
        "vpn,VPN gateway appliance with IPsec AES-256,\n"
        "mug,Ceramic coffee mug,Germany\n"
        "cable,USB cable, 2 m, braided,\n",
        encoding="utf-8",
    )
    review = batch.run(classifier, upload, batch.file_facts({"destination": "China"}), tmp_path)
    assert [r["destination"] for r in review.rows[:2]] == ["China", "Germany"]  # a row's own value wins
    assert review.counts["errors"] == 1 and review.counts["license required"] == 1
    assert "double quotes" in review.rows[2]["error"]
    assert [row[1] for row in batch.table(review.rows, "license required")] == ["vpn"]
    assert [row[1] for row in batch.table(review.rows, "errors")] == ["cable"]
    assert "1 errors" in review.summary()
    sheet = load_workbook(review.output).active
    header = [c.value for c in sheet[1]]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    vpn = {h: c for h, c in zip(header, sheet[2], strict=True)}
    assert vpn["license_required"].value is True and vpn["needs_answer"].data_type == "b"
    assert vpn["confidence"].number_format == "0%" and 0 < vpn["confidence"].value <= 0.99


def test_a_clean_batch_says_nothing_about_errors() -> None:
    review = batch.Review([{"eccn": "EAR99", "error": ""}], Path("x.xlsx"), batch.counts([{"eccn": "EAR99", "error": ""}]))
    assert "error" not in review.summary().split(".", 1)[1]


def test_a_cancelled_batch_stops(classifier: Classifier, tmp_path: Path) -> None:
    import threading

    upload = tmp_path / "many.csv"
    upload.write_text("description\n" + "Ceramic coffee mug\n" * 40, encoding="utf-8")
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(batch.Cancelled):
        batch.run(classifier, upload, {}, tmp_path, cancel=cancel)


def test_the_template_has_every_column_the_batch_reads(tmp_path: Path) -> None:
    header = batch.template(tmp_path).read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[:2] == ["id", "description"] and "destination" in header and "us_content_value" in header


# -- the CCL browser ----------------------------------------------------------------------------------------
def test_thermal_camera_finds_6a003_b_4_and_6a993_a_with_their_context(classifier: Classifier) -> None:
    hits = ccl.search(classifier, "thermal camera")
    ids = [h.id for h in hits]
    assert "6A993.a" in ids and any(i.startswith("6A003.b.4") for i in ids)
    deep = next(h for h in hits if h.id.startswith("6A003.b.4."))
    assert any(c.startswith("6A003.b.4:") for c in deep.context)


def test_an_entry_shows_its_whole_tree_linked_and_its_chart_row(classifier: Classifier) -> None:
    shown = ccl.entry_html(classifier.corpus, "6A003.b.4", "China")
    assert 'data-ccl="6A002.a.3.f"' in shown  # a cross-reference in the text is a link
    assert "6A003.b.4.b" in shown and "6A003.a.3" in shown  # the whole entry, not only top-level paragraphs
    assert "NS 2: X" in shown and "LICENSE REQUIRED" in shown
    assert 'class="para current"' in shown


def test_an_unknown_id_is_searched_and_a_bad_destination_named(classifier: Classifier) -> None:
    assert "paragraphs fit" in ccl.browse(classifier, "cryptographic capabilities")
    assert "Destination" in ccl.browse(classifier, "5A002", "Atlantis")


# -- the memo --------------------------------------------------------------------------------------------------
def test_the_memo_pdf_states_every_finding_with_its_citation(classifier: Classifier, tmp_path: Path) -> None:
    from pypdf import PdfReader

    result = classifier.classify(UAV, destination="China", end_user="Autel Robotics", answers={"military": "no"})
    stem = record_stem("UAV 7/2", date(2026, 6, 24))
    assert stem == "UAV_7_2-2026-06-24"
    path = write_record(result, tmp_path, stem, {"destination": "China"}, product_id="UAV 7/2").with_suffix(".pdf")
    assert path.name == "UAV_7_2-2026-06-24.pdf"
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)
    flat = " ".join(text.split())

    def said(words: str) -> bool:
        return " ".join(pdf_text(words).split()) in flat

    assert said("UAV 7/2") and said(UAV) and said("military = no")
    for f in result.findings:
        assert said(f.outcome), f.outcome
        assert said(f.citation), f.citation
    for label in ("Final ECCN or EAR99", "Name", "Signature", "Order of review"):
        assert said(label)


def test_the_markdown_memo_has_the_date_product_id_and_sign_off(classifier: Classifier) -> None:
    memo = memo_markdown(classifier.classify("Ceramic coffee mug"), {}, "MUG-1", date(2026, 6, 24))
    assert "**Date:** 2026-06-24" in memo and "**Product id:** MUG-1" in memo
    assert "## Final decision" in memo and "**Signature:**" in memo


def test_the_audit_record_is_json_beside_the_memo(classifier: Classifier, tmp_path: Path) -> None:
    path = write_record(classifier.classify("Ceramic coffee mug"), tmp_path, "mug-2026-06-24")
    assert json.loads(path.read_text(encoding="utf-8"))["record_version"] == 1
    assert path.with_suffix(".md").exists() and path.with_suffix(".pdf").read_bytes().startswith(b"%PDF")
