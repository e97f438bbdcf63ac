"""Features of one (description, candidate paragraph) pair, the ranker's input.

Retrieval scores and ranks, similarity to the ECCN heading, how much of the entry the candidates
cover, parameter agreement (the description's numbers against the paragraph's thresholds), the kind
of entry (catch-all ``x9xx``, 600 series, ``.y``, depth, ITAR pointer) and cues from the facts
(software, technology, material, encryption, mass market) crossed with the candidate's group.
"""

from __future__ import annotations

import math
from collections import defaultdict
from functools import lru_cache

import numpy as np

from classifier.documents import Document
from classifier.eccn import ECCN
from classifier.facts import Facts
from classifier.quantities import Quantity, agreement
from classifier.retrieve import Candidate

CRYPTO_ENTRIES = ("5A002", "5D002", "5E002", "5A003", "5A004", "5B002", "5A992", "5D992")
MASS_MARKET_ENTRIES = ("5A992", "5D992")
CRYPTANALYTIC_ENTRIES = ("5A004", "5D002")

FEATURE_NAMES = (
    "dense_score",
    "dense_gap",
    "dense_log_rank",
    "lexical_norm",
    "lexical_log_rank",
    "fused",
    "in_both",
    "heading_sim",
    "head_support",
    "head_best_dense",
    "params_met",
    "params_missed",
    "params_shared",
    "catch_all",
    "military_600",
    "depth",
    "leaf",
    "entry_doc",
    "itar",
    "y_paragraph",
    "group_A",
    "group_B",
    "group_C",
    "group_D",
    "group_E",
    "software_x_D",
    "technology_x_E",
    "material_x_C",
    "hardware_x_AB",
    "crypto_x_cat5p2",
    "no_crypto_x_cat5p2",
    "mass_market_x_992",
    "not_mass_market_x_992",
    "crypto_limited_x_cat5p2",
    "cryptanalytic_x_5A004",
    "everyday_terms",
    "query_has_numbers",
    "knn_max_sim",
    "knn_vote",
    "knn_nearest_is_head",
    "knn_exact_paragraph",
    "knn_ear99_share",
    "knn_top_sim",
    "q_software",
    "q_technology",
    "q_material",
    "q_crypto",
    "q_mass_market",
    "q_not_mass_market",
    "q_best_dense",
    "any_param_missed",
    "all_params_met",
    "candidate_count",
)


_GROUP_ONE_HOT = {g: tuple(float(g == x) for x in "ABCDE") for g in "ABCDE"}
_NO_GROUP = (0.0,) * 5


@lru_cache(maxsize=16384)
def _lineage(paragraph_id: str) -> tuple[str, ...]:
    """The id and its ancestors, entry first: 5A002.a.1 → (5A002, 5A002.a, 5A002.a.1)."""
    parsed = ECCN.parse(paragraph_id)
    return (*(str(a) for a in parsed.ancestors), str(parsed))


@lru_cache(maxsize=8192)
def _entry_facts(eccn: str) -> tuple[str, str, str]:
    """(head, group letter, regime digit) of a document's ECCN, parsed once."""
    parsed = ECCN.parse(eccn)
    return parsed.head, parsed.group or "", parsed.regime_digit or ""


def candidate_features(
    facts: Facts,
    cands: list[Candidate],
    docs: list[Document],
    thresholds: list[list[Quantity]],
    heading_sim: dict[str, float],
    neighbours: list[tuple[str, float]],
) -> np.ndarray:
    """One row of FEATURE_NAMES per candidate; ``neighbours`` are the nearest labelled examples."""
    if not cands:
        return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float32)
    best_dense = max(c.dense_score for c in cands)
    head_count: dict[str, int] = defaultdict(int)
    head_dense: dict[str, float] = defaultdict(lambda: -1.0)
    for c in cands:
        head = _entry_facts(docs[c.doc].eccn)[0]
        head_count[head] += 1
        head_dense[head] = max(head_dense[head], c.dense_score)
    knn_total = sum(max(s, 0.0) for _, s in neighbours) or 1.0
    knn_max: dict[str, float] = defaultdict(float)
    knn_vote: dict[str, float] = defaultdict(float)
    for label, sim in neighbours:
        head = _entry_facts(label)[0] if label != "EAR99" else "EAR99"
        knn_max[head] = max(knn_max[head], sim)
        knn_vote[head] += max(sim, 0.0) / knn_total
    nearest = (_entry_facts(neighbours[0][0])[0] if neighbours[0][0] != "EAR99" else "EAR99") if neighbours else ""
    top_sim = neighbours[0][1] if neighbours else 0.0
    crypto = facts.uses_crypto
    description = list(facts.quantities)
    query_flags = [
        float(facts.is_software),
        float(facts.is_technology),
        float(facts.is_material),
        float(crypto),
        float(bool(facts.mass_market_terms)),
        float(bool(facts.not_mass_market_terms)),
        best_dense,
    ]
    example_sim: dict[str, float] = {}
    for label, sim in neighbours:
        example_sim[label] = max(example_sim.get(label, 0.0), sim)
    rows = []
    for c in cands:
        doc = docs[c.doc]
        head, group, regime = _entry_facts(doc.eccn)
        met, missed, shared = agreement(description, thresholds[c.doc]) if description else (0, 0, 0)
        in_part2 = head in CRYPTO_ENTRIES
        exact_example = max((example_sim.get(a, 0.0) for a in _lineage(doc.id)), default=0.0)
        rows.append(
            [
                c.dense_score,
                best_dense - c.dense_score,
                math.log1p(c.dense_rank),
                c.lexical_score / c.lexical_max if c.lexical_max > 0 else 0.0,
                math.log1p(c.lexical_rank),
                c.fused * 100,
                float(c.dense_rank < 1000 and c.lexical_rank < 1000),
                heading_sim.get(head, 0.0),
                head_count[head] / len(cands),
                head_dense[head],
                met,
                missed,
                shared,
                float(regime == "9"),
                float(regime in ("5", "6")),
                doc.depth,
                float(doc.leaf),
                float(doc.kind == "entry"),
                float(doc.subject_to_itar),
                float(_lineage(doc.id)[1:2] == (f"{head}.y",)),
                *_GROUP_ONE_HOT.get(group, _NO_GROUP),
                float(facts.is_software and group == "D"),
                float(facts.is_technology and group == "E"),
                float(facts.is_material and group == "C"),
                float(not (facts.is_software or facts.is_technology or facts.is_material) and group in "AB"),
                float(crypto and in_part2),
                float(not crypto and in_part2),
                float(bool(facts.mass_market_terms) and head in MASS_MARKET_ENTRIES),
                float(bool(facts.not_mass_market_terms) and head in MASS_MARKET_ENTRIES),
                float(bool(facts.crypto_limited_terms) and in_part2),
                float((facts.cryptanalytic or facts.forensic) and head in CRYPTANALYTIC_ENTRIES),
                len(facts.everyday_terms),
                float(bool(description)),
                knn_max[head],
                knn_vote[head],
                float(nearest == head),
                exact_example,
                knn_vote["EAR99"],
                top_sim,
                *query_flags,
                float(missed > 0),
                float(shared > 0 and missed == 0),
                float(len(cands)),
            ]
        )
    return np.asarray(rows, dtype=np.float32)


# columns where a smaller value is better; negated before taking the best over an entry's documents
_LOWER_IS_BETTER = tuple(FEATURE_NAMES.index(n) for n in ("dense_gap", "dense_log_rank", "lexical_log_rank", "depth"))
HEAD_FEATURE_NAMES = (*FEATURE_NAMES, "documents_of_entry")


def head_features(rows: np.ndarray, heads: list[str]) -> tuple[list[str], np.ndarray]:
    """One row per ECCN entry: the best value of each feature over the entry's candidate documents.

    Labels are per entry, so the ranker scores entries; which paragraph of the entry to show is a
    separate choice (``Ranker.paragraph_model``).
    """
    order = list(dict.fromkeys(heads))
    if not order:
        return [], np.zeros((0, len(HEAD_FEATURE_NAMES)), dtype=np.float32)
    signed = rows.copy()
    signed[:, _LOWER_IS_BETTER] *= -1
    index = {h: i for i, h in enumerate(order)}
    out = np.full((len(order), rows.shape[1]), -np.inf, dtype=np.float32)
    counts = np.zeros(len(order), dtype=np.float32)
    for row, head in zip(signed, heads, strict=True):
        i = index[head]
        np.maximum(out[i], row, out=out[i])
        counts[i] += 1
    return order, np.column_stack([out, counts])


_QUERY_COLUMNS = (
    "knn_ear99_share",
    "knn_top_sim",
    "q_best_dense",
    "everyday_terms",
    "query_has_numbers",
    "q_crypto",
    "q_software",
    "q_technology",
    "q_material",
    "q_mass_market",
)
QUERY_FEATURE_NAMES = ("top_entry_score", "second_entry_score", "entry_score_gap", *_QUERY_COLUMNS)


def query_features(head_scores: np.ndarray, head_rows: np.ndarray) -> np.ndarray:
    """Description-level features for the EAR99 decision: how good the best entries are, and what the
    nearest examples and cues say."""
    ranked = np.sort(head_scores)[::-1]
    top = float(ranked[0]) if len(ranked) else 0.0
    second = float(ranked[1]) if len(ranked) > 1 else 0.0
    columns = [HEAD_FEATURE_NAMES.index(c) for c in _QUERY_COLUMNS]
    shared = head_rows[0, columns] if len(head_rows) else np.zeros(len(columns))
    return np.asarray([top, second, top - second, *shared], dtype=np.float32)
