"""What triage reads and returns: an application, the reasons to look at it, its priority and score."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from classifier.result import NOTICE, Classification, percent

SEVERITY_RANK = {"high": 0, "medium": 1, "low": 2}


@dataclass(frozen=True)
class Application:
    """One license application as a licensing officer receives it."""

    description: str
    destination: str
    claimed_eccn: str = ""
    end_user: str = ""
    consignee: str = ""
    end_use: str = ""
    value: float | None = None
    id: str = ""


@dataclass
class Reason:
    """One reason to look at an application, with the evidence and the rule behind it."""

    code: str  # stable id: "screening", "mtcr_category_1", "claimed_ear99_controlled", ...
    severity: str  # "high", "medium" or "low"
    weight: float
    title: str
    detail: str
    citation: str

    def line(self) -> str:
        return f"[{self.severity}] {self.title}: {self.detail} ({self.citation})"


@dataclass
class TriageResult:
    """Priority, a score to order by within it, every reason with its citation, and the classification."""

    application: Application
    priority: str
    score: float
    reasons: list[Reason]
    classification: Classification | None
    error: str = ""
    notice: str = NOTICE
    list_date: str = ""

    @property
    def sort_key(self) -> tuple[int, float]:
        return SEVERITY_RANK.get(self.priority, 3), -self.score

    def summary(self) -> dict[str, Any]:
        """The classification behind the reasons, in brief."""
        c = self.classification
        if c is None:
            return {}
        return {
            "suggestions": [
                {
                    "eccn": s.eccn,
                    "confidence": round(s.confidence, 4),
                    "shown": percent(s.confidence),
                    "heading": s.heading,
                }
                for s in c.suggestions
            ],
            "findings": [
                {"rule": f.rule, "triggered": f.triggered, "outcome": f.outcome, "citation": f.citation}
                for f in c.findings
            ],
            "license": c.license,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "application": asdict(self.application),
            "priority": self.priority,
            "score": self.score,
            "reasons": [asdict(r) for r in self.reasons],
            "classification": self.summary(),
            "list_date": self.list_date,
            "error": self.error,
            "notice": self.notice,
        }


@dataclass
class Weights:
    """How reasons add up: the priority is the most severe reason, the score their weights plus value."""

    value_weight_per_decade: float = 1.0
    order: list[str] = field(default_factory=lambda: ["high", "medium", "low"])

    def priority(self, reasons: list[Reason]) -> str:
        return min((r.severity for r in reasons), key=lambda s: SEVERITY_RANK.get(s, 3), default="low")

    def score(self, reasons: list[Reason], value: float | None) -> float:
        extra = self.value_weight_per_decade * math.log10(1 + value) if value and value > 0 else 0.0
        return round(sum(r.weight for r in reasons) + extra, 2)
