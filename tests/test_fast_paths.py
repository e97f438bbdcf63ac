"""The shortcuts taken for speed give exactly the answers of the plain computation they replace."""

from __future__ import annotations

import random

import numpy as np

from classifier.engine import Classifier
from classifier.facts import read_facts

DESCRIPTIONS = [
    "Uncooled thermal camera core 640x512, 30 Hz frame rate, 12 um pixel pitch",
    "VPN gateway appliance, IPsec AES-256, sold at retail",
    "Space-qualified rad-hard SRAM, 4 Mbit, total dose 300 krad",
    "5-axis CNC milling machine, positioning accuracy 2 micron",
    "Ceramic coffee mug",
]


def test_a_memoised_path_verdict_is_the_verdict_a_fresh_reading_of_the_description_gives(
    classifier: Classifier,
) -> None:
    book = classifier.corpus.conditions
    pids = sorted(book.paragraphs)
    sample = random.Random(7).sample(pids, 150)
    for text in DESCRIPTIONS:
        facts = read_facts(text)
        reused = book.evidence(facts.text, facts.quantities, facts.answers)
        for pid in sample + sample[::-1]:  # asked twice, in two orders: the second answers come from the memo
            fresh = book.evidence(facts.text, facts.quantities, facts.answers)
            assert reused.path(pid) == fresh.path(pid), (text, pid)


def test_documents_under_a_paragraph_are_those_with_it_in_their_lineage(classifier: Classifier) -> None:
    table = classifier.feature_builder.table
    ids = sorted({pid for lineage in table.lineage for pid in lineage})
    for pid in random.Random(3).sample(ids, 300) + ["5A002", "no such paragraph"]:
        plain = np.array([pid in lineage for lineage in table.lineage])
        assert np.array_equal(table.under(pid), plain), pid


def test_a_batch_gives_each_description_the_suggestions_and_confidences_it_gets_alone(
    classifier: Classifier,
) -> None:
    together = classifier.classify_many(DESCRIPTIONS)
    for text, batched in zip(DESCRIPTIONS, together, strict=True):
        alone = classifier.classify(text)
        assert [(s.eccn, s.confidence, s.score) for s in batched.suggestions] == [
            (s.eccn, s.confidence, s.score) for s in alone.suggestions
        ]
