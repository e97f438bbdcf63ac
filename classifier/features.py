"""Features of one (description, candidate paragraph) pair, the ranker's input.

Retrieval scores and ranks, similarity to the ECCN heading, how much of the entry the candidates
cover, parameter agreement (the description's numbers against the paragraph's thresholds), the kind
of entry (catch-all ``x9xx``, 600 series, ``.y``, depth, ITAR pointer) and cues from the facts
(software, technology, material, encryption, mass market) crossed with the candidate's group.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from classifier.conditions import ConditionBook, Evidence, Status
from classifier.documents import Document
from classifier.eccn import ECCN
from classifier.facts import Facts
from classifier.quantities import Quantity, agreement, tightness
from classifier.retrieve import Candidate

CRYPTO_ENTRIES = ("5A002", "5D002", "5E002", "5A003", "5A004", "5B002", "5A992", "5D992")
MASS_MARKET_ENTRIES = ("5A992", "5D992")
CRYPTANALYTIC_ENTRIES = ("5A004", "5D002")
CIVIL_AIRCRAFT_ENTRY = "9A991"

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
    "cond_status",
    "cond_has",
    "cond_met",
    "cond_failed",
    "cond_unknown",
    "cond_excluded",
    "cond_open_exclusion",
    "catches_pool_entry",
    "controlled_entry",
    "civil_aircraft_x_9A991",
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
        self.civil_aircraft = np.array([h == CIVIL_AIRCRAFT_ENTRY for h in self.head])
        names = list(dict.fromkeys(self.head))
        self.head_names = np.array(names, dtype=object)
        number = {h: i for i, h in enumerate(names)}
        self.head_id = np.array([number[h] for h in self.head], dtype=np.int64)
        self._below: dict[str, list[int]] = {}  # an id -> the documents with it in their lineage
        for i, lin in enumerate(self.lineage):
            for pid in dict.fromkeys(lin):
                self._below.setdefault(pid, []).append(i)
        self._under: dict[str, np.ndarray] = {}

    def under(self, paragraph_id: str) -> np.ndarray:
        """Mask of the documents at or below ``paragraph_id`` (it is in their lineage)."""
        mask = self._under.get(paragraph_id)
        if mask is None:
            mask = self._under[paragraph_id] = np.zeros(self.size, dtype=bool)
            mask[self._below.get(paragraph_id, [])] = True
        return mask


@dataclass
class FeatureBatch:
    """Candidate rows of a batch of descriptions, and the entry rows built from them.

    Rows are in description order, so each description's rows form one slice; entries (one per
    description and ECCN entry) are numbered by description, then by first appearance."""

    rows: np.ndarray  # one row of FEATURE_NAMES per candidate
    row_spans: list[tuple[int, int]]  # per description: its slice of ``rows``
    entry_of_row: np.ndarray  # the entry number of every candidate row
    entries: list[str]  # ECCN head of each entry
    entry_rows: np.ndarray  # one row of HEAD_FEATURE_NAMES per entry
    entry_spans: list[tuple[int, int]]  # per description: its slice of ``entries``
    evidence: list[Evidence]  # per description: what its conditions are checked against

    def heads(self, q: int) -> list[str]:
        a, b = self.entry_spans[q]
        return self.entries[a:b]

    def doc_heads(self, q: int) -> list[str]:
        a, b = self.row_spans[q]
        return [self.entries[e] for e in self.entry_of_row[a:b]]


class FeatureBuilder:
    """Builds the ranker's features for many descriptions at once: every column is one NumPy
    operation over the whole batch; only parameter agreement and the nearest-example lookups are per
    description."""

    def __init__(
        self,
        docs: list[Document],
        thresholds: list[list[Quantity]],
        heading_ids: list[str],
        heading_matrix: np.ndarray,
        book: ConditionBook,
    ) -> None:
        self.docs = docs
        self.book = book
        self.thresholds = thresholds
        self.table = _DocTable(docs)
        names = self.table.head_names.tolist()
        heading_pos = {h: i for i, h in enumerate(heading_ids)}
        self.head_number = {h: i for i, h in enumerate(names)}
        # each entry's heading vector (zeros where the entry has none), in head-number order
        self.heading_vectors = np.zeros((len(names), heading_matrix.shape[1]), dtype=np.float32)
        known = [(i, heading_pos[h]) for i, h in enumerate(names) if h in heading_pos]
        if known:
            self.heading_vectors[[i for i, _ in known]] = heading_matrix[[p for _, p in known]]

    def build(
        self,
        facts: list[Facts],
        cands: list[list[Candidate]],
        vectors: np.ndarray,
        neighbours: list[list[tuple[str, float]]],
    ) -> FeatureBatch:
        table = self.table
        sizes = np.array([len(c) for c in cands], dtype=np.int64)
        bounds = np.concatenate([[0], np.cumsum(sizes)])
        row_spans = [(int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
        n = int(bounds[-1])
        width = len(FEATURE_NAMES)
        evidence = [self.book.evidence(f.text, f.quantities, f.answers) for f in facts]
        if n == 0:
            empty = np.zeros((0, width), dtype=np.float32)
            return FeatureBatch(
                empty, row_spans, np.zeros(0, np.int64), [], np.zeros((0, width + 1), np.float32), row_spans, evidence
            )
        values = np.array(
            [(c.doc, c.dense_score, c.dense_rank, c.lexical_score, c.lexical_rank) for cs in cands for c in cs]
        )
        idx = values[:, 0].astype(np.int64)
        dense, dense_rank, lexical, lexical_rank = values[:, 1], values[:, 2], values[:, 3], values[:, 4]
        query = np.repeat(np.arange(len(cands)), sizes)
        nonempty = sizes > 0
        lexical_max = np.array([cs[0].lexical_max if cs else 0.0 for cs in cands])[query]

        # entries: (description, ECCN head) pairs, by description then first appearance
        head_id = table.head_id[idx]
        key = query * len(self.head_number) + head_id
        keys, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        by_first = np.argsort(first, kind="stable")
        number = np.empty_like(by_first)
        number[by_first] = np.arange(len(by_first))
        where = number[inverse.reshape(-1)]
        entry_key = keys[by_first]
        entry_query = entry_key // len(self.head_number)
        entry_head = entry_key % len(self.head_number)
        entries = table.head_names[entry_head].tolist()
        n_entries = len(entries)
        entry_counts = np.bincount(entry_query, minlength=len(cands))
        entry_bounds = np.concatenate([[0], np.cumsum(entry_counts)])
        entry_spans = [(int(a), int(b)) for a, b in zip(entry_bounds[:-1], entry_bounds[1:], strict=True)]

        head_count = np.bincount(where, minlength=n_entries).astype(np.float64)
        head_dense = _group_max(dense[:, None], where, n_entries)[:, 0]
        heading_sim = np.einsum("ij,ij->i", self.heading_vectors[entry_head], vectors[entry_query])
        best_dense = np.full(len(cands), -np.inf)
        np.maximum.at(best_dense, query, dense)

        # nearest labelled examples: per entry (max similarity, vote share, nearest), per row (exact paragraph)
        knn_max = np.zeros(n_entries)
        knn_vote = np.zeros(n_entries)
        knn_nearest = np.zeros(n_entries)
        exact_example = np.zeros(n)
        knn_ear99 = np.zeros(len(cands))
        knn_top = np.zeros(len(cands))
        entry_at = dict(zip(entry_key.tolist(), range(n_entries), strict=True))
        for q, near in enumerate(neighbours):
            if not near or not nonempty[q]:
                continue
            knn_top[q] = near[0][1]
            total = sum(max(s, 0.0) for _, s in near) or 1.0
            example_sim: dict[str, float] = {}
            for rank, (label, sim) in enumerate(near):
                example_sim[label] = max(example_sim.get(label, 0.0), sim)
                if label == "EAR99":
                    knn_ear99[q] += max(sim, 0.0) / total
                    continue
                head = self.head_number.get(_entry_facts(label)[0])
                e = None if head is None else entry_at.get(q * len(self.head_number) + head)
                if e is None:
                    continue
                knn_max[e] = max(float(knn_max[e]), sim)
                knn_vote[e] += max(sim, 0.0) / total
                if rank == 0:
                    knn_nearest[e] = 1.0
            a, b = row_spans[q]
            for label, sim in example_sim.items():  # the best example labelled this paragraph or an ancestor
                if label != "EAR99":
                    hit = table.under(label)[idx[a:b]]
                    exact_example[a:b] = np.maximum(exact_example[a:b], np.where(hit, sim, 0.0))

        params = np.zeros((n, 3))
        tight = np.zeros(n)
        for q, f in enumerate(facts):
            description = list(f.quantities)
            a, b = row_spans[q]
            if description and b > a:
                params[a:b] = [agreement(description, self.thresholds[i]) for i in idx[a:b]]
                tight[a:b] = [tightness(description, self.thresholds[i]) for i in idx[a:b]]

        conditions = np.zeros((n, 7))
        catches = np.zeros(n)
        for q, ev in enumerate(evidence):
            a, b = row_spans[q]
            pool_heads = {table.head[i] for i in idx[a:b]}
            for r in range(a, b):
                doc = self.docs[idx[r]]
                verdict = ev.path(doc.id)
                checks = verdict.checks
                conditions[r] = (
                    int(verdict.status),
                    float(verdict.has_conditions),
                    sum(c.status is Status.MET and not c.exclusion for c in checks),
                    len(verdict.failed),
                    sum(c.status is Status.UNKNOWN and not c.exclusion for c in checks),
                    float(verdict.excluded),
                    len(verdict.open_exclusions),
                )
                catches[r] = float(bool(pool_heads.intersection(self.book.catch_alls.get(table.head[idx[r]], ()))))

        def per_query(values: list[float]) -> np.ndarray:
            return np.asarray(values, dtype=np.float64)[query]

        software = per_query([f.is_software for f in facts])
        technology = per_query([f.is_technology for f in facts])
        material = per_query([f.is_material for f in facts])
        crypto = per_query([f.uses_crypto for f in facts])
        mass_market = per_query([bool(f.mass_market_terms) for f in facts])
        not_mass_market = per_query([bool(f.not_mass_market_terms) for f in facts])
        limited = per_query([bool(f.crypto_limited_terms) for f in facts])
        cryptanalytic = per_query([f.cryptanalytic or f.forensic for f in facts])
        has_numbers = per_query([bool(f.quantities) for f in facts])
        neither = 1.0 - np.maximum(np.maximum(software, technology), material)
        part2 = table.part2[idx]
        group = {g: table.is_group[g][idx] for g in "ABCDE"}
        q_best = best_dense[query]
        safe_max = np.where(lexical_max > 0, lexical_max, 1.0)
        columns = [
            dense,
            q_best - dense,
            np.log1p(dense_rank),
            np.where(lexical_max > 0, lexical / safe_max, 0.0),
            np.log1p(lexical_rank),
            (1.0 / (60 + dense_rank) + 1.0 / (60 + lexical_rank)) * 100,
            ((dense_rank < 1000) & (lexical_rank < 1000)).astype(np.float64),
            heading_sim[where],
            head_count[where] / sizes[query],
            head_dense[where],
            params[:, 0],
            params[:, 1],
            params[:, 2],
            *table.static[idx].astype(np.float64).T,
            software * group["D"],
            technology * group["E"],
            material * group["C"],
            neither * (group["A"] | group["B"]),
            crypto * part2,
            (1.0 - crypto) * part2,
            mass_market * table.mass_market[idx],
            not_mass_market * table.mass_market[idx],
            limited * part2,
            cryptanalytic * table.cryptanalytic[idx],
            per_query([len(f.everyday_terms) for f in facts]),
            has_numbers,
            knn_max[where],
            knn_vote[where],
            knn_nearest[where],
            exact_example,
            knn_ear99[query],
            knn_top[query],
            software,
            technology,
            material,
            crypto,
            mass_market,
            not_mass_market,
            q_best,
            (params[:, 1] > 0).astype(np.float64),
            ((params[:, 2] > 0) & (params[:, 1] == 0)).astype(np.float64),
            sizes[query].astype(np.float64),
            tight,
            *conditions.T,
            catches,
            1.0 - table.static[idx, 0].astype(np.float64),
            per_query([bool(f.implies("civil_aircraft_part")) for f in facts]) * table.civil_aircraft[idx],
        ]
        rows = np.column_stack(columns).astype(np.float32)
        entry_rows = _entry_rows(rows, where, n_entries)
        return FeatureBatch(rows, row_spans, where, entries, entry_rows, entry_spans, evidence)


# columns where a smaller value is better; negated before taking the best over an entry's documents
_LOWER_IS_BETTER = tuple(FEATURE_NAMES.index(n) for n in ("dense_gap", "dense_log_rank", "lexical_log_rank", "depth"))
HEAD_FEATURE_NAMES = (*FEATURE_NAMES, "documents_of_entry")


def _entry_rows(rows: np.ndarray, entry_of_row: np.ndarray, n_entries: int) -> np.ndarray:
    """One row per ECCN entry: the best value of each feature over the entry's candidate documents,
    and how many documents it has.

    Labels are per entry, so the ranker scores entries; which paragraph of the entry to show is a
    separate choice (``Ranker.paragraph_model``).
    """
    if n_entries == 0:
        return np.zeros((0, len(HEAD_FEATURE_NAMES)), dtype=np.float32)
    signed = rows.copy()
    signed[:, _LOWER_IS_BETTER] *= -1
    out = _group_max(signed, entry_of_row, n_entries).astype(np.float32)
    counts = np.bincount(entry_of_row, minlength=n_entries).astype(np.float32)
    return np.column_stack([out, counts])


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
