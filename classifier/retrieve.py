"""Stage 2: candidate paragraphs for a description, from several sources, fused by reciprocal rank.

The pool for one description is the union of: the dense top ``depth``, the BM25 top ``depth``, the
entries of its nearest labelled examples, the paragraphs whose thresholds its numbers meet ("150 WT"
finds "exceeding 70 WT"), and, for software or technology, the D or E entry beside each equipment
entry found (5A992 → 5D992). A candidate keeps both retrieval scores and ranks so the ranker can
weigh them; the fused order alone is the "fused without the ranker" baseline of the evaluation.
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
    ) -> None:
        self.docs = docs
        self.dense = dense
        self.lexical = lexical
        self.thresholds = thresholds
        self.depth = depth
        self.position = {d.id: i for i, d in enumerate(docs)}
        self.vectors = dense.matrix()
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

    def candidates(
        self, facts: list[Facts], vectors: np.ndarray, neighbours: list[list[tuple[str, float]]] | None = None
    ) -> list[list[Candidate]]:
        """For each description, its candidate pool, best fused first."""
        dense_scores, dense_positions = self.dense.search(vectors, self.depth)
        results = []
        for qi, (f, d_scores, d_positions) in enumerate(zip(facts, dense_scores, dense_positions, strict=True)):
            vector = vectors[qi]
            lexical = self.lexical.scores(f.text)
            top = (
                np.argpartition(-lexical, self.depth)[: self.depth]
                if len(lexical) > self.depth
                else np.arange(len(lexical))
            )
            top_lexical = top[np.argsort(-lexical[top], kind="stable")]
            lexical_rank = {int(p): r + 1 for r, p in enumerate(top_lexical) if lexical[p] > 0}
            dense_rank = {int(p): r + 1 for r, p in enumerate(d_positions) if p >= 0}
            dense_score = {int(p): float(s) for p, s in zip(d_positions, d_scores, strict=True) if p >= 0}
            pool = list(dict.fromkeys([*dense_rank, *lexical_rank]))
            pool += self._from_examples(neighbours[qi], vector) if neighbours is not None else []
            pool += self._from_thresholds(f, vector)
            heads = list(dict.fromkeys(self.docs[p].eccn for p in pool if self.docs[p].kind != "mtcr"))
            pool += self._counterparts(heads, f, vector)
            pool = list(dict.fromkeys(pool))
            missing = [p for p in pool if p not in dense_score]
            if missing:  # every candidate gets its dense similarity, for the ranker
                dense_score.update(zip(missing, (self.vectors[missing] @ vector).tolist(), strict=True))
            lexical_max = float(lexical.max()) if len(lexical) else 0.0
            cands = [
                Candidate(
                    p,
                    dense_score[p],
                    dense_rank.get(p, MISSING_RANK),
                    float(lexical[p]),
                    lexical_rank.get(p, MISSING_RANK),
                    lexical_max,
                )
                for p in pool
            ]
            cands.sort(key=lambda c: -c.fused)
            results.append(cands)
        return results
