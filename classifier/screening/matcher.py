"""Fuzzy name matching over the whole list: a token index to find candidates, an aligned score to rank them.

How a query name meets the list (each step measured by ``python -m benchmarks.screening``):

1. **Blocking.** Every name's tokens go into an inverted index (plus each pair of adjacent tokens written
   together, so "LUK OIL" finds "LUKOIL"). A query token finds its exact postings and the list tokens one
   edit away (a one-deletion neighbourhood index, as in SymSpell); each hit adds the token's IDF to its
   names. Tokens in more than ``COMMON_DF`` of the names ("co", "trading", "technology") only rank names a
   rarer token found, unless the query has nothing rarer. The ``CANDIDATES`` best names go on to scoring.
2. **Scoring.** Query and list tokens are aligned one to one (exact, a typo away by rapidfuzz's normalised
   Indel similarity, an abbreviation that is a prefix, or glued neighbours); each side's unaligned tokens
   count against the match by their IDF weight, so a rare word the other side lacks weighs far more than a
   generic one. Legal forms do not decide a match, they only nudge it (same class 1.0, one side without
   0.98, different classes 0.95), and so does word order (0.98 when reordered): a score of 1.0 means the
   same name, and every variant scores below it, which leaves an order to review by.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from classifier.screening.names import NameKey, name_key

COMMON_DF = 0.01  # tokens in more than this share of names do not find candidates on their own
CANDIDATES = 60  # names scored per query
STOP_WEIGHT = 0.2  # "of", "the": a fifth of a word
EXTRA_QUERY = 1.0  # weight of query tokens the list name lacks (the query says something else)
EXTRA_LIST = 0.5  # weight of list tokens the query lacks (list names are often longer)
ABBREVIATION = 0.8  # "COMP" for "COMPANY", "TECH" for "TECHNOLOGY"
REORDERED = 0.98
LEGAL_MISSING = 0.98
LEGAL_DIFFERENT = 0.95


@dataclass(frozen=True)
class Alignment:
    """How one query name matched one list name: the score and the token pairs behind it."""

    score: float
    pairs: tuple[tuple[str, str, float], ...]
    unmatched_query: tuple[str, ...]
    unmatched_list: tuple[str, ...]


def token_similarity(a: str, b: str) -> float:
    """1.0 for the same token, rapidfuzz's normalised similarity for a typo, ABBREVIATION for a prefix of
    four letters or more ("comp", "tech"), else 0."""
    if a == b:
        return 1.0
    if not (a.isalpha() and b.isalpha()):
        return 0.0  # "54th" and "55th" institutes are different parties
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 4 and long_.startswith(short):
        return ABBREVIATION
    longest = len(long_)
    if longest < 4:
        return 0.0
    cutoff = 0.75 if longest < 6 else 0.8  # one letter changed in a short word, a typo or two in a long one
    similarity = fuzz.ratio(a, b, score_cutoff=cutoff * 100) / 100
    return similarity if similarity >= cutoff else 0.0


def _merge_glued(tokens: tuple[str, ...], other: set[str]) -> tuple[str, ...]:
    """Join neighbours the other side writes as one token ("luk", "oil" → "lukoil" when it has "lukoil")."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if i + 1 < len(tokens) and tokens[i] + tokens[i + 1] in other and tokens[i] not in other:
            out.append(tokens[i] + tokens[i + 1])
            i += 2
        else:
            out.append(tokens[i])
            i += 1
    return tuple(out)


class NameIndex:
    """Every name and alias of the list, indexed for blocking, with token weights (IDF) for scoring."""

    def __init__(
        self, names: Sequence[str], keys: Sequence[NameKey] | None = None, legal_words: Iterable[str] = ()
    ) -> None:
        self.keys = list(keys) if keys is not None else [name_key(n) for n in names]
        self.legal_words = frozenset(legal_words)
        self._legal_variants = {v: w for w in self.legal_words if len(w) >= 4 for v in _deletions(w)}
        postings: dict[str, list[int]] = defaultdict(list)
        joined: dict[str, list[int]] = defaultdict(list)
        for i, key in enumerate(self.keys):
            for token in set(key.tokens):
                postings[token].append(i)
            for a, b in zip(key.tokens, key.tokens[1:], strict=False):
                joined[a + b].append(i)
        self.size = max(1, len(self.keys))
        self.postings = dict(postings)
        self.joined = dict(joined)
        self.idf = {t: math.log(1 + self.size / len(ids)) for t, ids in postings.items()}
        self.max_idf = math.log(1 + self.size)
        self.common = max(2, int(COMMON_DF * self.size))
        # one-deletion neighbourhood of every token (SymSpell): a typo, a dropped or doubled letter or a swap
        # of neighbours meets its list token through a shared deletion, in a few dictionary look-ups
        deletions: dict[str, list[str]] = defaultdict(list)
        for token in self.postings:
            if len(token) >= 4 and token.isalpha():
                for variant in _deletions(token):
                    deletions[variant].append(token)
        self.deletions = dict(deletions)

    def weight(self, token: str) -> float:
        """IDF of a list token; a token the list never uses is as telling as the rarest. A word legal forms
        are written with ("joint", "stock", "obshchestvo"), or a typo of one, counts as a stopword."""
        if token in self.legal_words or (
            token not in self.idf and len(token) >= 4 and any(v in self._legal_variants for v in _deletions(token))
        ):
            return STOP_WEIGHT * self.idf.get(token, self.max_idf)
        return self.idf.get(token, self.max_idf)

    # -- blocking ---------------------------------------------------------------------------------
    def similar_tokens(self, token: str) -> list[tuple[str, float]]:
        """List tokens within one edit of ``token`` (itself first when listed), with their similarity."""
        found = {token: 1.0} if token in self.postings else {}
        if len(token) >= 4 and token.isalpha():
            for variant in _deletions(token):
                for other in self.deletions.get(variant, ()):
                    if other not in found and (similarity := token_similarity(token, other)) > 0:
                        found[other] = similarity
        return list(found.items())

    def candidates(self, key: NameKey, limit: int = CANDIDATES) -> list[int]:
        """Indices of the names most likely to match ``key`` (at most ``limit``), best first."""
        scores: dict[int, float] = defaultdict(float)
        common: list[tuple[list[int], float]] = []
        for i, token in enumerate(key.tokens):
            if i in key.stop:
                continue
            for other, similarity in self.similar_tokens(token):
                ids = self.postings[other]
                weight = self.idf[other] * similarity
                if len(ids) > self.common:
                    common.append((ids, weight))
                    continue
                for n in ids:
                    scores[n] += weight
            for n in self.joined.get(token, ()):  # the list writes this token as two
                scores[n] += self.max_idf
        for a, b in zip(key.tokens, key.tokens[1:], strict=False):  # the query writes one list token as two
            for n in self.postings.get(a + b, ()):
                scores[n] += self.idf[a + b]
        if scores:  # generic words only rank names a rarer word found
            for ids, weight in common:
                for n in ids:
                    if n in scores:
                        scores[n] += weight
        else:  # nothing rarer: names that share the rarest of the generic words
            for ids, weight in sorted(common, key=lambda c: len(c[0]))[:1]:
                for n in ids:
                    scores[n] += weight
            for ids, weight in common:
                for n in ids:
                    if n in scores:
                        scores[n] += weight
        return sorted(scores, key=scores.__getitem__, reverse=True)[:limit]

    # -- scoring ----------------------------------------------------------------------------------
    def compare(self, query: NameKey, listed: NameKey) -> Alignment:
        """The aligned score of a query name against one list name, in [0, 1]."""
        q_tokens = _merge_glued(query.tokens, set(listed.tokens))
        l_tokens = _merge_glued(listed.tokens, set(q_tokens))
        q_weights = [self.weight(t) * (STOP_WEIGHT if t in _stops(query) else 1.0) for t in q_tokens]
        l_weights = [self.weight(t) * (STOP_WEIGHT if t in _stops(listed) else 1.0) for t in l_tokens]
        pairs = sorted(
            (
                (s, i, j)
                for i, a in enumerate(q_tokens)
                for j, b in enumerate(l_tokens)
                if (s := token_similarity(a, b)) > 0
            ),
            reverse=True,
        )
        used_q: dict[int, tuple[int, float]] = {}
        used_l: set[int] = set()
        for s, i, j in pairs:
            if i not in used_q and j not in used_l:
                used_q[i] = (j, s)
                used_l.add(j)
        matched = sum((q_weights[i] + l_weights[j]) / 2 for i, (j, _) in used_q.items())
        gained = sum(s * (q_weights[i] + l_weights[j]) / 2 for i, (j, s) in used_q.items())
        extra_q = sum(w for i, w in enumerate(q_weights) if i not in used_q)
        extra_l = sum(w for j, w in enumerate(l_weights) if j not in used_l)
        total = matched + EXTRA_QUERY * extra_q + EXTRA_LIST * extra_l
        score = gained / total if total > 0 else 0.0
        order = [j for _, (j, _) in sorted(used_q.items())]
        if order != sorted(order):
            score *= REORDERED
        if query.legal and listed.legal:
            score *= 1.0 if query.legal & listed.legal else LEGAL_DIFFERENT
        elif query.legal or listed.legal:
            score *= LEGAL_MISSING
        return Alignment(
            score=round(score, 4),
            pairs=tuple((q_tokens[i], l_tokens[j], round(s, 3)) for i, (j, s) in sorted(used_q.items())),
            unmatched_query=tuple(t for i, t in enumerate(q_tokens) if i not in used_q),
            unmatched_list=tuple(t for j, t in enumerate(l_tokens) if j not in used_l),
        )


def _deletions(token: str) -> set[str]:
    return {token, *(token[:i] + token[i + 1 :] for i in range(len(token)))}


def _stops(key: NameKey) -> set[str]:
    return {key.tokens[i] for i in key.stop}
