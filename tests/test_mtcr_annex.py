from classifier.corpus import Corpus


def items(corpus: Corpus) -> dict[str, dict]:  # type: ignore[type-arg]
    return {i["id"]: i for i in corpus.mtcr_annex["items"]}


def test_items_1_and_2_are_category_i_the_rest_category_ii(corpus: Corpus) -> None:
    annex = items(corpus)
    assert annex["1"]["category"] == "I" and annex["2.c"]["category"] == "I"
    assert {i["category"] for k, i in annex.items() if i["item"] >= 3} == {"II"}


def test_item_1_states_500_kg_and_300_km(corpus: Corpus) -> None:
    thresholds = {(t["value"], t["unit"]) for t in items(corpus)["1"]["thresholds"]}
    assert {("500", "kg"), ("300", "km")} <= thresholds


def test_garbled_exponents_are_repaired_and_recorded(corpus: Corpus) -> None:
    motor = items(corpus)["2.c"]
    assert "1.1 × 10^6 N-sec" in motor["text"] and motor["repairs"] == ["item2c-exponents"]
    assert ("1.1 × 10^6", "N-sec") in {(t["value"], t["unit"]) for t in motor["thresholds"]}
    assert "10 km" in items(corpus)["2.d"]["text"]


def test_ambiguous_garbling_is_left_and_listed(corpus: Corpus) -> None:
    assert "translb nv" in " ".join(i["text"] for i in corpus.mtcr_annex["items"])
    assert any(x["text"] == "translb nv" for x in corpus.mtcr_annex["left_as_is"])


def test_sub_items_nest_letters_numbers_and_roman_numerals(corpus: Corpus) -> None:
    annex = items(corpus)
    assert annex["2.b.1"]["label"] == "(b)(1)"
    assert annex["4.a.9.ii"]["text"].startswith("Inhibited Red Fuming Nitric Acid")


def test_notes_belong_to_the_item(corpus: Corpus) -> None:
    notes = " ".join(items(corpus)["2"]["notes"])
    assert "CEP (circle of equal probability)" in notes
