"""Stage 4: controlled only with evidence — decide like a classifier does.

The ranker says which CCL paragraphs are about the item; the regulation says which of them control it.
A paragraph that controls by parameters (thresholds, "space-qualified", "deformable" …) comes first only
when its deciding conditions are met for this description (``conditions.py``). Otherwise the answer is
where the item falls without them: the next suggestion whose conditions hold, the family's catch-all
(x99x) or EAR99 (Supp. No. 4 to part 774, Steps 5 and 6). The held-back paragraph stays in the list,
marked with what would make it apply, and each unknown condition that would change the answer becomes a
question. A first answer that depends on an unanswered question cannot show high confidence.
"""

from __future__ import annotations

from dataclasses import dataclass

from classifier.conditions import Check, ConditionBook, Evidence, Status, Verdict
from classifier.eccn import ECCN
from classifier.result import Question, Suggestion

NEEDS_ANSWER_CAP = 0.5  # the most confidence a first answer that waits on a question may show
MAX_QUESTIONS = 5
QUESTION_FLOOR = 0.05  # a held-back paragraph ranked below the answer is asked about only from this confidence
WAITING_FLOOR = 0.2  # a held-back paragraph ranked above the answer this likely makes the answer wait on a question
CCL = "15 CFR part 774, Supplement No. 1"
REVIEW_ORDER = "15 CFR part 774, Supplement No. 4, paragraphs (a)(5) and (a)(6)"


def is_controlled(head: str) -> bool:
    """An entry that controls by its own parameters, not an anti-terrorism catch-all (x9xx) or EAR99."""
    if head == "EAR99":
        return False
    return ECCN.parse(head).regime_digit != "9"


def held_back(verdict: Verdict, head: str) -> bool:
    """Does this paragraph lack the evidence to come first? A paragraph whose conditions fail never does; a
    paragraph whose deciding thresholds or qualifiers are not stated waits for an answer (a catch-all too:
    3A991.a.2 controls by clock frequency); a catch-all described only in words stays, with its questions."""
    if verdict.status is Status.NOT_MET:
        return True
    if verdict.status is not Status.UNKNOWN:
        return False
    return is_controlled(head) or bool(verdict.unknown_parameters)


def _summary(checks: list[Check]) -> str:
    return "; ".join(dict.fromkeys(c.detail for c in checks))


def annotate(suggestion: Suggestion, verdict: Verdict) -> None:
    """Write a suggestion's condition status and checks on it, and, if it is held back, why."""
    suggestion.conditions = verdict.status.word if verdict.checks else ""
    suggestion.checks = list(dict.fromkeys(f"{c.paragraph}: {c.detail} ({c.status.word})" for c in verdict.checks))
    if verdict.status is Status.NOT_MET:
        suggestion.applies_only_if = f"does not apply: {_summary(verdict.failed)}"
        suggestion.reasons.insert(0, f"held back: its deciding conditions are not met ({_summary(verdict.failed)})")
    elif held_back(verdict, suggestion.head):
        suggestion.applies_only_if = f"applies only if: {_summary(verdict.unknown)}"
        suggestion.reasons.insert(
            0, f"held back: controls only with evidence, and the description does not state {_summary(verdict.unknown)}"
        )


@dataclass
class Decision:
    suggestions: list[Suggestion]  # the answer first; held-back paragraphs after, marked
    verdicts: dict[str, Verdict]  # the condition verdict of each ranked paragraph
    held: list[Suggestion]  # held back for lack of evidence, in ranker order
    above: set[str]  # held-back paragraphs the ranker had put above the first kept one


def _question(check: Check, separates: list[str], book: ConditionBook) -> Question:
    where = f"{CCL}, {check.paragraph}" + (" (Note excluding items from it)" if check.exclusion else "")
    ask = check.question or f"What is the {check.parameter}?"
    return Question(check.parameter, ask, check.condition, list(dict.fromkeys(separates)), where)


def questions(
    first: Suggestion,
    verdicts: dict[str, Verdict],
    held: list[Suggestion],
    book: ConditionBook,
    above: set[str] | None = None,
) -> list[Question]:
    """The unknown conditions that would change the answer, best first: what could still exclude or decide
    the first answer, then what would make each held-back paragraph apply (those the ranker put above the
    answer, and others only when they are not unlikely)."""
    found: list[Question] = []
    seen: set[str] = set()

    def add(check: Check, separates: list[str]) -> None:
        if check.parameter and check.parameter not in seen and len(found) < MAX_QUESTIONS:
            seen.add(check.parameter)
            found.append(_question(check, separates, book))

    first_verdict = verdicts.get(first.paragraph_id)
    if first_verdict is not None:
        fallback = book.caught_by.get(first.head, "EAR99")
        for check in first_verdict.open_exclusions:
            add(check, [first.eccn, fallback])
        for check in first_verdict.unknown:
            if not check.exclusion:
                add(check, [first.eccn, fallback])
    for suggestion in held:
        verdict = verdicts.get(suggestion.paragraph_id)
        if verdict is None or verdict.status is not Status.UNKNOWN:
            continue
        if suggestion.eccn not in (above or set()) and suggestion.confidence < QUESTION_FLOOR:
            continue
        for check in verdict.unknown:
            if not check.exclusion:
                add(check, [suggestion.eccn, first.eccn])
    return found


GROUP_ITEMS = {"D": "software", "E": "technology"}


def wrong_kind(paragraph_id: str, physical: bool) -> Verdict | None:
    """Product groups D and E control software and technology (Supp. No. 1 to part 774): for a description of a
    physical item they do not apply, however close their words."""
    group = ECCN.parse(paragraph_id).group if paragraph_id and paragraph_id != "EAR99" else None
    if not physical or group not in GROUP_ITEMS:
        return None
    head = ECCN.parse(paragraph_id).head
    check = Check(
        paragraph_id,
        Status.NOT_MET,
        f"product group {group}: {GROUP_ITEMS[group]}",
        "kind of item",
        f"{head} controls {GROUP_ITEMS[group]}; the description is of a physical item",
        kind="group",
    )
    return Verdict(paragraph_id, Status.NOT_MET, [check])


def verdict_for(paragraph_id: str, evidence: Evidence, physical: bool) -> Verdict:
    """What decides whether a paragraph may come first: the kind of item, then its deciding conditions."""
    return wrong_kind(paragraph_id, physical) or evidence.path(paragraph_id)


def decide(
    suggestions: list[Suggestion],
    ear99: Suggestion | None,
    evidence: Evidence,
    ear99_shown: float = 0.0,
    physical: bool = False,
    ear99_margin: float = 0.0,
) -> Decision:
    """Order the ranked suggestions (ranker order, EAR99 not yet placed) so that the first one is the
    first whose conditions hold; EAR99 takes its place by probability among them (listed when it comes
    first or is at least ``ear99_shown`` likely; it comes first only when it is more likely than the first kept
    entry by ``ear99_margin``). ``physical``: the description is of a commodity, so software (D) and
    technology (E) entries do not apply."""
    verdicts: dict[str, Verdict] = {}
    kept: list[Suggestion] = []
    held: list[Suggestion] = []
    ruled_out = 0.0
    above: set[str] = set()
    for s in suggestions:
        verdict = verdict_for(s.paragraph_id, evidence, physical)
        verdicts[s.paragraph_id] = verdict
        annotate(s, verdict)
        if held_back(verdict, s.head):
            held.append(s)
            if not kept:
                above.add(s.eccn)
                if verdict.status is Status.NOT_MET:
                    ruled_out += s.confidence
        else:
            kept.append(s)
    # ruling out the suggestions above it makes the first kept one likelier (they no longer compete)
    share = max(1e-6, 1.0 - min(ruled_out, 0.95))
    for s in kept[:1]:
        s.confidence = round(min(0.99, s.confidence / share), 4)
    if ear99 is not None:
        at = next(
            (i for i, s in enumerate(kept) if s.confidence + (ear99_margin if i == 0 else 0.0) < ear99.confidence),
            len(kept),
        )
        if at == 0 or ear99.confidence >= ear99_shown:
            kept.insert(at, ear99)
    return Decision(kept + held, verdicts, held, above)


def finalize(
    suggestions: list[Suggestion], decision: Decision, book: ConditionBook, asked: list[Question]
) -> tuple[list[Question], bool]:
    """After the rules: the questions for the final answer, whether it needs the user's answer, and
    confidences that agree with the order (nothing below the first shows more confidence than it)."""
    if not suggestions:
        return asked, False
    first = suggestions[0]
    found = questions(first, decision.verdicts, decision.held, book, decision.above)
    merged = [*asked, *(q for q in found if q.parameter not in {a.parameter for a in asked})][:MAX_QUESTIONS]
    verdict = decision.verdicts.get(first.paragraph_id)
    unsure = verdict is not None and bool(verdict.unknown_parameters or verdict.open_exclusions)
    waiting = any(
        s.confidence >= WAITING_FLOOR
        and s.eccn in decision.above
        and decision.verdicts[s.paragraph_id].status is Status.UNKNOWN
        for s in decision.held
    )
    needs_answer = bool(asked) or (bool(merged) and (unsure or waiting))
    if needs_answer:
        first.confidence = min(first.confidence, NEEDS_ANSWER_CAP)
        first.reasons.insert(0, "needs your answer: " + "; ".join(q.parameter for q in merged[:3]))
    floor = first.confidence
    for s in suggestions[1:]:
        verdict = decision.verdicts.get(s.paragraph_id)
        if s in decision.held and verdict is not None and verdict.status is Status.NOT_MET:
            s.confidence = 0.0  # its conditions are not met: it does not apply
        else:
            s.confidence = min(s.confidence, floor)  # the list reads best first
            floor = s.confidence if s not in decision.held else floor
    return merged, needs_answer


def answered_questions(answers: dict[str, object]) -> list[Question]:
    """The answers a user gave, recorded with the result (and in the memo) as answered questions."""
    return [
        Question(str(name), f"given by the user: {name} = {value}", "", [], "stated by the user", str(value))
        for name, value in answers.items()
    ]
