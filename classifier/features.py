"""Features of one (description, candidate paragraph) pair, the ranker's input.

Retrieval scores and ranks, similarity to the ECCN heading, how much of the entry the candidates
cover, parameter agreement (the description's numbers against the paragraph's thresholds), the kind
of entry (catch-all ``x9xx``, 600 series, ``.y``, depth, ITAR pointer) and cues from the facts
(software, technology, material, encryption, mass market) crossed with the candidate's group.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

import numpy as np

from classifier.documents import Document
from classifier.eccn import ECCN
from classifier.facts import Facts
from classifier.quantities import Quantity, agreement, tightness
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
    "threshold_tightness",
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


def _group_max(values: np.ndarray, group: np.ndarray, groups: int) -> np.ndarray:
    """Row-wise maximum of ``values`` per group id 0..groups-1 (every group present), via sort + reduceat."""
    order = np.argsort(group, kind="stable")
    starts = np.searchsorted(group[order], np.arange(groups))
    return np.maximum.reduceat(values[order], starts, axis=0)


class _DocTable:
    """What never changes about a document, as arrays, so a candidate's row is gathered, not rebuilt."""

    def __init__(self, docs: list[Document]) -> None:
        self.size = len(docs)
        self.head = [_entry_facts(d.eccn)[0] if d.eccn else "" for d in docs]
        group = [_entry_facts(d.eccn)[1] if d.eccn else "" for d in docs]
        regime = [_entry_facts(d.eccn)[2] if d.eccn else "" for d in docs]
        self.lineage = [_lineage(d.id) if d.eccn else (d.id,) for d in docs]
        f = np.float32
        self.static = np.array(
            [
                [
                    float(r == "9"),
                    float(r in ("5", "6")),
                    d.depth,
                    float(d.leaf),
                    float(d.kind == "entry"),
                    float(d.subject_to_itar),
                    float(lin[1:2] == (f"{h}.y",)),
                    *_GROUP_ONE_HOT.get(g, _NO_GROUP),
                ]
                for d, h, g, r, lin in zip(docs, self.head, group, regime, self.lineage, strict=True)
            ],
            dtype=f,
        ).reshape(len(docs), 12)
        self.is_group = {letter: np.array([g == letter for g in group]) for letter in "ABCDE"}
        self.part2 = np.array([h in CRYPTO_ENTRIES for h in self.head])
        self.mass_market = np.array([h in MASS_MARKET_ENTRIES for h in self.head])
        self.cryptanalytic = np.array([h in CRYPTANALYTIC_ENTRIES for h in self.head])


_TABLES: dict[int, _DocTable] = {}


def _table(docs: list[Document]) -> _DocTable:
    table = _TABLES.get(id(docs))
    if table is None or table.size != len(docs):
        table = _TABLES[id(docs)] = _DocTable(docs)
    return table


def candidate_features(
    facts: Facts,
    cands: list[Candidate],
    docs: list[Document],
    thresholds: list[list[Quantity]],
    heading_sim: dict[str, float],
    neighbours: list[tuple[str, float]],
) -> np.ndarray:
    """One row of FEATURE_NAMES per candidate; ``neighbours`` are the nearest labelled examples.

    Built column by column with NumPy: per-document facts are gathered from a cached table, per-entry
    facts (heading similarity, support, labelled-example votes) are looked up once per entry."""
    n = len(cands)
    if not n:
        return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float32)
    table = _table(docs)
    idx = np.fromiter((c.doc for c in cands), dtype=np.int64, count=n)
    dense = np.fromiter((c.dense_score for c in cands), dtype=np.float64, count=n)
    dense_rank = np.fromiter((c.dense_rank for c in cands), dtype=np.float64, count=n)
    lexical = np.fromiter((c.lexical_score for c in cands), dtype=np.float64, count=n)
    lexical_rank = np.fromiter((c.lexical_rank for c in cands), dtype=np.float64, count=n)
    lexical_max = cands[0].lexical_max
    heads = [table.head[i] for i in idx]
    order = list(dict.fromkeys(heads))
    slot = {h: i for i, h in enumerate(order)}
    where = np.fromiter((slot[h] for h in heads), dtype=np.int64, count=n)
    head_count = np.bincount(where, minlength=len(order)).astype(np.float64)
    head_dense = _group_max(dense[:, None], where, len(order))[:, 0]

    knn_total = sum(max(s, 0.0) for _, s in neighbours) or 1.0
    knn_max: dict[str, float] = defaultdict(float)
    knn_vote: dict[str, float] = defaultdict(float)
    example_sim: dict[str, float] = {}
    for label, sim in neighbours:
        head = _entry_facts(label)[0] if label != "EAR99" else "EAR99"
        knn_max[head] = max(knn_max[head], sim)
        knn_vote[head] += max(sim, 0.0) / knn_total
        example_sim[label] = max(example_sim.get(label, 0.0), sim)
    nearest = (_entry_facts(neighbours[0][0])[0] if neighbours[0][0] != "EAR99" else "EAR99") if neighbours else ""
    per_head = np.array([[heading_sim.get(h, 0.0), knn_max[h], knn_vote[h], float(nearest == h)] for h in order])
    per_head = per_head[where]
    exact_example = np.fromiter(
        (max((example_sim.get(a, 0.0) for a in table.lineage[i]), default=0.0) for i in idx), dtype=np.float64, count=n
    )
    description = list(facts.quantities)
    if description:
        params = np.array([agreement(description, thresholds[i]) for i in idx], dtype=np.float64)
        tight = np.array([tightness(description, thresholds[i]) for i in idx], dtype=np.float64)
    else:
        params = np.zeros((n, 3))
        tight = np.zeros(n)
    best_dense = float(dense.max())
    crypto = facts.uses_crypto
    part2 = table.part2[idx]
    group = {g: table.is_group[g][idx] for g in "ABCDE"}
    neither = not (facts.is_software or facts.is_technology or facts.is_material)
    ones = np.ones(n)
    columns = [
        dense,
        best_dense - dense,
        np.log1p(dense_rank),
        lexical / lexical_max if lexical_max > 0 else np.zeros(n),
        np.log1p(lexical_rank),
        (1.0 / (60 + dense_rank) + 1.0 / (60 + lexical_rank)) * 100,
        ((dense_rank < 1000) & (lexical_rank < 1000)).astype(np.float64),
        per_head[:, 0],
        head_count[where] / n,
        head_dense[where],
        params[:, 0],
        params[:, 1],
        params[:, 2],
    ]
    flags = [
        facts.is_software * group["D"],
        facts.is_technology * group["E"],
        facts.is_material * group["C"],
        neither * (group["A"] | group["B"]),
        crypto * part2,
        (not crypto) * part2,
        bool(facts.mass_market_terms) * table.mass_market[idx],
        bool(facts.not_mass_market_terms) * table.mass_market[idx],
        bool(facts.crypto_limited_terms) * part2,
        (facts.cryptanalytic or facts.forensic) * table.cryptanalytic[idx],
    ]
    tail = [
        ones * len(facts.everyday_terms),
        ones * float(bool(description)),
        per_head[:, 1],
        per_head[:, 2],
        per_head[:, 3],
        exact_example,
        ones * knn_vote["EAR99"],
        ones * (neighbours[0][1] if neighbours else 0.0),
        ones * float(facts.is_software),
        ones * float(facts.is_technology),
        ones * float(facts.is_material),
        ones * float(crypto),
        ones * float(bool(facts.mass_market_terms)),
        ones * float(bool(facts.not_mass_market_terms)),
        ones * best_dense,
        (params[:, 1] > 0).astype(np.float64),
        ((params[:, 2] > 0) & (params[:, 1] == 0)).astype(np.float64),
        ones * float(n),
        tight,
    ]
    return np.column_stack(
        [*columns, table.static[idx].astype(np.float64), *(np.asarray(f, dtype=np.float64) for f in flags), *tail]
    ).astype(np.float32)


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
    where = np.fromiter((index[h] for h in heads), dtype=np.int64, count=len(heads))
    out = _group_max(signed, where, len(order)).astype(np.float32)
    counts = np.bincount(where, minlength=len(order)).astype(np.float32)
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
