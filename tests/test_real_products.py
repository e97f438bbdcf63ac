"""Real products described as their makers describe them: decide like a classifier does.

Each case is one of the issue's examples; the expected answer follows the CCL text: a paragraph that
controls by parameters comes first only when they are met, product features imply what the EAR makes of
them, and an unknown deciding parameter becomes a question rather than a guess.
"""

from __future__ import annotations

import pytest

from classifier import Classifier

CAMERA = "Uncooled thermal imaging camera, 640 x 512 microbolometer, 12 µm pitch"


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier.load()


def first(clf: Classifier, text: str, **facts: object) -> str:
    return clf.classify(text, **facts).suggestions[0].eccn


def test_a_kinematic_mirror_mount_is_not_a_deformable_mirror(clf: Classifier) -> None:
    result = clf.classify(
        "Adjustable kinematic mount for 2-inch mirrors with three fine-pitch adjusters, anodized aluminium"
    )
    assert not result.suggestions[0].eccn.startswith("6A004")
    assert result.suggestions[0].eccn == "EAR99"
    held = [s for s in result.suggestions if s.eccn.startswith("6A004")]
    assert all(s.applies_only_if for s in held)


def test_a_wifi_and_bluetooth_module_is_mass_market_5a992_c(clf: Classifier) -> None:
    text = "Wi-Fi 802.11ac and Bluetooth 5.0 combo module for IoT designs, surface mount, integrated antenna"
    result = clf.classify(text)
    assert result.suggestions[0].eccn == "5A992.c"
    assert "mass_market" in [q.parameter for q in result.questions]


def test_a_managed_switch_with_ssh_and_https_is_5a992_c_not_5a002(clf: Classifier) -> None:
    assert first(clf, "Managed industrial Ethernet switch, 8 ports, SSH and HTTPS management") == "5A992.c"


def test_an_lte_modem_module_implies_encryption_and_is_mass_market(clf: Classifier) -> None:
    assert first(clf, "Cellular LTE Cat-M1 modem module for asset trackers") == "5A992.c"


def test_a_part_for_a_civil_airliner_is_9a991_d(clf: Classifier) -> None:
    assert first(clf, "Replacement cabin window seal for a Boeing 737 commercial airliner") == "9A991.d"


def test_a_standard_deep_groove_bearing_is_ear99(clf: Classifier) -> None:
    assert first(clf, "Ball bearing, deep groove, 6204-2RS, 20 mm bore") == "EAR99"


def test_a_thermal_camera_at_30_hz_is_6a003_b_4_b(clf: Classifier) -> None:
    assert first(clf, CAMERA + ", 30 Hz") == "6A003.b.4.b"


def test_a_thermal_camera_at_8_6_hz_is_6a993_a_by_note_3(clf: Classifier) -> None:
    result = clf.classify(CAMERA + ", 8.6 Hz")
    assert result.suggestions[0].eccn == "6A993.a"
    stricter = [s for s in result.suggestions if s.eccn == "6A003.b.4.b"]
    assert stricter and stricter[0].applies_only_if.startswith("does not apply")


def test_a_thermal_camera_without_a_frame_rate_asks_for_it(clf: Classifier) -> None:
    result = clf.classify(CAMERA)
    assert result.needs_answer
    assert result.questions[0].parameter == "frame rate"
    assert result.suggestions[0].confidence <= 0.5
    answered = clf.classify(CAMERA, answers={"frame rate": "8 Hz"})
    assert answered.suggestions[0].eccn == "6A993.a"
    assert [q.parameter for q in answered.answered] == ["frame rate"]


def test_a_thermal_camera_with_wifi_stays_in_category_6(clf: Classifier) -> None:
    """Its Wi-Fi supports a function that is not its primary one (5A002.a.4, 5A002 Related Controls (4))."""
    result = clf.classify("Handheld thermal imager for building inspection, 160 x 120 detector, 8.7 Hz, Wi-Fi app")
    assert result.suggestions[0].eccn.startswith("6A993")
    assert any("primary function" in f.outcome for f in result.findings if f.rule == "encryption")


def test_a_microcontroller_with_a_crypto_engine_is_presumed_mass_market(clf: Classifier) -> None:
    result = clf.classify("32-bit Arm Cortex-M33 microcontroller, 150 MHz, 1 MB flash, AES-256 hardware accelerator")
    assert result.suggestions[0].eccn == "5A992.c"
    assert result.needs_answer  # mass market was presumed: the result asks to confirm it


def test_military_grade_marketing_does_not_make_a_graphics_card_military(clf: Classifier) -> None:
    result = clf.classify("Gaming graphics card, 16 GB GDDR7, military-grade capacitors, triple fan")
    assert not result.suggestions[0].eccn.startswith(("0A", "9A610", "3A611", "4A611"))
