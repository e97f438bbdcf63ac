"""Stage 4: deterministic rules over the ranked suggestions. Each module is one rule, returns Findings
with a CFR citation, and may re-order suggestions (saying so in its finding).

Run order: encryption (may re-order), civil aircraft parts (may re-order), MTCR Category I and II, order
of review (on the final top suggestion), license (when a destination is given), de minimis (when values
are given), screening of the named parties (end user, consignee).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from classifier.corpus import Corpus
from classifier.countries import Country
from classifier.facts import Facts
from classifier.result import Finding, Question, Suggestion
from classifier.rules import civil_aircraft, de_minimis, encryption, license, mtcr, order_of_review, parties
from classifier.rules.base import RuleContext


@dataclass
class RuleOutcome:
    suggestions: list[Suggestion]  # possibly re-ordered
    findings: list[Finding]
    license: dict[str, Any] | None
    questions: list[Question]  # what the rules need the user to answer

    @property
    def parameters(self) -> set[str]:
        return {q.parameter for q in self.questions}


def apply_rules(
    facts: Facts, suggestions: list[Suggestion], corpus: Corpus, destination: Country | None
) -> RuleOutcome:
    """Run every rule; returns the (possibly re-ordered) suggestions, the findings, the license view and the
    questions the rules ask."""
    ctx = RuleContext(facts, list(suggestions), corpus, destination)
    findings = [
        *encryption.evaluate(ctx),
        *civil_aircraft.evaluate(ctx),
        *mtcr.category_1(ctx),
        *mtcr.category_2(ctx),
        *order_of_review.evaluate(ctx),
    ]
    license_findings, view = license.evaluate(ctx, findings)
    findings += license_findings
    findings += de_minimis.evaluate(corpus, facts.extra, destination)
    findings += parties.evaluate(facts, corpus, destination)
    return RuleOutcome(ctx.suggestions, findings, view, ctx.questions)
