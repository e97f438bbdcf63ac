"""What every rule shares: the context it reads and may re-order, and small helpers for findings."""

from __future__ import annotations

from dataclasses import dataclass, field

from classifier.corpus import Corpus
from classifier.countries import Country
from classifier.eccn import ECCN
from classifier.facts import Facts
from classifier.result import Finding, Question, Suggestion


@dataclass
class RuleContext:
    """The facts of one request, the ranked suggestions (which a rule may re-order) and the corpus."""

    facts: Facts
    suggestions: list[Suggestion]
    corpus: Corpus
    destination: Country | None = None
    changes: list[str] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)  # what a rule needs the user to answer

    def ask(self, question: Question) -> None:
        if all(q.parameter != question.parameter for q in self.questions):
            self.questions.append(question)

    @property
    def top(self) -> Suggestion | None:
        return self.suggestions[0] if self.suggestions else None

    def promote(self, eccn: str, why: str) -> str:
        """Put ``eccn`` first (the ranker's suggestion for its entry, or a new one from the CCL text) and
        record why; returns a sentence for the finding."""
        target = ECCN.parse(eccn)
        if self.top is not None and ECCN.parse(self.top.eccn).head == target.head and not self.top.eccn == "EAR99":
            return ""
        found = next(
            (s for s in self.suggestions if s.eccn != "EAR99" and ECCN.parse(s.eccn).head == target.head), None
        )
        if found is None:
            looked = self.corpus.lookup(target)
            confidence = max((s.confidence for s in self.suggestions if s.eccn != "EAR99"), default=0.5)
            found = Suggestion(
                eccn=str(target),
                confidence=confidence,
                paragraph_id=str(target),
                paragraph=looked.text,
                heading=looked.entry["heading"],
            )
        else:
            self.suggestions.remove(found)
            if target.path and not ECCN.parse(found.eccn).is_descendant_of(target, strict=False):
                # the rule names a paragraph the ranker did not pick: show the rule's paragraph
                looked = self.corpus.lookup(target)
                found.eccn = found.paragraph_id = str(target)
                found.paragraph = looked.text
        found.reasons = [f"placed first by a rule: {why}", *found.reasons]
        # the rule moves the answer, not the evidence: the confidence the ranker had in its first answer
        # goes with the answer the rule put first (else a rule-placed answer would show "<1%"), and the
        # displaced answer takes the rule-placed one's (else it would outrank the answer on the screen)
        if self.top is not None and found.confidence < self.top.confidence:
            found.confidence, self.top.confidence = self.top.confidence, found.confidence
        self.suggestions.insert(0, found)
        change = f"{found.eccn} placed first ({why})"
        self.changes.append(change)
        return change

    def demote(self, heads: tuple[str, ...], why: str) -> str:
        """Move suggestions of these entries (or "EAR99") to the end, saying why."""
        moved = [s for s in self.suggestions if (s.eccn if s.eccn == "EAR99" else ECCN.parse(s.eccn).head) in heads]
        if not moved:
            return ""
        for s in moved:
            self.suggestions.remove(s)
            s.reasons = [f"moved down by a rule: {why}", *s.reasons]
        self.suggestions.extend(moved)
        change = f"{', '.join(s.eccn for s in moved)} moved down ({why})"
        self.changes.append(change)
        return change


def finding(rule: str, triggered: bool, outcome: str, citation: str, explanation: str, **facts: object) -> Finding:
    return Finding(
        rule=rule,
        triggered=triggered,
        outcome=outcome,
        citation=citation,
        explanation=explanation,
        facts={k: v for k, v in facts.items() if v not in (None, (), [], "")},
    )
