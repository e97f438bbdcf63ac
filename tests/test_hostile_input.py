"""What a careless or hostile user types: every input is either read correctly or refused with a message
that names the field; nothing crashes, hangs, or is answered as if it meant something it does not."""

from __future__ import annotations

import math
import time
import tracemalloc

import pytest

from classifier.corpus import Corpus, UnknownId
from classifier.countries import UnknownCountry
from classifier.eccn import ECCN, InvalidECCN
from classifier.engine import Classifier, InputError, check_text
from classifier.facts import read_facts
from classifier.inputs import check_facts, description, number, terminal_safe, top_k
from classifier.quantities import out_of_range, quantities
from classifier.rules.de_minimis import DeMinimisInputError, decide


# -- numbers ------------------------------------------------------------------------------------------
def test_an_exponent_bomb_is_not_computed_and_the_description_is_refused() -> None:
    started = time.perf_counter()
    facts = read_facts("rocket, payload 5 x 10^100000000 kg, 5 x 10^400 kg, range 300 km")
    assert time.perf_counter() - started < 5  # was: minutes computing 10 ** 100000000 exactly
    assert facts.payload_kg is None and facts.range_km == 300
    assert out_of_range("payload 5 x 10^400 kg") == ["5 x 10^400 kg"]
    with pytest.raises(InputError, match="too large to be a specification"):
        check_text("payload 5 x 10^400 kg")


def test_a_twenty_thousand_digit_number_is_read_in_linear_time() -> None:
    started = time.perf_counter()
    assert quantities("1" * 20_000) == []
    assert quantities("9" * 400 + " kg") == []  # a float overflow (inf) is dropped, not compared
    assert time.perf_counter() - started < 5  # was: 263 s of regex backtracking


def test_plain_specifications_still_read_as_before() -> None:
    (impulse,) = quantities("total impulse 2.5 × 10^5 lbf·s")
    assert impulse.dimension == "impulse" and math.isclose(impulse.value, 2.5e5 * 4.4482216)
    assert [q.value for q in quantities("1,000 km and 3 x 10^-6 m")] == [1000.0, 3e-9]


@pytest.mark.parametrize("value", ["nan", float("nan"), float("inf"), "-inf", "1e400", [1], {"a": 1}, True, "ten"])
def test_values_that_are_not_finite_numbers_are_refused_naming_the_field(value: object) -> None:
    with pytest.raises(InputError, match="total_value"):
        number(value, "total_value")


def test_de_minimis_with_nan_is_refused_instead_of_not_subject(corpus: Corpus) -> None:
    # NaN compares false with every level, so 'nan / 10 %' read as "at or below: NOT subject to the EAR"
    with pytest.raises(DeMinimisInputError, match="finite"):
        decide(corpus, float("nan"), 10, "Germany")
    with pytest.raises(DeMinimisInputError, match="finite"):
        decide(corpus, 100, float("inf"), "Germany")


def test_mtcr_facts_of_nan_and_infinity_are_refused_before_the_rules_run() -> None:
    with pytest.raises(InputError, match="payload_kg"):
        check_facts({"payload_kg": float("nan"), "range_km": 300})
    with pytest.raises(InputError, match="range_km"):
        check_facts({"payload_kg": 500, "range_km": float("inf")})


@pytest.mark.parametrize("value", ["abc", 0, -1, 2.5, 10**9, None, True])
def test_top_k_must_be_a_small_whole_number(value: object) -> None:
    with pytest.raises(InputError, match="top_k"):
        top_k(value)


def test_top_k_given_as_text_digits_is_accepted() -> None:
    assert top_k("3") == 3 and top_k(5.0) == 5


# -- lengths ------------------------------------------------------------------------------------------
def test_an_80kb_unknown_id_is_refused_without_building_its_prefixes(corpus: Corpus) -> None:
    tracemalloc.start()
    with pytest.raises(UnknownId, match="80,006 characters"):
        corpus.lookup("5A002." + "a." * 40_000)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 50_000_000  # was: 4.4 GB for the ancestors of a 40,000-level path


def test_an_overlong_eccn_is_invalid_and_says_why() -> None:
    with pytest.raises(InvalidECCN, match="at most 64"):
        ECCN.parse("5A002" + ".a" * 100)


def test_an_overlong_destination_is_refused(corpus: Corpus) -> None:
    with pytest.raises(UnknownCountry):
        corpus.country_table.resolve("Germany" * 10_000)
    with pytest.raises(InputError, match="destination has 70,000 characters"):
        check_facts({"destination": "Germany" * 10_000})


def test_us_content_eccns_must_be_eccns() -> None:
    with pytest.raises(InputError, match="us_content_eccns.*not a valid ECCN"):
        check_facts({"us_content_eccns": ["garbage"]})
    assert check_facts({"us_content_eccns": "5a002a1; 3A001"})["us_content_eccns"] == ["5A002.a.1", "3A001"]


# -- invisible and lookalike characters --------------------------------------------------------------
@pytest.mark.parametrize("text", ["\x00\x00\x00", "\u200b\u200b", "\ufeff \u200d", "  \t\n "])
def test_a_description_of_nul_bytes_or_zero_width_spaces_is_empty(text: str) -> None:
    with pytest.raises(InputError, match="empty"):
        description(text)


def test_zero_width_characters_inside_words_are_removed_and_reported() -> None:
    text, warnings = description("Wi-Fi rou\u200bter with WPA3")
    assert text == "Wi-Fi router with WPA3" and "invisible" in warnings[0]


def test_cyrillic_lookalikes_in_latin_words_are_read_as_latin_and_reported() -> None:
    text, warnings = description("VPN gatew\u0430y with \u0410ES-256 \u0435ncryption")  # Cyrillic а, А, е
    assert text == "VPN gateway with AES-256 encryption"
    assert "lookalike" in warnings[0] and "'gatewаy'" in warnings[0]


def test_a_russian_description_is_left_as_it_is() -> None:
    text, warnings = description("Маршрутизатор Wi-Fi для дома")
    assert text == "Маршрутизатор Wi-Fi для дома" and warnings == []


def test_terminal_escape_sequences_are_stripped_for_the_terminal() -> None:
    assert terminal_safe("router\x1b]0;pwned\x07 \x1b[31mred\x1b[0m\x9b2J ok\n") == "router red2J ok\n"


# -- through the classifier ---------------------------------------------------------------------------
def test_the_classifier_refuses_the_exponent_bomb_and_zero_width_text(classifier: Classifier) -> None:
    with pytest.raises(InputError, match="too large"):
        classifier.classify("rocket with payload 5 x 10^400 kg")
    with pytest.raises(InputError, match="empty"):
        classifier.classify("\u200b" * 50)


def test_lookalike_letters_give_the_latin_answer_with_a_warning(classifier: Classifier) -> None:
    latin = classifier.classify("Dual-band Wi-Fi router with WPA3 sold at retail")
    mixed = classifier.classify("Dual-band Wi-Fi r\u043eut\u0435r with WP\u04103 s\u043eld at r\u0435tail")
    assert mixed.top.eccn == latin.top.eccn == "5A992.c"
    assert any("lookalike" in w for w in mixed.warnings) and latin.warnings == []


def test_facts_of_the_wrong_kind_are_refused_by_the_classifier(classifier: Classifier) -> None:
    with pytest.raises(InputError, match="range_km must be a finite number"):
        classifier.classify("rocket", payload_kg=600.0, range_km=float("inf"))
    with pytest.raises(InputError, match="top_k"):
        classifier.classify("rocket", top_k="abc")  # type: ignore[arg-type]
