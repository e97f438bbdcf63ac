"""Labelled examples as a memory: descriptions written the way exporters write, with their ECCN.

The CCL is written in regulation language and product descriptions are not; the nearest labelled
descriptions bridge the two. Their entries join the candidate pool and their similarity is a ranker
feature. The memory holds only training examples (never the held-out split) and is saved inside the
ranker file, so what a classification used is fixed by the ranker version.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from classifier.eccn import ECCN

NEIGHBOURS = 10


@dataclass
class ExampleMemory:
    vectors: np.ndarray  # (n, dim) unit vectors of the example descriptions
    labels: list[str]  # gold ECCN ids or "EAR99"

    @property
    def heads(self) -> list[str]:
        return [ECCN.parse(label).head for label in self.labels]

    def subset(self, rows: np.ndarray | list[int]) -> ExampleMemory:
        """Only some examples (the training folds under cross-validation)."""
        idx = np.asarray(rows, dtype=int)
        return ExampleMemory(self.vectors[idx], [self.labels[i] for i in idx])

    def neighbours(
        self,
        vectors: np.ndarray,
        k: int = NEIGHBOURS,
        exclude: list[int | None] | list[list[int]] | None = None,
    ) -> list[list[tuple[str, float]]]:
        """For each query, its ``k`` nearest examples as (label, cosine similarity), nearest first.

        ``exclude[i]`` is the memory row (or rows) query ``i`` must not see: itself when training on the
        memory, or its whole product family, as a new product from an unseen family will be.
        """
        if len(self.labels) == 0:
            return [[] for _ in range(len(vectors))]
        sims = vectors @ self.vectors.T
        for query, rows in enumerate(exclude or []):
            if rows is not None:
                sims[query, rows] = -np.inf
        k = min(k, sims.shape[1])
        top = np.argsort(-sims, axis=1)[:, :k]
        return [
            [(self.labels[j], float(row[j])) for j in idx if np.isfinite(row[j])]
            for row, idx in zip(sims, top, strict=True)
        ]
