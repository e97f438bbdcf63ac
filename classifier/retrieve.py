"""Stage 2: candidate paragraphs for a description, from several sources, fused by reciprocal rank.

The pool for one description is the union of: the dense top ``depth``, the BM25 top ``depth``, the
entries of its nearest labelled examples, the paragraphs whose thresholds its numbers meet ("150 WT"
finds "exceeding 70 WT"), for software or technology the D or E entry beside each equipment entry
found (5A992 → 5D992), and the family catch-all of each entry near the top (3A001 → 3A991), so that
an item that misses a paragraph's parameters can fall where the CCL puts it. A candidate keeps both
retrieval scores and ranks so the ranker can weigh them; the fused order alone is the "fused without
the ranker" baseline of the evaluation.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from classifier.dense import DenseIndex
from classifier.documents import Document
from classifier.facts import Facts
from classifier.lexical import LexicalIndex
from classifier.quantities import Quantity

RRF_K = 60
MISSING_RANK = 1000
EXPANSION_HEADS = 15  # entries near the top whose D/E counterparts are added for software/technology
THRESHOLD_DOCS = 5  # paragraphs added per description because its numbers meet their thresholds
EXAMPLE_NEIGHBOURS = 5
CATCH_ALL_HEADS = 8  # entries near the top whose catch-all (3A001 → 3A991) joins the pool
CATCH_ALL_DOCS = 2  # paragraphs of each such catch-all, closest in meaning first
COMPARATORS = (">", ">=", "<", "<=")


@dataclass(slots=True)
class Candidate:
    doc: int  # position in the document list
    dense_score: float
    dense_rank: int
    lexical_score: float
    lexical_rank: int
    lexical_max: float

    @property
    def fused(self) -> float:
        return 1.0 / (RRF_K + self.dense_rank) + 1.0 / (RRF_K + self.lexical_rank)


class Retriever:
    def __init__(
        self,
        docs: list[Document],
        dense: DenseIndex,
        lexical: LexicalIndex,
        thresholds: list[list[Quantity]],
        depth: int = 20,
        caught_by: dict[str, str] | None = None,
    ) -> None:
        self.docs = docs
        self.dense = dense
        self.lexical = lexical
        self.thresholds = thresholds
        self.depth = depth
        self.caught_by = caught_by or {}
        self.position = {d.id: i for i, d in enumerate(docs)}
        self.vectors = dense.matrix()
        self.doc_eccn = [d.eccn if d.kind != "mtcr" else "" for d in docs]
        self.by_head: dict[str, list[int]] = defaultdict(list)
        rows: dict[str, list[tuple[int, float, int]]] = defaultdict(list)
        for i, d in enumerate(docs):
            if d.kind != "mtcr":
                self.by_head[d.eccn].append(i)
                for t in thresholds[i]:
                    if t.comparator:
                        rows[t.dimension].append((i, t.value, COMPARATORS.index(t.comparator)))
        # per dimension: document positions, threshold values and comparator codes, for vectorised checks
        self.limits = {
            dim: (np.array([r[0] for r in rs]), np.array([r[1] for r in rs]), np.array([r[2] for r in rs]))
            for dim, rs in rows.items()
        }

    def _best_of(self, positions: list[int], vector: np.ndarray, n: int = 1) -> list[int]:
        sims = self.vectors[positions] @ vector
        return [positions[i] for i in np.argsort(-sims, kind="stable")[:n]]

    def _from_examples(self, neighbours: list[tuple[str, float]], vector: np.ndarray) -> list[int]:
        """The document each nearest labelled example points to, or its entry's closest document."""
        found = []
        for label, _ in neighbours[:EXAMPLE_NEIGHBOURS]:
            if label in self.position:
                found.append(self.position[label])
            elif label.split(".")[0] in self.by_head:
                found.extend(self._best_of(self.by_head[label.split(".")[0]], vector))
        return found

    def _from_thresholds(self, facts: Facts, vector: np.ndarray) -> list[int]:
        """Paragraphs with a threshold the description's numbers meet, closest in meaning first."""
        met: list[int] = []
        for q in facts.quantities:
            table = self.limits.get(q.dimension)
            if table is not None:
                positions, values, ops = table
                ok = np.select(
                    [ops == 0, ops == 1, ops == 2, ops == 3],
                    [q.value > values, q.value >= values, q.value < values, q.value <= values],
                    False,
                )
                met.extend(positions[ok].tolist())
        return self._best_of(list(dict.fromkeys(met)), vector, THRESHOLD_DOCS) if met else []

    def _counterparts(self, heads: list[str], facts: Facts, vector: np.ndarray) -> list[int]:
        """For software or technology, the D or E entry beside each A/B/C entry (5A992 → 5D992)."""
        letters = [g for g, wanted in (("D", facts.is_software), ("E", facts.is_technology)) if wanted]
        found = []
        for head in heads[:EXPANSION_HEADS]:
            for letter in letters:
                twin = head[0] + letter + head[2:]
                if twin != head and twin in self.by_head:
                    found.extend(self._best_of(self.by_head[twin], vector))
        return found

    def _catch_alls(self, heads: list[str], vector: np.ndarray) -> list[int]:
        """The family catch-all of each entry near the top (3A001 → 3A991), so the ranker can choose it."""
        found = []
        for head in heads[:CATCH_ALL_HEADS]:
            catch = self.caught_by.get(head)
            if catch and catch in self.by_head:
                found.extend(self._best_of(self.by_head[catch], vector, CATCH_ALL_DOCS))
        return found

    def candidates(
        self, facts: list[Facts], vectors: np.ndarray, neighbours: list[list[tuple[str, float]]] | None = None
    ) -> list[list[Candidate]]:
        """For each description, its candidate pool, best fused first."""
        dense_scores, dense_positions = self.dense.search(vectors, self.depth)
        lexical = np.stack([self.lexical.scores(f.text) for f in facts]) if facts else np.zeros((0, len(self.docs)))
        depth = min(self.depth, lexical.shape[1])
        top = np.argpartition(-lexical, depth - 1, axis=1)[:, :depth] if depth else np.zeros((len(facts), 0), int)
        lexical_max = lexical.max(axis=1) if lexical.shape[1] else np.zeros(len(facts))
        results = []
        for qi, f in enumerate(facts):
            vector = vectors[qi]
            scores = lexical[qi]
            top_lexical = top[qi][np.argsort(-scores[top[qi]], kind="stable")]
            top_lexical = top_lexical[scores[top_lexical] > 0]
            found = dense_positions[qi] >= 0
            d_positions = dense_positions[qi][found]
            # every document's rank in each retriever (MISSING_RANK when not retrieved) and dense score
            dense_rank = np.full(len(self.docs), MISSING_RANK)
            dense_rank[d_positions] = np.arange(1, len(d_positions) + 1)
            lexical_rank = np.full(len(self.docs), MISSING_RANK)
            lexical_rank[top_lexical] = np.arange(1, len(top_lexical) + 1)
            pool = list(dict.fromkeys([*d_positions.tolist(), *top_lexical.tolist()]))
            pool += self._from_examples(neighbours[qi], vector) if neighbours is not None else []
            pool += self._from_thresholds(f, vector)
            heads = list(dict.fromkeys(self.doc_eccn[p] for p in pool if self.doc_eccn[p]))
            if f.is_software or f.is_technology:
                pool += self._counterparts(heads, f, vector)
            pool += self._catch_alls(heads, vector)
            positions = np.array(list(dict.fromkeys(pool)), dtype=np.int64)
            dense_score = self.vectors[positions] @ vector
            dense_score[: len(d_positions)] = dense_scores[qi][found]  # the index's own scores where it has them
            d_rank, l_rank = dense_rank[positions], lexical_rank[positions]
            fused = 1.0 / (RRF_K + d_rank) + 1.0 / (RRF_K + l_rank)
            order = np.argsort(-fused, kind="stable")
            results.append(
                [
                    Candidate(p, ds, dr, ls, lr, float(lexical_max[qi]))
                    for p, ds, dr, ls, lr in zip(
                        positions[order].tolist(),
                        dense_score[order].tolist(),
                        d_rank[order].tolist(),
                        scores[positions[order]].tolist(),
                        l_rank[order].tolist(),
                        strict=True,
                    )
                ]
            )
        return results
