"""What everyday product features imply under the EAR (corpus/rules/implications.json), read by the facts layer."""

from __future__ import annotations

from classifier.facts import read_facts


def test_wifi_and_lte_imply_standard_cryptography_presumed_mass_market() -> None:
    for text in ("Wi-Fi 6 module with WPA3, M.2 2230", "Cellular LTE Cat-M1 modem module for asset trackers"):
        facts = read_facts(text)
        assert facts.uses_crypto
        assert any(i.mass_market_presumed for i in facts.implies("standard_crypto"))


def test_bluetooth_alone_is_limited_to_a_personal_area_network_by_note_2_f() -> None:
    facts = read_facts("BLE beacon tag with 5-year battery")
    assert facts.implied == ("wpan",)
    assert any("Note 2.f" in term for term in facts.crypto_limited_terms)


def test_bluetooth_beside_wifi_still_needs_the_part_2_analysis() -> None:
    facts = read_facts("Wi-Fi 802.11ac and Bluetooth 5.0 combo module")
    assert not facts.crypto_limited_terms
    assert facts.implies("standard_crypto")


def test_a_wifi_antenna_carries_no_cryptography_of_its_own() -> None:
    assert not read_facts("Dual-band 2.4/5 GHz Wi-Fi antenna, U.FL cable").uses_crypto
    assert not read_facts("5 GHz 802.11ax WLAN front-end module, PA + LNA").uses_crypto


def test_ordinary_words_do_not_imply_radios() -> None:
    for text in ("Hex bolt M6 thread, stainless", "Sample bag, weighs 4g", "Ceramic coffee mug, 350 ml"):
        assert not read_facts(text).implied


def test_a_part_named_for_a_civil_airliner_implies_9a991_d() -> None:
    facts = read_facts("Replacement cabin window seal for a Boeing 737 commercial airliner")
    assert [i.id for i in facts.implies("civil_aircraft_part")] == ["civil_aircraft_part"]


def test_answers_named_like_facts_are_those_facts() -> None:
    facts = read_facts("Wi-Fi router").with_overrides(answers={"mass_market": "no", "frame rate": "30 Hz"})
    assert facts.extra["mass_market"] is False
    assert facts.answers == {"mass_market": "no", "frame rate": "30 Hz"}


def test_error_correcting_memory_is_not_elliptic_curve_cryptography() -> None:
    for text in ("16 GB DDR5-4800 UDIMM with on-die ECC, 1.1 V", "512 Mbit SDRAM, ECC protection, TSOP-54"):
        assert not read_facts(text).uses_crypto
    assert "ecc" in read_facts("Secure element with ECC P-256 key storage").crypto_terms


def test_a_feature_said_to_be_absent_implies_nothing() -> None:
    assert not read_facts("Mini-ITX board, Intel H610, 1G LAN, no Wi-Fi, no Bluetooth").implied
    assert not read_facts("Desktop tower without wireless module, 2.5G LAN").implied
    assert read_facts("Desktop tower with Wi-Fi 6, 2.5G LAN").implied == ("wlan",)


def test_a_2_5g_ethernet_port_is_not_a_cellular_radio() -> None:
    assert "cellular" not in read_facts("PCIe network card, 2.5G Ethernet, RJ45").implied
    assert "cellular" in read_facts("Industrial router with 5G NR and dual SIM").implied


def test_a_hardware_firewall_is_not_software_because_it_runs_an_os() -> None:
    assert not read_facts("Rack-mount next-generation firewall appliance, 1U, 8 ports, App-ID, PAN-OS").is_software
    assert read_facts("Endpoint firewall software subscription for Windows").is_software


def test_authentication_chips_are_cryptography_limited_to_authentication() -> None:
    assert read_facts("Secure authenticator IC with ECDSA P-256 and SHA-256, 1-Wire").crypto_limited_terms
    assert read_facts("USB security key, FIDO2 and U2F only").crypto_limited_terms
