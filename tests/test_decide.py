"""The decision stage: a paragraph that controls by parameters comes first only with evidence."""

from __future__ import annotations

import pytest

from classifier.corpus import Corpus
from classifier.decide import NEEDS_ANSWER_CAP, decide, finalize, held_back
from classifier.facts import read_facts
from classifier.result import Suggestion


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus()


def suggestion(eccn: str, confidence: float, score: float = 0.0) -> Suggestion:
    return Suggestion(eccn, confidence, eccn, "", "", score=score or confidence)


def evidence(corpus: Corpus, text: str):
    return corpus.conditions.evidence(text, read_facts(text).quantities)


def test_a_paragraph_whose_parameter_is_not_met_is_held_back_and_the_next_comes_first(corpus: Corpus) -> None:
    text = "ATmega328P 8-bit AVR microcontroller 20 MHz"
    ranked = [suggestion("3A991.a.2", 0.8), suggestion("3A001.a.3", 0.05)]
    ear99 = suggestion("EAR99", 0.3)
    decision = decide(ranked, ear99, evidence(corpus, text))
    assert decision.suggestions[0].eccn == "EAR99"
    held = next(s for s in decision.suggestions if s.eccn == "3A991.a.2")
    assert held.applies_only_if.startswith("does not apply") and "20 MHz" in held.applies_only_if


def test_a_controlled_paragraph_with_unstated_parameters_waits_for_an_answer(corpus: Corpus) -> None:
    text = "ARM Cortex-M4 microcontroller in a QFN package"
    ranked = [suggestion("3A001.a.3", 0.6), suggestion("3A991.a.2", 0.3)]
    decision = decide(ranked, suggestion("EAR99", 0.1), evidence(corpus, text))
    first = decision.suggestions[0]
    assert first.eccn != "3A001.a.3"
    assert "3A001.a.3" in decision.above
    questions, needs_answer = finalize(decision.suggestions, decision, corpus.conditions, [])
    assert needs_answer and first.confidence <= NEEDS_ANSWER_CAP
    assert {"compound_semiconductor", "clock frequency rate"} & {q.parameter for q in questions}


def test_a_met_paragraph_keeps_its_place(corpus: Corpus) -> None:
    text = "STM32F405 ARM Cortex-M4 MCU 168 MHz 1 MB flash"
    verdict = evidence(corpus, text).path("3A991.a.2")
    assert not held_back(verdict, "3A991")
    decision = decide([suggestion("3A991.a.2", 0.7)], suggestion("EAR99", 0.2), evidence(corpus, text))
    assert decision.suggestions[0].eccn == "3A991.a.2"


def test_nothing_below_the_first_answer_shows_more_confidence(corpus: Corpus) -> None:
    text = "Uncooled thermal imaging camera, 640 x 512 microbolometer"
    ranked = [suggestion("6A003.b.4.b", 0.6), suggestion("6A993.a", 0.55)]
    decision = decide(ranked, suggestion("EAR99", 0.01), evidence(corpus, text))
    finalize(decision.suggestions, decision, corpus.conditions, [])
    confidences = [s.confidence for s in decision.suggestions]
    assert all(c <= confidences[0] for c in confidences[1:])


def test_ear99_comes_first_only_when_likelier_than_the_first_entry_by_the_margin(corpus: Corpus) -> None:
    text = "Microcontroller, 32-bit, 48 MHz, 256 KB flash"
    facts = evidence(corpus, text)
    plain = decide([suggestion("3A991.a.2", 0.40)], suggestion("EAR99", 0.45), facts)
    assert plain.suggestions[0].eccn == "EAR99"
    facts = evidence(corpus, text)
    margin = decide([suggestion("3A991.a.2", 0.40)], suggestion("EAR99", 0.45), facts, ear99_margin=0.1)
    assert [s.eccn for s in margin.suggestions[:2]] == ["3A991.a.2", "EAR99"]
