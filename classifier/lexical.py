"""Lexical retrieval: BM25 (bm25s) over the same documents as the dense index.

Numbers and units are kept as tokens, and a number joined to its unit ("56_bits", "300_km", "70_wt") is
one more token, so "56 bits" in a description meets "56 bits" in a paragraph.
"""

from __future__ import annotations

import re

import numpy as np

from classifier.documents import Document
from classifier.quantities import QUANTITY
from classifier.words import STOPWORDS
from classifier.words import stem as _stem

TOKEN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?", re.I)


def tokenize(text: str) -> list[str]:
    lowered = text.lower().replace("“", " ").replace("”", " ")
    tokens = [_stem(t) for t in TOKEN.findall(lowered) if t not in STOPWORDS]
    for match in QUANTITY.finditer(text):
        number = match["num"].replace(",", "")
        tokens.append(f"{number}_{match['unit'].lower().lstrip('-')}")
    return tokens


class LexicalIndex:
    def __init__(self, docs: list[Document]) -> None:
        import bm25s

        self.doc_ids = [d.id for d in docs]
        self.bm25 = bm25s.BM25()
        self.bm25.index([tokenize(d.text) for d in docs], show_progress=False)

    def scores(self, text: str) -> np.ndarray:
        """BM25 score of every document for one query, in document order."""
        tokens = [t for t in tokenize(text) if t in self.bm25.vocab_dict]
        if not tokens:
            return np.zeros(len(self.doc_ids), dtype=np.float32)
        return np.asarray(self.bm25.get_scores(tokens), dtype=np.float32)
