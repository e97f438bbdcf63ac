"""Stage 5, first half: scored entries become Suggestions a person can check.

Each suggestion carries its reasons (retrieval similarity and rank, shared terms, the description's
numbers against the paragraph's thresholds, crypto and mass-market cues, catch-all status, how many of
the entry's paragraphs were found); an EAR99 answer lists the entries considered and why each was not
kept; a suggestion that agrees with a close past decision quotes it.
"""

from __future__ import annotations

from typing import Any

from classifier.conditions import Evidence, Status
from classifier.documents import Document
from classifier.eccn import EAR99
from classifier.facts import Facts
from classifier.lexical import tokenize
from classifier.quantities import Quantity
from classifier.result import Precedent, RuledOut, Suggestion, percent
from classifier.retrieve import Candidate

CONSIDERED = 5  # entries listed as considered under an EAR99 answer


class Explainer:
    """What never changes about the documents that the reasons need: their tokens and thresholds."""

    def __init__(self, docs: list[Document], thresholds: list[list[Quantity]]) -> None:
        self.docs = docs
        self.thresholds = thresholds
        self.doc_tokens = [frozenset(tokenize(d.paragraph)) for d in docs]

    def suggestion(
        self,
        facts: Facts,
        query_tokens: frozenset[str],
        cand: Candidate,
        score: float,
        conf: float,
        support: int,
        evidence: Evidence | None = None,
    ) -> Suggestion:
        doc = self.docs[cand.doc]
        return Suggestion(
            eccn=doc.id,
            confidence=round(conf, 4),
            paragraph_id=doc.id,
            paragraph=doc.paragraph,
            heading=doc.heading,
            reasons=self.reasons(facts, query_tokens, cand, support, evidence),
            score=round(score, 4),
        )

    def reasons(
        self,
        facts: Facts,
        query_tokens: frozenset[str],
        cand: Candidate,
        support: int,
        evidence: Evidence | None = None,
    ) -> list[str]:
        """Why a candidate ranked where it did; thresholds are compared through ``evidence`` (``conditions``), which
        compares a number only with a threshold on the same quantity ("400 km" range is no altitude)."""
        doc = self.docs[cand.doc]
        reasons = []
        if cand.dense_rank < 1000:
            reasons.append(
                f"meaning close to the paragraph (similarity {cand.dense_score:.2f}, rank {cand.dense_rank})"
            )
        shared = sorted(self.doc_tokens[cand.doc] & query_tokens)
        if shared:
            reasons.append("shared terms: " + ", ".join(shared[:8]))
        if evidence is not None:  # the same quantity on both sides, never only the same unit dimension
            for check in evidence.path(doc.id).checks:
                if check.kind == "threshold" and check.status is not Status.UNKNOWN:
                    reasons.append(f"{check.paragraph}: {check.detail}")
        if facts.uses_crypto and doc.eccn[:5] in ("5A002", "5D002", "5A992", "5D992", "5A004", "5E002"):
            reasons.append("encryption terms in the description: " + ", ".join(facts.crypto_terms[:5]))
        if facts.mass_market_terms and doc.eccn[:5] in ("5A992", "5D992"):
            reasons.append("mass-market terms: " + ", ".join(facts.mass_market_terms[:5]))
        if doc.eccn[2] == "9":
            reasons.append("anti-terrorism catch-all entry (x9xx): applies when no stricter entry fits")
        if support > 1:
            reasons.append(f"{support} paragraphs of {doc.eccn} were retrieved")
        return reasons


def ear99_suggestion(suggestions: list[Suggestion], p_ear99: float) -> Suggestion:
    considered = []
    for s in suggestions[:CONSIDERED]:
        misses = [r for r in s.reasons if "does not meet" in r]
        why = (
            "; ".join(misses)
            if misses
            else (f"weak match: {percent(s.confidence)} likely, against {percent(p_ear99)} that no CCL entry applies")
        )
        considered.append(RuledOut(s.eccn, s.paragraph_id, s.confidence, why))
    return Suggestion(
        eccn=EAR99,
        confidence=round(p_ear99, 4),
        paragraph_id="",
        paragraph=(
            "EAR99: subject to the EAR but not described by any ECCN on the Commerce Control List "
            "(15 CFR 734.3(c)). This is not the same as 'not subject to the EAR'."
        ),
        heading="Items subject to the EAR not elsewhere specified on the CCL",
        reasons=["no CCL paragraph matched strongly enough; the closest are listed as considered"],
        considered=considered,
        score=round(p_ear99, 4),
    )


def quote_precedents(suggestions: list[Suggestion], precedents: list[Precedent]) -> None:
    """A suggestion that agrees with a close past decision quotes it as its first reason."""
    for s in suggestions:
        agreeing = next((p for p in precedents if p.agrees_with == s.head), None)
        if agreeing is not None:
            quote = f"past decision {agreeing.eccn} for '{agreeing.description}'"
            s.reasons.insert(0, f"{quote} ({agreeing.source}, similarity {agreeing.similarity:.2f})")


def facts_dict(facts: Facts) -> dict[str, Any]:
    """The facts that were found (read or given), for the result and the rationale record."""
    data = {name: getattr(facts, name) for name in facts.__dataclass_fields__ if name != "text"}
    data["quantities"] = [q.text for q in facts.quantities]
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in data.items() if v not in (None, (), [], {}, False)}
