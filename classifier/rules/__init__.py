"""Stage 4: deterministic rules over the ranked suggestions. Each module is one rule, returns Findings
with a CFR citation, and may re-order suggestions (saying so in its finding).

Run order: encryption (may re-order), MTCR Category I and II, order of review (on the final top
suggestion), license (when a destination is given), de minimis (when values are given).
"""

from __future__ import annotations

from typing import Any

from classifier.corpus import Corpus
from classifier.countries import Country
from classifier.facts import Facts
from classifier.result import Finding, Suggestion
from classifier.rules import de_minimis, encryption, license, mtcr, order_of_review
from classifier.rules.base import RuleContext


def apply_rules(
    facts: Facts, suggestions: list[Suggestion], corpus: Corpus, destination: Country | None
) -> tuple[list[Suggestion], list[Finding], dict[str, Any] | None]:
    """Run every rule; returns the (possibly re-ordered) suggestions, the findings and the license view."""
    ctx = RuleContext(facts, list(suggestions), corpus, destination)
    findings = [*encryption.evaluate(ctx), *mtcr.category_1(ctx), *mtcr.category_2(ctx), *order_of_review.evaluate(ctx)]
    license_findings, view = license.evaluate(ctx, findings)
    findings += license_findings
    findings += de_minimis.evaluate(corpus, facts.extra, destination)
    return ctx.suggestions, findings, view
