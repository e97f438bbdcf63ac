"""Do a paragraph's deciding conditions hold for this description? Met, not met, or not stated.

``corpus/conditions.json`` (built by ``training/conditions.py`` from the CCL text) holds, per paragraph,
its thresholds ("a frame rate exceeding 9 Hz"), qualifiers ("space-qualified", "deformable"), references
("controlled by 6A002.a.3.f"), how its sub-paragraphs combine (any / all / a list of item types) and the
Notes that exclude items from it. This module reads a description's evidence once (``Evidence``) and
answers, for any paragraph, a ``Verdict``: the status on its whole path (its ancestors, itself, its
sub-paragraphs), the checks that decided it, and the questions whose answers would decide it.

Statuses are ordered NOT_MET < UNKNOWN < MET, so "all of" is a minimum and "any of" a maximum. A
quantity is compared with a threshold only when both name the same quantity (the words around the
number against the words the paragraph uses), or when the description's number is not named at all
(then the comparison is marked as assumed): "400 km range" is never compared with an altitude.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from enum import IntEnum
from functools import cached_property
from typing import Any

from classifier.quantities import _UNIT_ALTERNATION, UNITS, Quantity, quantities
from classifier.words import stem as _stem

COMPARE = {">": lambda a, b: a > b, ">=": lambda a, b: a >= b, "<": lambda a, b: a < b, "<=": lambda a, b: a <= b}
WORDS_MET_SHARE = 0.5  # a descriptive condition is met when half of its content words are in the description
GENERIC_SHARE = 0.04  # a quantity word found in more than this share of quantity names is too common to decide
_WORD = re.compile(r"[a-z][a-z\-/]+")
_RESOLUTION = re.compile(r"\b([0-9]{2,5})\s*[x×]\s*([0-9]{2,5})\b")
_COUNT = re.compile(r"\b([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:[- ]| x )([a-z][a-z/\-]+)", re.I)
_IMAGING = re.compile(
    r"pixel|resolution|sensor|camera|imager|image|array|detector|display|fpa|microbolometer|thermal|infrared", re.I
)
_MEGAPIXEL = re.compile(r"\b([0-9]+(?:\.[0-9]+)?)\s*(?:MP|megapixels?|Mpx)\b", re.I)
_DIGITS = re.compile(r"[0-9]")
_RANGE_START = re.compile(
    rf"(?<![\w.])([−-]?[0-9]+(?:\.[0-9]+)?)\s*(?:to|~|–|—|-|\.\.\.?|…)\s*\+?([−-]?[0-9]+(?:\.[0-9]+)?)\s?"
    rf"({_UNIT_ALTERNATION})(?![A-Za-z0-9])",
    re.I,
)
_CLAUSE_BREAK = re.compile(r"[;,()|]|\band\b|\bwith\b")
_TEMPERATURE_WORDS = re.compile(r"kelvin|temperature|cryo|°", re.I)


PLAUSIBLE_RATIO = 1e4  # an unnamed number this far from a threshold is about something else ("20 m" is no wavelength)


def _plausible(value: float, limit: float) -> bool:
    if value == 0 or limit == 0:
        return True
    ratio = abs(value / limit)
    return 1 / PLAUSIBLE_RATIO <= ratio <= PLAUSIBLE_RATIO


class Status(IntEnum):
    NOT_MET = 0
    UNKNOWN = 1
    MET = 2

    @property
    def word(self) -> str:
        return {0: "not met", 1: "not stated", 2: "met"}[int(self)]


@dataclass(frozen=True)
class Check:
    """One condition of one paragraph against one description."""

    paragraph: str
    status: Status
    condition: str  # the regulation's words ("exceeding 9 Hz", "“space-qualified”")
    parameter: str  # what to ask for ("frame rate", "space_qualified")
    detail: str  # what decided it, for people ("30 Hz (frame rate) meets > 9 Hz")
    question: str = ""
    exclusion: bool = False  # from a Note that excludes items from the paragraph
    assumed: bool = False  # the description's number did not name its quantity
    decisive: bool = True  # an unknown exclusion condition that alone would decide whether the Note applies
    kind: str = ""  # "threshold", "qualifier", "reference", "note" or "words" (a paragraph described in words)


@dataclass
class Verdict:
    """A paragraph's status for one description, with the checks on its path."""

    id: str
    status: Status
    checks: list[Check] = field(default_factory=list)
    excluded: bool = False

    @property
    def unknown(self) -> list[Check]:
        return [c for c in self.checks if c.status is Status.UNKNOWN]

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if c.status is Status.NOT_MET and not c.exclusion] + [
            c for c in self.checks if c.exclusion and c.status is Status.MET
        ]

    @property
    def open_exclusions(self) -> list[Check]:
        return [c for c in self.checks if c.exclusion and c.status is Status.UNKNOWN and c.decisive]

    @property
    def has_conditions(self) -> bool:
        return any(not c.exclusion for c in self.checks)

    @property
    def stated_met(self) -> int:
        """How many thresholds, qualifiers or Notes the description itself shows to be met."""
        return sum(
            c.status is Status.MET and not c.exclusion and c.kind in ("threshold", "qualifier", "note")
            for c in self.checks
        )

    @property
    def unknown_parameters(self) -> list[Check]:
        """Unknown thresholds and qualifiers (not paragraphs merely described in words)."""
        return [c for c in self.unknown if not c.exclusion and c.kind in ("threshold", "qualifier")]


@dataclass(frozen=True)
class Value:
    """A number in a description, with the words that name it."""

    quantity: Quantity
    kind: frozenset[str]
    stated: bool = True  # False for an answer the user gave


class Evidence:
    """What one description says that conditions can be checked against; read once, asked many times."""

    def __init__(self, book: ConditionBook, text: str, found: tuple[Quantity, ...], answers: dict[str, Any]) -> None:
        self.book = book
        self.text = text
        lowered = text.lower()
        self.tokens = frozenset(_stem(w) for w in _WORD.findall(lowered))
        self.values = self._values(text, found) + self._answered_values(answers)
        self.qualifiers = {q["id"]: self._qualifier(q, text, answers) for q in book.qualifiers}
        # memos: a paragraph's checks, verdict and path never change for one description (a Verdict is read,
        # never changed, by its users); own checks are kept only when made outside a verdict under way, whose
        # reference cycles see a placeholder
        self._own: dict[str, list[Check]] = {}
        self._open_verdicts = 0
        self._verdicts: dict[str, Verdict] = {}
        self._paths: dict[str, Verdict] = {}

    # -- reading the description ---------------------------------------------------------------
    def _kind_near(self, text: str, start: int, end: int, dimension: str) -> frozenset[str]:
        """The words naming a number: in its clause, before it and up to the next number after it."""
        before = _CLAUSE_BREAK.split(_DIGITS.split(text[max(0, start - 40) : start].lower())[-1])[-1]
        after = _CLAUSE_BREAK.split(_DIGITS.split(text[end : end + 30].lower())[0])[0]
        words = [_stem(w) for w in _WORD.findall(self.book.synonymise(before + " | " + after))]
        return frozenset(w for w in words if w in self.book.naming_words)

    def _values(self, text: str, found: tuple[Quantity, ...]) -> list[Value]:
        values = []
        cursor = 0
        for q in found:
            at = text.find(q.text, cursor)
            if at < 0:
                at = text.find(q.text)
            else:
                cursor = at + len(q.text)
            unit = q.text.split()[-1].lower() if " " in q.text else re.sub(r"^[0-9.,×x^\s\-]+", "", q.text).lower()
            if q.dimension == "temperature" and unit in ("k",) and not _TEMPERATURE_WORDS.search(text):
                continue  # "64K SRAM" is a size, not a temperature
            value = q
            if at > 0 and text[at - 1] in "-−" and (at < 2 or not text[at - 2].isalnum()):
                value = Quantity(
                    -q.value if q.dimension != "temperature" else 2 * 273.15 - q.value, q.dimension, q.text
                )
            if q.dimension == "power_dbm":  # compare dBm with watts
                value = Quantity(10 ** ((value.value - 30) / 10), "power", q.text)
            kind = self.book.unit_kind(unit) or (
                self._kind_near(text, at, at + len(q.text), q.dimension) if at >= 0 else frozenset()
            )
            values.append(Value(value, kind))
        for match in _RANGE_START.finditer(text):  # "-40 to +85 °C": the lower end carries the unit too
            start = quantities(f"{match.group(1).replace('−', '-').lstrip('-')} {match.group(3)}")
            if start:
                q = start[0]
                number = -q.value if match.group(1)[0] in "-−" else q.value
                if q.dimension == "temperature" and match.group(1)[0] in "-−":
                    number = 2 * 273.15 - q.value
                kind = self._kind_near(text, match.start(), match.end(), q.dimension)
                values.append(Value(Quantity(number, q.dimension, match.group(0)), kind))
                top = quantities(f"{match.group(2)} {match.group(3)}") if q.dimension == "frequency" else []
                if top and top[0].value > number > 0:  # 'fractional bandwidth': bandwidth over centre frequency
                    share = (top[0].value - number) / ((top[0].value + number) / 2) * 100
                    values.append(
                        Value(Quantity(share, "percent", match.group(0)), frozenset({"fractional", "bandwidth"}))
                    )
        imaging = _IMAGING.search(text) is not None
        for match in _RESOLUTION.finditer(text) if imaging else ():  # "640 x 512" pixels: one count of elements
            count = float(match.group(1)) * float(match.group(2))
            values.append(Value(Quantity(count, "count", match.group(0)), frozenset({"pixel", "element", "array"})))
        for match in _MEGAPIXEL.finditer(text):
            values.append(
                Value(Quantity(float(match.group(1)) * 1e6, "count", match.group(0)), frozenset({"pixel", "element"}))
            )
        for match in _COUNT.finditer(text):
            noun = _stem(match.group(2).lower())
            if noun in self.book.count_words and noun not in UNITS:
                number = float(match.group(1).replace(",", ""))
                values.append(Value(Quantity(number, "count", match.group(0)), frozenset({noun})))
        return values

    def _answered_values(self, answers: dict[str, Any]) -> list[Value]:
        values = []
        for name, answer in answers.items():
            if not isinstance(answer, str) or name in self.book.qualifier_ids:
                continue
            kind = frozenset(_stem(w) for w in _WORD.findall(self.book.synonymise(name.lower().replace("_", " "))))
            for q in quantities(answer):
                values.append(Value(q, kind, stated=False))
            number = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*", answer)
            if number and not quantities(answer):
                values.append(Value(Quantity(float(number.group(1)), "count", answer), kind, stated=False))
        return values

    def _qualifier(self, q: dict[str, Any], text: str, answers: dict[str, Any]) -> Status:
        answer = answers.get(q["id"])
        if answer is not None:
            return Status.MET if str(answer).strip().lower() in ("yes", "true", "1", "y") else Status.NOT_MET
        if re.search(q["met"], text, re.I):
            return Status.MET
        if q["contrary"] and re.search(q["contrary"], text, re.I):
            return Status.NOT_MET
        return Status.UNKNOWN

    # -- checking conditions ------------------------------------------------------------------
    def check(self, pid: str, condition: dict[str, Any], exclusion: bool = False) -> Check:
        kind = condition["type"]
        if kind == "threshold":
            return self._threshold(pid, condition, exclusion)
        if kind == "qualifier":
            spec = self.book.qualifier(condition["qualifier"])
            status = self.qualifiers.get(condition["qualifier"], Status.UNKNOWN)
            said = {Status.MET: "the description says so", Status.NOT_MET: "the description says otherwise"}
            if condition["negated"] and status is not Status.UNKNOWN:
                status = Status(2 - int(status))
            elif condition["negated"]:
                status = Status.MET  # "Non-space-qualified": most items are not, unless said otherwise
                said = {Status.MET: "not stated, so taken as not"}
            return Check(
                pid,
                status,
                condition["text"],
                condition["qualifier"],
                f"{'not ' if condition['negated'] else ''}{spec['name']}: {said.get(status, 'not stated')}",
                spec["question"],
                exclusion,
                kind="qualifier",
            )
        if kind == "note":
            status = self._note(condition["target"], condition["note"])
            return Check(
                pid, status, condition["text"], condition["target"], f"{condition['text']}: {status.word}", kind="note"
            )
        if kind == "reference":
            target = self.verdict(condition["target"])
            # a reference inherits what rules an item out, not what is merely unstated
            status = Status.NOT_MET if target.status is Status.NOT_MET else Status.MET
            return Check(
                pid, status, condition["text"], condition["target"], f"{condition['target']}: {target.status.word}"
            )
        raise ValueError(f"unknown condition type {kind!r}")

    def _note(self, target: str, note: str) -> Status:
        """Does the item meet a Note that excludes items from ``target`` (or a paragraph under it)?"""
        statuses = []
        for pid in self.book.under(target):
            for group in self.book.paragraphs[pid].get("exclusions", []):
                if group.get("note") == note:
                    statuses += [
                        Status.MET
                        if self.exclusion(pid, item)[1]
                        else min((c.status for c in self.exclusion(pid, item)[0]), default=Status.UNKNOWN)
                        for item in group["groups"]
                    ]
        return max(statuses, default=Status.UNKNOWN)

    def _threshold(self, pid: str, c: dict[str, Any], exclusion: bool) -> Check:
        kind = frozenset(c["kind"])
        name = " ".join(c["kind"]) or c["dimension"]
        limit = f"{c['op']} {c['text']}"
        matching = [
            v for v in self.values if v.quantity.dimension == c["dimension"] and self.book.same_quantity(v.kind, kind)
        ]
        question = f"What is the {name}? ({pid}: {limit})"
        matching = [v for v in matching if v.kind or _plausible(v.quantity.value, c["value"])]
        if not matching:
            return Check(
                pid, Status.UNKNOWN, limit, name, f"{name}: not stated ({limit})", question, exclusion, kind="threshold"
            )
        met = [v for v in matching if COMPARE[c["op"]](v.quantity.value, c["value"])]
        shown = met[0] if met else matching[0]
        assumed = not shown.kind
        status = Status.MET if met else Status.NOT_MET
        read_as = f" (read as {name})" if assumed else ""
        detail = f"{shown.quantity.text}{read_as} {'meets' if met else 'does not meet'} {limit}"
        return Check(pid, status, limit, name, detail, question, exclusion, assumed, kind="threshold")

    def _words(self, pid: str, words: list[str]) -> Check:
        useful = [w for w in dict.fromkeys(words) if w not in self.book.generic_words]
        if not useful:
            return Check(pid, Status.MET, " ".join(words), "", "no deciding words")
        found = [w for w in useful if w in self.tokens]
        status = Status.MET if len(found) >= max(1, math.ceil(WORDS_MET_SHARE * len(useful))) else Status.UNKNOWN
        return Check(
            pid,
            status,
            " ".join(useful),
            pid,
            f"{pid} ({' '.join(useful[:6])}): {'described' if status is Status.MET else 'not described'}",
            f"Does the item have this property: {self.book.text(pid)}?",
            kind="words",
        )

    def own(self, pid: str) -> list[Check]:
        """The checks of a paragraph's own text (not its sub-paragraphs or ancestors), memoised: do not change
        the list returned."""
        known = None if self._open_verdicts else self._own.get(pid)
        if known is not None:
            return known
        para = self.book.paragraphs.get(pid)
        if para is None:
            return []
        checks = [self.check(pid, c) for c in para["conditions"]]
        parent = self.book.paragraphs.get(para["parent"])
        if not checks and parent is not None and parent["connector"] in ("any", "all") and not self.book.children(pid):
            checks.append(self._words(pid, para["words"]))
        if not self._open_verdicts:
            self._own[pid] = checks
        return checks

    def exclusion(self, pid: str, item: dict[str, Any]) -> tuple[list[Check], bool]:
        """One excluding item of a Note ("a maximum frame rate equal to or less than 9 Hz"): its checks, and
        whether it applies. An unknown condition is worth asking only when it alone would decide the item."""
        checks = [self.check(pid, c, exclusion=True) for c in item["conditions"]]
        if not checks:
            return [], False
        lowest = min(c.status for c in checks)
        unknown = sum(c.status is Status.UNKNOWN for c in checks)
        if lowest is Status.NOT_MET or unknown > 1:
            checks = [replace(c, decisive=False) if c.status is Status.UNKNOWN else c for c in checks]
        return checks, lowest is Status.MET

    def verdict(self, pid: str) -> Verdict:
        """Status of ``pid`` itself and its sub-paragraphs (not its ancestors), memoised."""
        found = self._verdicts.get(pid)
        if found is not None:
            return found
        self._verdicts[pid] = Verdict(pid, Status.UNKNOWN)  # guards reference cycles
        self._open_verdicts += 1
        try:
            result = self._new_verdict(pid)
        finally:
            self._open_verdicts -= 1
        self._verdicts[pid] = result
        return result

    def _new_verdict(self, pid: str) -> Verdict:
        checks = list(self.own(pid))
        status = min((c.status for c in checks), default=Status.MET)
        children = self.book.children(pid)
        connector = self.book.paragraphs.get(pid, {}).get("connector") or "list"
        if children:
            verdicts = [self.verdict(child) for child in children]
            combined = min if connector == "all" else max
            status = min(status, combined(v.status for v in verdicts))
            chosen = verdicts if connector == "all" else [max(verdicts, key=lambda v: v.status)]
            for v in chosen:
                checks.extend(v.checks)
        excluded = False
        for group in self.book.paragraphs.get(pid, {}).get("exclusions", []):
            for item in group["groups"]:
                item_checks, applies = self.exclusion(pid, item)
                excluded = excluded or applies
                checks.extend(item_checks)
        if excluded:
            status = Status.NOT_MET
        return Verdict(pid, status, checks, excluded)

    def path(self, pid: str) -> Verdict:
        """Status of ``pid`` as a classification: its ancestors' own conditions, itself and its sub-paragraphs.

        A sub-paragraph of an "all of the following" list is not an answer by itself: its parent is."""
        known = self._paths.get(pid)
        if known is not None:
            return known
        target = self.book.answer_level(pid)
        own = self.verdict(target)
        checks = list(own.checks)
        status = own.status
        for ancestor in self.book.ancestors(target):
            ancestor_checks = self.own(ancestor)
            checks = ancestor_checks + checks
            status = min([status, *(c.status for c in ancestor_checks)])
            for group in self.book.paragraphs.get(ancestor, {}).get("exclusions", []):
                for item in group["groups"]:
                    item_checks, applies = self.exclusion(ancestor, item)
                    if applies:
                        status = Status.NOT_MET
                    checks.extend(item_checks)
        result = Verdict(
            target, status, checks, own.excluded or status is Status.NOT_MET and own.status is not Status.NOT_MET
        )
        self._paths[pid] = result
        return result


class ConditionBook:
    """The deciding conditions of every paragraph (``corpus/conditions.json``) and the product vocabulary
    (``corpus/rules/parameters.json``)."""

    def __init__(self, conditions: dict[str, Any], vocabulary: dict[str, Any], texts: dict[str, str]) -> None:
        self.paragraphs: dict[str, dict[str, Any]] = conditions["paragraphs"]
        self.catch_alls: dict[str, list[str]] = conditions["catch_alls"]
        self.qualifiers: list[dict[str, Any]] = vocabulary["qualifiers"]
        self.qualifier_ids = frozenset(q["id"] for q in self.qualifiers)
        self._qualifier = {q["id"]: q for q in self.qualifiers}
        self._synonyms = sorted(vocabulary["quantity_synonyms"].items(), key=lambda kv: -len(kv[0]))
        self._synonym_re = re.compile(r"\b(" + "|".join(re.escape(k) for k, _ in self._synonyms) + r")\b", re.I)
        self._synonym_map = dict(self._synonyms)
        self._unit_kinds = {u: frozenset(_stem(w) for w in k.split()) for u, k in vocabulary["unit_kinds"].items()}
        names = vocabulary["quantity_names"]
        self.specific_names = frozenset(_stem(w) for w in names["specific"])
        self.naming_words = self.specific_names | frozenset(_stem(w) for w in names["generic"])
        self._texts = texts
        self._children: dict[str, list[str]] = {}
        for pid, para in self.paragraphs.items():
            self._children.setdefault(para["parent"], []).append(pid)
        self.caught_by = {caught: catch for catch, heads in self.catch_alls.items() for caught in heads}

    @cached_property
    def _kind_counts(self) -> Counter[str]:
        kinds = {
            tuple(c["kind"])
            for para in self.paragraphs.values()
            for c in [*para["conditions"], *self._exclusion_conditions(para)]
            if c["type"] == "threshold"
        }
        return Counter(w for kind in kinds for w in set(kind))

    @staticmethod
    def _exclusion_conditions(para: dict[str, Any]) -> list[dict[str, Any]]:
        return [c for g in para.get("exclusions", []) for item in g["groups"] for c in item["conditions"]]

    @cached_property
    def generic_words(self) -> frozenset[str]:
        total = max(1, sum(1 for _ in self._kind_counts.elements()) // 3)
        return frozenset(w for w, n in self._kind_counts.items() if n > GENERIC_SHARE * total) | {
            "specially",
            "designed",
            "component",
            "part",
            "equipment",
            "therefor",
            "system",
        }

    @cached_property
    def count_words(self) -> frozenset[str]:
        return frozenset(
            w
            for para in self.paragraphs.values()
            for c in para["conditions"]
            if c["type"] == "threshold" and c["dimension"] == "count"
            for w in c["kind"]
        ) | {"axis", "axe", "port", "pixel", "element", "actuator", "terminal"}

    def synonymise(self, text: str) -> str:
        return self._synonym_re.sub(lambda m: self._synonym_map[m.group(0).lower()], text)

    def unit_kind(self, unit: str) -> frozenset[str]:
        return self._unit_kinds.get(unit.lower(), frozenset())

    def same_quantity(self, stated: frozenset[str], wanted: frozenset[str]) -> bool:
        """Do the words naming a description's number name the paragraph's quantity? Only words that name one
        quantity and no other decide ("range" against "altitude"); unnamed numbers match."""
        said = stated & self.specific_names
        asked = wanted & self.specific_names
        return not (said and asked) or bool(said & asked)

    def qualifier(self, qid: str) -> dict[str, Any]:
        return self._qualifier[qid]

    def children(self, pid: str) -> list[str]:
        return self._children.get(pid, [])

    def under(self, pid: str) -> list[str]:
        """``pid`` and every paragraph below it."""
        found, stack = [], [pid]
        while stack:
            current = stack.pop()
            if current in self.paragraphs:
                found.append(current)
            stack.extend(self.children(current))
        return found

    def text(self, pid: str) -> str:
        return self._texts.get(pid, pid)

    def ancestors(self, pid: str) -> list[str]:
        """Parent first, up to (not including) the entry."""
        out = []
        para = self.paragraphs.get(pid)
        while para is not None and para["parent"] in self.paragraphs:
            out.append(para["parent"])
            para = self.paragraphs[para["parent"]]
        return out

    def answer_level(self, pid: str) -> str:
        """The paragraph a classification names: a member of an "all of the following" list names its parent."""
        para = self.paragraphs.get(pid)
        while para is not None and self.paragraphs.get(para["parent"], {}).get("connector") == "all":
            pid = para["parent"]
            para = self.paragraphs.get(pid)
        return pid

    def evidence(self, text: str, found: tuple[Quantity, ...], answers: dict[str, Any] | None = None) -> Evidence:
        return Evidence(self, text, found, answers or {})
