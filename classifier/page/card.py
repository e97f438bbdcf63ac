"""The answer card: what a compliance officer reads first, and the one verdict the page gives.

The card states the first suggestion (or EAR99) with its confidence in words and number, the license
verdict for the destination with its basis, the questions still waiting for the user's answer, and a
short list of what to do next. When a finding decides (probably subject to the ITAR, MTCR Category I, an
embargo, a screening match) the card says so and its headline follows the finding, so no part of the
page offers a second answer that contradicts it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from classifier.result import Classification, Finding, Question, percent

RECORDS = "15 CFR part 762 (recordkeeping)"
ORDER_OF_REVIEW = "15 CFR part 774, Supplement No. 4"


def confidence_words(confidence: float, needs_answer: bool) -> str:
    """The calibrated confidence for people; an answer that waits on a question says so first."""
    if needs_answer:
        return "needs your answer"
    if confidence >= 0.8:
        return "high"
    if confidence >= 0.5:
        return "moderate"
    if confidence >= 0.2:
        return "low"
    return "very low"


@dataclass
class Card:
    eccn: str
    heading: str
    confidence: float
    confidence_text: str  # "62 % (moderate)"
    headline: str  # what the card says the item is
    title: str = ""  # the card's heading: the ECCN, or "Probably ITAR" when a finding says so
    decided_by: str = ""  # the finding that overrides the ranking, in words ("" when none does)
    license_verdict: str = ""  # "required", "not required", "review" or "" without a destination
    license_text: str = ""  # the verdict for people with its basis
    questions: list[Question] = field(default_factory=list)
    answered: list[Question] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)


def _triggered(result: Classification, rule: str) -> list[Finding]:
    return [f for f in result.findings if f.rule == rule and f.triggered]


def _screening_hits(result: Classification) -> list[Finding]:
    return [f for f in _triggered(result, "screening") if f.facts.get("matches")]


def decided_by(result: Classification) -> str:
    """The finding that decides over the ranking, in words; "" when the ranking stands."""
    view = result.license or {}
    mtcr = _triggered(result, "mtcr_category_1")
    if view.get("jurisdiction") == "ITAR":
        return f"{result.top.eccn} points to the USML: the item is subject to the ITAR (State Department)"
    if mtcr:
        return f"{mtcr[0].outcome} ({mtcr[0].citation}); probably subject to the ITAR"
    if view.get("jurisdiction") == "probably ITAR":
        return "probably subject to the ITAR (State Department): confirm jurisdiction first"
    if view.get("embargo"):
        return f"embargoed destination: {view['embargo']['note']}"
    step3 = [f for f in _triggered(result, "order_of_review") if "Step 3" in f.outcome]
    if step3:
        return f"order of review, Step 3: {step3[0].outcome}"
    return ""


def _itar(result: Classification) -> bool:
    view = result.license or {}
    return view.get("jurisdiction") in ("ITAR", "probably ITAR") or bool(_triggered(result, "mtcr_category_1"))


def _headline(result: Classification) -> str:
    top = result.top
    if _itar(result):
        return (
            f"Probably subject to the ITAR — the CCL entry for it, if the State Department says it is not: {top.eccn}"
        )
    if top.eccn == "EAR99":
        return "EAR99 — subject to the EAR, on no ECCN"
    return f"{top.eccn} — {top.heading}"


def _license(result: Classification) -> tuple[str, str]:
    view = result.license
    if not view:
        return "", "No destination given: choose one under Optional facts to see whether a license is required."
    verdict, text = view["verdict"], view["headline"]  # the headline starts with the verdict in words
    if view.get("jurisdiction") == "probably ITAR" or _triggered(result, "mtcr_category_1"):
        text = f"Probably ITAR: the State Department decides first. Under the EAR: {view['headline']}"
    hits = _screening_hits(result)
    if hits and verdict != "required":
        verdict = "review"
        text = (
            f"REVIEW — a named party matches a screening list ({hits[0].citation}); the item alone: {view['headline']}"
        )
    return verdict, text


def next_steps(result: Classification, decided: str) -> list[str]:
    steps = []
    if result.needs_answer or result.questions:
        steps.append("Answer the questions below: the page classifies again with your answers.")
    if decided and ("ITAR" in decided or "MTCR" in decided):
        steps.append(
            "Confirm jurisdiction with the State Department (USML) before relying on an ECCN: the order of review "
            f"starts with the USML ({ORDER_OF_REVIEW})."
        )
    view = result.license
    if view and view["verdict"] == "required":
        offered = ", ".join(e["symbol"] for e in view.get("license_exceptions", []))
        steps.append(
            "A license is required: check the license exceptions listed under License"
            + (f" ({offered})" if offered else "")
            + " before applying to BIS."
        )
    if view and view["verdict"] == "review":
        reads = list(dict.fromkeys(r for item in view["review"] for r in item["read"]))
        steps.append("Read before deciding: " + "; ".join(reads[:3]) + ".")
    for f in _triggered(result, "encryption"):
        steps.append(f"Encryption: {f.outcome} [{f.citation}]")
    screened = [f for f in result.findings if f.rule == "screening"]
    for f in _screening_hits(result):
        steps.append(f"Screening match — resolve it before shipping: {f.outcome} [{f.citation}]")
    if not screened:
        steps.append("Screen the end user and consignee: type their names under Optional facts.")
    elif not _screening_hits(result):
        steps.append("Screening: no match for the named parties (" + "; ".join(f.outcome for f in screened[:2]) + ").")
    steps.append(f"Keep the record: download the memo (PDF), write the final decision and sign it ({RECORDS}).")
    return list(dict.fromkeys(steps))


def answer_card(result: Classification) -> Card:
    top = result.top
    decided = decided_by(result)
    verdict, license_text = _license(result)
    return Card(
        eccn=top.eccn,
        heading=top.heading,
        confidence=top.confidence,
        confidence_text=f"{percent(top.confidence)} ({confidence_words(top.confidence, result.needs_answer)})",
        headline=_headline(result),
        title="Probably subject to the ITAR" if _itar(result) else top.eccn,
        decided_by=decided,
        license_verdict=verdict,
        license_text=license_text,
        questions=list(result.questions),
        answered=list(result.answered),
        next_steps=next_steps(result, decided),
    )


def card_html(card: Card) -> str:
    e = html.escape
    verdict_class = card.license_verdict.replace(" ", "-") or "none"
    decided = f'<p class="decided"><b>Decided by a finding:</b> {e(card.decided_by)}</p>' if card.decided_by else ""
    asked = "".join(f"<li>{e(q.ask)}</li>" for q in card.questions)
    answered = "".join(f"<li>{e(q.parameter)} = {e(q.answer)}</li>" for q in card.answered)
    steps = "".join(f"<li>{e(s)}</li>" for s in card.next_steps)
    return (
        f'<section class="card" aria-label="Answer" data-eccn="{e(card.eccn)}">'
        f'<h2 class="answer">{e(card.title)} <span class="confidence">{e(card.confidence_text)}</span></h2>'
        f'<p class="headline">{e(card.headline)}</p>{decided}'
        f'<p class="license license-{verdict_class}"><b>License:</b> {e(card.license_text)}</p>'
        + (
            f'<div class="questions"><p><b>Needs your answer</b> (type it below):</p><ul>{asked}</ul></div>'
            if asked
            else ""
        )
        + (f"<p><b>Answers given:</b></p><ul>{answered}</ul>" if answered else "")
        + f'<details class="next" open><summary>What to do next</summary><ol>{steps}</ol></details>'
        "</section>"
    )
