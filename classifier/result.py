"""Stage 5: what a classification returns: suggestions, findings, evidence and provenance.

Plain dataclasses with ``to_dict`` so the CLI (``--json``), the batch writer, the app and the
rationale record all show the same thing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

NOTICE = "Suggestions support, and do not replace, a person's classification decision under the EAR."


MAX_SHOWN = 0.99  # confidences are calibrated and capped: nothing is shown as certain ("100%")


def percent(confidence: float) -> str:
    """A confidence for people: "<1%" rather than a misleading "0%" for a small but non-zero chance, and
    never "100%" (a probability of 0.996 is shown as 99%)."""
    return "<1%" if confidence < 0.005 else f"{min(confidence, MAX_SHOWN):.0%}"


@dataclass
class RuledOut:
    """An ECCN that was considered for an EAR99 answer, and why it was not kept."""

    eccn: str
    paragraph_id: str
    confidence: float
    why: str


@dataclass
class Suggestion:
    eccn: str  # normalized ECCN paragraph id, or "EAR99"
    confidence: float  # calibrated probability that this answer is right, in [0, 1]
    paragraph_id: str
    paragraph: str  # the CCL text that matched
    heading: str
    reasons: list[str] = field(default_factory=list)
    considered: list[RuledOut] = field(default_factory=list)  # EAR99 only
    score: float = 0.0  # the ranker's raw score, for ordering and audits
    conditions: str = ""  # its deciding conditions for this description: "met", "not met", "not stated" or ""
    checks: list[str] = field(default_factory=list)  # each deciding condition against the description
    applies_only_if: str = ""  # for a paragraph held back for lack of evidence: what would make it apply

    @property
    def head(self) -> str:
        return self.eccn.split(".")[0]


@dataclass
class Question:
    """An unknown condition whose answer would change the classification (the wizard's question)."""

    parameter: str  # the name to answer with: "frame rate", "space_qualified", "mass_market"
    ask: str  # the question, for people
    condition: str  # the regulation's threshold or property ("<= 9 Hz", "“space-qualified”")
    paragraphs: list[str]  # the paragraphs the answer separates ("6A003.b.4.b", "6A993.a")
    citation: str
    answer: str = ""  # the answer the user gave, when re-classified with it


@dataclass
class Finding:
    rule: str  # stable id: "encryption", "de_minimis", "mtcr_category_1", ...
    triggered: bool
    outcome: str
    citation: str
    explanation: str
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass
class MTCRMatch:
    item: str  # "2.c"
    category: str  # "I" or "II"
    text: str
    similarity: float


@dataclass
class Precedent:
    """A past decision (from a decisions file) close to this description."""

    description: str
    eccn: str
    source: str  # "decisions.csv row 12"
    similarity: float

    @property
    def agrees_with(self) -> str:
        return self.eccn.split(".")[0]

    def describe(self, first: Suggestion) -> str:
        """One line for people, saying whether the first suggestion agrees with this past decision."""
        verdict = "agrees with" if first.head == self.agrees_with else "DIFFERS from"
        return (
            f"{self.eccn} for '{self.description}' ({self.source}, similarity {self.similarity:.2f}); "
            f"the first suggestion {first.eccn} {verdict} it"
        )


@dataclass
class Classification:
    text: str
    suggestions: list[Suggestion]
    findings: list[Finding] = field(default_factory=list)
    mtcr_matches: list[MTCRMatch] = field(default_factory=list)
    precedents: list[Precedent] = field(default_factory=list)  # close past decisions, closest first
    facts: dict[str, Any] = field(default_factory=dict)
    license: dict[str, Any] | None = None
    provenance: dict[str, Any] = field(default_factory=dict)
    questions: list[Question] = field(default_factory=list)  # unknown conditions that decide, best first
    answered: list[Question] = field(default_factory=list)  # questions the user answered for this result
    needs_answer: bool = False  # the first suggestion depends on an answer the description does not give
    notice: str = NOTICE
    warnings: list[str] = field(default_factory=list)  # what was changed in the input before reading it

    @property
    def top(self) -> Suggestion:
        return self.suggestions[0]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
