"""Triage of license applications: which ones a licensing officer should see first, and why.

``triage(clf, Application(...))`` classifies the item (with the destination and the named parties, so the
screening, MTCR, license and encryption rules run) and gathers every reason to look at it, each with its
citation: screening hits (``reasons.py``), MTCR Category I, the claimed ECCN against the suggestions, the
license answer, the destination's embargo and Country Groups, and what the application's own words show
(``cues.py``: military end use or user, encryption for a government end user, Know Your Customer red
flags). The priority is the most severe reason (high, medium, low); the score (sum of the weights, plus a
little for the value) orders the queue within a priority. ``queue.py`` does this for a whole file.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from classifier.countries import UnknownCountry
from classifier.result import Classification
from classifier.triage import cues, reasons
from classifier.triage.model import Application, Reason, TriageResult, Weights

if TYPE_CHECKING:
    from classifier.engine import Classifier

__all__ = ["Application", "Reason", "TriageResult", "triage", "triage_many"]


def _weights(table: dict[str, Any]) -> Weights:
    return Weights(
        table.get("value_weight_per_decade", 1.0), list(table.get("priority_order", ["high", "medium", "low"]))
    )


def _facts(app: Application) -> dict[str, Any]:
    facts = {"destination": app.destination, "end_user": app.end_user, "consignee": app.consignee}
    return {k: v for k, v in facts.items() if v}


def _result(clf: Classifier, app: Application, classification: Any, table: dict[str, Any]) -> TriageResult:
    country = clf.corpus.country_table.resolve(app.destination)
    found: list[Reason] = [
        *reasons.screening_reasons(classification, table),
        *reasons.mtcr_reasons(classification, table),
        *reasons.claimed_eccn_reasons(app.claimed_eccn, classification, clf.corpus, table),
        *reasons.license_reasons(classification, table),
        *reasons.destination_reasons(country, table),
        *cues.military_reasons(app, country, table),
        *cues.encryption_reasons(app, classification, table),
        *cues.red_flag_reasons(app, classification, table),
    ]
    weights = _weights(table)
    found.sort(key=lambda r: ({"high": 0, "medium": 1, "low": 2}.get(r.severity, 3), -r.weight))
    dates = [f.facts.get("list_date", "") for f in classification.findings if f.rule == "screening"]
    return TriageResult(
        application=app,
        priority=weights.priority(found),
        score=weights.score(found, app.value),
        reasons=found,
        classification=classification,
        list_date=next((d for d in dates if d), ""),
    )


def _check(app: Application) -> str:
    """What is missing from an application before it can be triaged ("" when nothing)."""
    if not app.description.strip():
        return "the application has no item description"
    if not app.destination.strip():
        return "the application has no destination"
    if app.value is not None and app.value < 0:
        return f"the value {app.value} is negative"
    return ""


def triage_many(clf: Classifier, apps: Sequence[Application], top_k: int = 5) -> list[TriageResult]:
    """Triage applications in input order (one encoder call for the batch); a bad application gets an
    ``error`` and priority "error" without stopping the others."""
    from classifier.engine import InputError

    table = clf.corpus.rule_table("triage")
    results: list[TriageResult | None] = [None] * len(apps)
    good = []
    for i, app in enumerate(apps):
        problem = _check(app)
        if not problem:
            try:
                clf.corpus.country_table.resolve(app.destination)
            except UnknownCountry as err:
                problem = str(err)
        if problem:
            results[i] = TriageResult(app, "error", 0.0, [], None, error=problem)
        else:
            good.append(i)
    classified: list[Classification | Exception]
    try:
        classified = list(
            clf.classify_many(
                [apps[i].description for i in good], top_k=top_k, facts_per_text=[_facts(apps[i]) for i in good]
            )
        )
    except InputError:
        classified = []
        for i in good:  # find the application(s) at fault
            try:
                classified.append(clf.classify(apps[i].description, top_k=top_k, **_facts(apps[i])))
            except InputError as err:
                classified.append(err)
    for i, c in zip(good, classified, strict=True):
        if isinstance(c, Exception):
            results[i] = TriageResult(apps[i], "error", 0.0, [], None, error=str(c))
        else:
            results[i] = _result(clf, apps[i], c, table)
    return [r for r in results if r is not None]


def triage(clf: Classifier, app: Application, top_k: int = 5) -> TriageResult:
    """Triage one application (its ``error`` says what to fix when it cannot be triaged)."""
    return triage_many(clf, [app], top_k)[0]
