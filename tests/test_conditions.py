"""Deciding conditions read from the CCL text, checked against descriptions: met, not met, not stated."""

from __future__ import annotations

import pytest

from classifier.conditions import Status
from classifier.corpus import Corpus
from classifier.facts import read_facts
from training.conditions import counts, normalise, thresholds


@pytest.fixture(scope="module")
def book():
    return Corpus().conditions


def path(book, text: str, pid: str, answers: dict | None = None):
    return book.evidence(text, read_facts(text).quantities, answers).path(pid)


CAMERA = "Uncooled thermal imaging camera, 640 x 512 microbolometer, 12 µm pitch"


def test_a_thermal_camera_at_30_hz_is_not_excluded_by_note_3_to_6a003_b_4_b(book):
    verdict = path(book, CAMERA + ", 30 Hz", "6A003.b.4.b")
    assert verdict.status is Status.MET
    assert not verdict.excluded


def test_a_thermal_camera_at_8_6_hz_is_excluded_by_note_3_a(book):
    verdict = path(book, CAMERA + ", 8.6 Hz", "6A003.b.4.b")
    assert verdict.status is Status.NOT_MET
    assert verdict.excluded
    assert any("9 Hz" in c.condition for c in verdict.failed)


def test_a_thermal_camera_without_frame_rate_leaves_the_note_3_frame_rate_open(book):
    verdict = path(book, CAMERA, "6A003.b.4.b")
    assert [c.parameter for c in verdict.open_exclusions] == ["frame rate"]


def test_an_answered_frame_rate_decides_like_a_stated_one(book):
    assert path(book, CAMERA, "6A003.b.4.b", {"frame rate": "8 Hz"}).status is Status.NOT_MET
    assert not path(book, CAMERA, "6A003.b.4.b", {"frame rate": "60 Hz"}).open_exclusions


def test_a_standard_deep_groove_bearing_does_not_meet_the_tolerance_class_of_2a001_a(book):
    text = "Ball bearing, deep groove, 6204-2RS, 20 mm bore"
    assert path(book, text, "2A001.a").status is Status.NOT_MET
    assert path(book, text, "2A101").status is Status.NOT_MET  # the heading's ISO 492 Class 2 decides 2A101


def test_a_kinematic_mount_is_not_a_deformable_mirror(book):
    text = "Adjustable kinematic mount for 2-inch mirrors with three fine-pitch adjusters, anodized aluminium"
    verdict = path(book, text, "6A004.a.1")
    assert verdict.status is Status.NOT_MET
    assert any(c.parameter == "deformable" for c in verdict.failed)


def test_an_mcu_clock_decides_3a991_a_2_at_25_mhz(book):
    assert path(book, "STM32F405 ARM Cortex-M4 MCU 168 MHz 1 MB flash", "3A991.a.2").status is Status.MET
    assert path(book, "ATmega328P 8-bit AVR microcontroller 20 MHz", "3A991.a.2").status is Status.NOT_MET


def test_a_silicon_mcu_is_not_shown_to_be_a_compound_semiconductor(book):
    verdict = path(book, "STM32F405 ARM Cortex-M4 MCU 168 MHz", "3A001.a.3")
    assert verdict.status is Status.UNKNOWN
    assert "compound_semiconductor" in [c.parameter for c in verdict.unknown]


def test_adc_resolution_and_sample_rate_decide_3a001_a_5_a(book):
    assert path(book, "14-bit 3 GSPS RF-sampling ADC", "3A001.a.5.a").status is Status.MET
    assert path(book, "16-bit 1 MSPS SAR ADC, SPI interface", "3A001.a.5.a").status is Status.NOT_MET


def test_an_industrial_temperature_range_is_neither_above_398_k_nor_below_218_k(book):
    text = "Microcontroller rated for -40 to +85 °C operation"
    for pid in ("3A001.a.2.a", "3A001.a.2.b"):
        assert path(book, text, pid).status is Status.NOT_MET


def test_a_range_is_never_compared_with_an_altitude(book):
    range_words = frozenset({"range"})
    altitude = frozenset({"altitude"})
    assert not book.same_quantity(range_words, altitude)
    assert book.same_quantity(frozenset(), altitude)  # an unnamed number is compared, marked as assumed


def test_catch_alls_come_from_their_headings(book):
    assert "3A001" in book.catch_alls["3A991"]
    assert "6A003" in book.catch_alls["6A993"]
    assert book.caught_by["5A002"] == "5A992"


def test_thresholds_read_comparisons_the_way_the_ccl_writes_them():
    bounds = thresholds(normalise("A peak response in the wavelength range exceeding 900 nm but not exceeding 1,200 nm"))
    assert [b["op"] for b in bounds] == [">", "<="]
    between = thresholds(normalise("An inner ring bore diameter between 12 and 50 mm;"))
    assert [(b["op"], b["text"]) for b in between] == [(">=", "12 mm"), ("<=", "50 mm")]
    dose = thresholds(normalise("A total dose of 5 × 10 3 Gy (Si), or higher;"))
    assert dose[0]["op"] == ">=" and dose[0]["value"] == 5000.0


def test_bare_counts_are_thresholds_too():
    found = counts("More than 200 actuators; or")
    assert found[0]["value"] == 200 and found[0]["kind"] == ["actuator"]
    assert counts("An equivalent gate count of more than 3,000 (2 input gates); or")[0]["value"] == 3000
