"""Category 5 Part 2 and License Exception ENC, case by case."""

from __future__ import annotations

import pytest

from classifier.corpus import Corpus
from classifier.rules import encryption
from tests.rule_helpers import context


def run(corpus: Corpus, text: str, suggestions: list[str], **kw: object):  # type: ignore[no-untyped-def]
    ctx = context(corpus, text, suggestions, **kw)
    (finding,) = encryption.evaluate(ctx)
    return ctx, finding


def test_a_retail_wifi_router_is_mass_market_under_enc_b1(corpus: Corpus) -> None:
    ctx, f = run(corpus, "Wi-Fi 6 router with WPA3 AES-128, sold at retail stores", ["5A991.c", "5A992.c"])
    assert f.triggered and f.outcome.startswith("5A992.c") and "740.17(b)(1)" in f.citation
    assert ctx.top is not None and ctx.top.eccn == "5A992.c"
    assert "Cryptography Note" in f.citation


def test_a_mass_market_chip_is_5a992c_self_classified_under_b1_with_a_report_due_1_february(corpus: Corpus) -> None:
    """§ 740.17(b)(1) covers mass-market items; (e)(3) requires the report for mass-market components."""
    _, f = run(
        corpus, "Microcontroller chip with AES-256 hardware crypto engine, sold through distributors", ["3A991.a.2"]
    )
    assert f.outcome.startswith("5A992.c") and "740.17(b)(1)" in f.citation and "740.17(b)(3)" not in f.citation
    assert "February 1" in f.outcome and "740.17(e)(3)" in f.outcome


def test_a_mass_market_end_item_needs_no_self_classification_report(corpus: Corpus) -> None:
    _, f = run(corpus, "Wi-Fi 6 router with WPA3 AES-128, sold at retail stores", ["5A992.c"])
    assert "No classification request or self-classification report" in f.outcome
    assert "components and executable software" in f.outcome


@pytest.mark.parametrize(
    ("text", "paragraph"),
    [
        ("Cryptographic library SDK with AES-256 and RSA-3072 for developers, licensed to OEMs", "740.17(b)(3)(i)(B)"),
        ("Custom-designed ASIC chip with AES-256 engine for OEM integration", "740.17(b)(2)"),
        ("Encryption ASIC chip with AES-256 engine supplied to OEMs", "740.17(b)(3)(i)(A)"),
        ("VPN concentrator with IPsec AES-256, 10 Gbps encrypted throughput, for enterprises", "740.17(b)(2)(i)(A)(1)"),
        ("VPN appliance with IPsec AES-256, 100 Mbps encrypted throughput, for enterprises", "740.17(b)(1)"),
    ],
)
def test_enc_paragraph_for_items_that_are_not_mass_market(corpus: Corpus, text: str, paragraph: str) -> None:
    _, f = run(corpus, text, ["5A002.a.1"], mass_market=False)
    assert f.citation.endswith(paragraph), f.citation


@pytest.mark.parametrize(
    "text",
    [
        "Link encryptor using ARIA-256 with RSA-512 key exchange",  # any symmetric algorithm over 56 bits
        "Radio using a Kyber-768 key exchange beside DES-56",  # Technical Note 2.c: lattice algorithms count
    ],
)
def test_described_security_algorithms_are_not_limited_to_a_list_of_names(corpus: Corpus, text: str) -> None:
    _, f = run(corpus, text, ["5A991.b"], mass_market=False)
    assert f.outcome.startswith("5A002"), f.outcome


def test_a_walkie_talkie_without_encryption_is_not_part_2(corpus: Corpus) -> None:
    """Category 5 Part 1 Note 3: Part 2 does not apply where EI functionality is absent."""
    ctx, f = run(corpus, "Handheld walkie-talkie, no encryption", ["5A992.c", "5A991.b"])
    assert f.outcome.startswith("not Category 5 Part 2") and "Part 1, Note 3" in f.citation
    assert ctx.top is not None and ctx.top.eccn == "5A991.b"


def test_a_smart_meter_is_excluded_from_5a002a_by_note_2j(corpus: Corpus) -> None:
    ctx, f = run(corpus, "Smart meter with AES-128 encrypted metering data link", ["5A002.a.2", "EAR99"], mass_market=False)
    assert "Note 2.j" in f.outcome and "5A002.a Note 2.j" in f.citation
    assert ctx.top is not None and ctx.top.eccn == "EAR99"


def test_a_custom_network_encryptor_for_government_networks_stays_5a002(corpus: Corpus) -> None:
    ctx, f = run(corpus, "Custom network encryptor with AES-256 for government networks", ["5A992.c"])
    assert f.outcome.startswith("5A002.a.1") and "740.17(b)(2)" in f.citation
    assert ctx.top is not None and ctx.top.eccn == "5A002.a.1"
    assert any("placed first by a rule" in r for r in ctx.top.reasons)


def test_quantum_key_distribution_is_5a002c(corpus: Corpus) -> None:
    _, f = run(corpus, "Quantum key distribution system for fiber links", ["5A002.a.1"])
    assert f.outcome.startswith("5A002.c")


def test_consumer_app_is_mass_market_software(corpus: Corpus) -> None:
    _, f = run(corpus, "Messaging app with end-to-end encryption, free download from app stores", ["5A992.c"])
    assert f.outcome.startswith("5D992.c")


def test_only_56_bit_keys_is_no_described_security_algorithm(corpus: Corpus) -> None:
    ctx, f = run(corpus, "Legacy serial line encryptor using DES-56 only", ["5A002.a.1", "5A991.b"])
    assert f.outcome.startswith("not 5A002/5A992") and "Technical Note 2" in f.citation
    assert ctx.top is not None and ctx.top.eccn == "5A991.b"


def test_authentication_only_is_not_data_confidentiality(corpus: Corpus) -> None:
    ctx, f = run(corpus, "Door access reader using cryptography for authentication only", ["5A002.a.1", "EAR99"])
    assert f.outcome.startswith("not Category 5 Part 2") and "Technical Note 1" in f.citation
    assert ctx.top is not None and ctx.top.eccn == "EAR99"


def test_forensic_extraction_is_5a004b_and_cryptanalysis_5a004a(corpus: Corpus) -> None:
    _, forensic = run(corpus, "Phone forensic kit that bypasses the lock screen and extracts raw data", ["3A991.a.2"])
    assert forensic.outcome.startswith("5A004.b") and "740.17(b)(3)(iii)(B)" in forensic.citation
    _, cracking = run(corpus, "GPU password cracking appliance to defeat encryption of archives", ["4A994.b"])
    assert cracking.outcome.startswith("5A004.a") and "740.17(b)(2)(ii)" in cracking.citation


def test_mass_market_with_a_64_bit_key_needs_no_report(corpus: Corpus) -> None:
    _, f = run(corpus, "Toy walkie-talkie with 64-bit AES-64 scrambling sold at retail", ["5A992.c"])
    assert "No classification request or self-classification report" in f.outcome


def test_no_cryptography_does_not_trigger(corpus: Corpus) -> None:
    _, f = run(corpus, "Unmanaged Ethernet switch, 8 ports", ["5A991"])
    assert not f.triggered and "no cryptography" in f.outcome


def test_enc_is_not_available_to_e1_destinations(corpus: Corpus) -> None:
    _, f = run(corpus, "Wi-Fi router with WPA3, sold at retail", ["5A992.c"], destination="Iran")
    assert "not available to Iran" in f.outcome


@pytest.mark.parametrize(("mass_market", "expected"), [(False, "5A002"), (True, "5A992.c")])
def test_an_explicit_answer_overrides_the_cues(corpus: Corpus, mass_market: bool, expected: str) -> None:
    _, f = run(corpus, "Wi-Fi router with WPA3, sold at retail", ["5A992.c"], mass_market=mass_market)
    assert f.outcome.startswith(expected)


def test_a_rule_placed_answer_keeps_the_confidence_of_the_answer_it_replaced(corpus: Corpus) -> None:
    ctx = context(corpus, "Dual-band Wi-Fi router with WPA3, sold at retail", ["5A991.c.10", "5A992.c"])
    ctx.suggestions[0].confidence, ctx.suggestions[1].confidence = 0.82, 0.03
    encryption.evaluate(ctx)
    assert ctx.suggestions[0].eccn.startswith("5A992") and ctx.suggestions[0].reasons[0].startswith("placed first")
    assert ctx.suggestions[0].confidence == 0.82  # not the 3 % the ranker gave it on its own


def test_a_presumed_mass_market_question_names_the_software_entries_for_software(corpus: Corpus) -> None:
    ctx, f = run(corpus, "Backup software for Windows with TLS transfers and AES-256 encrypted archives", ["5D992.c"])
    assert f.outcome.startswith("5D992.c")
    (question,) = [q for q in ctx.questions if q.parameter == "mass_market"]
    assert question.paragraphs == ["5D992.c", "5D002.c.1"]


def test_an_item_classified_elsewhere_whose_crypto_is_stated_not_mass_market_is_5a002_a_4(corpus: Corpus) -> None:
    """5A002.a.4: non-primary cryptography performed by a part that would be 5A002 on its own stays controlled."""
    text = "Thermal imaging camera, 640 x 512, 30 Hz, with an AES-256 encrypted video link"
    _, presumed = run(corpus, text, ["6A003.b.4.b"])
    assert "primary function" in presumed.outcome
    ctx, stated = run(corpus, text, ["6A003.b.4.b"], mass_market=False)
    assert stated.outcome.startswith("5A002.a.4")
    assert ctx.top is not None and ctx.top.eccn == "5A002.a.4"
