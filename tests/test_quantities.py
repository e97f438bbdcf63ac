import pytest

from classifier.quantities import agreement, quantities


@pytest.mark.parametrize(
    ("text", "dimension", "value"),
    [
        ("payload 600 kg", "mass", 600.0),
        ("carries 1.5 t", "mass", 1500.0),
        ("lifts 1,100 lb", "mass", 498.95),
        ("range 1,000 km", "length", 1000.0),
        ("range 200 mi", "length", 321.87),
        ("total impulse 2.5 × 10^5 lbf·s", "impulse", 1.112e6),
        ("AES-256 encryption", "bits", 256.0),
        ("RSA 2048 keys", "bits", 2048.0),
        ("APP of 150 WT", "app", 150.0),
        ("3.5 GHz carrier", "frequency", 3.5e9),
    ],
)
def test_numbers_with_units_are_converted_to_base_units(text: str, dimension: str, value: float) -> None:
    found = [q for q in quantities(text) if q.dimension == dimension]
    assert found and found[0].value == pytest.approx(value, rel=1e-3)


def test_comparison_words_before_and_after_the_number() -> None:
    (a,) = quantities("exceeding 70 Weighted TeraFLOPS (WT)")
    assert a.comparator == ">"
    b = quantities("A resolution of 16 bit or more")[0]
    assert b.comparator == ">="
    c = quantities("less than 10 kg")[0]
    assert c.comparator == "<"


def test_a_value_above_a_threshold_meets_it_and_one_below_does_not() -> None:
    threshold = quantities("APP exceeding 70 WT")
    assert agreement(quantities("150 WT"), threshold) == (1, 0, 1)
    assert agreement(quantities("50 WT"), threshold) == (0, 1, 1)
    assert agreement(quantities("70 WT"), threshold) == (0, 1, 1)  # "exceeding" is strict
    assert agreement(quantities("600 kg"), threshold) == (0, 0, 0)
