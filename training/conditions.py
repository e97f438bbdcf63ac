"""Derive the deciding conditions of every CCL paragraph from its text, at corpus build.

A paragraph controls an item only when its deciding conditions are met. This module reads them off the
regulation's own words and stores them with the paragraph id in ``corpus/conditions.json``:

- **thresholds**: a number with a unit and a comparison ("a frame rate exceeding 9 Hz", "not exceeding
  1,200 nm", "between 400 nm and 1,000 nm"), with the words before it that name the quantity;
- **qualifiers**: properties named in ``corpus/rules/parameters.json`` ("space-qualified", "deformable",
  "radiation hardened", "military" …), negated where the text says "Non-" or "not";
- **references**: "controlled by 6A002.a.3.f" — the referenced paragraph's conditions apply too;
- **connector**: how a paragraph's sub-paragraphs combine ("any of the following" → any, "all of the
  following" → all, "as follows" → a list of item types);
- **words**: the content words of a paragraph that is itself a condition (a child of an any/all list) but
  holds no threshold or qualifier ("Optical waveguides");
- **exclusions**: Notes that say a paragraph "does not control" items having some property ("a maximum
  frame rate equal to or less than 9 Hz"), as condition groups on the paragraph the note names;
- **catch-alls**: entries whose heading says "not controlled by 3A001" (3A991 catches 3A001).

Nothing here decides a classification; ``classifier/conditions.py`` evaluates these against a
description's facts (met / not met / not stated).
"""

from __future__ import annotations

import re
from typing import Any

from classifier.eccn import ECCN
from classifier.quantities import _UNIT_ALTERNATION, QUANTITY, UNITS, quantities
from classifier.words import STOPWORDS
from classifier.words import stem as _stem

# comparison words right before a number, most specific first ("not exceeding" before "exceeding")
_BEFORE: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"(?:{words})\s*$", re.I), op)
    for words, op in (
        (
            r"not exceeding|not more than|not greater than|not higher than|equal to or (?:less|lower|smaller) than|"
            r"(?:less|lower|smaller)(?: \(\w+\))? than or equal to|up to|at most|no more than|maximum of|≤",
            "<=",
        ),
        (
            r"equal to or (?:more|greater|higher|larger) than|equal to or exceeding|"
            r"(?:more|greater|higher|larger)(?: \(\w+\))? than or equal to|"
            r"at least|not less than|no less than|minimum of|≥|between|from",
            ">=",
        ),
        (r"exceeding|more than|greater(?: \(\w+\))? than|above|over|in excess of|higher(?: \(\w+\))? than", ">"),
        (r"less(?: \(\w+\))? than|below|under|lower(?: \(\w+\))? than|fewer than|shorter than|smaller than", "<"),
    )
)
_AFTER: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"^\s*(?:\([^)]*\)\s*)?,?\s*(?:or more|or greater|or higher|or above|and above|or longer|or larger)\b", re.I
        ),
        ">=",
    ),
    (
        re.compile(r"^\s*(?:\([^)]*\)\s*)?,?\s*(?:or less|or lower|or below|and below|or shorter|or smaller)\b", re.I),
        "<=",
    ),
)
_RANGE_END = re.compile(r"\b(?:between|from)\b[^;:]*\b(?:and|to)\s*$", re.I)
_CLAUSE = re.compile(r"[;:,(]|\bbut\b|\bwith\b|\bwhen\b|\bwhere\b", re.I)
_FILLER = frozenset(
    (
        "having has have having exceeding exceed more less greater higher lower equal than not no up at most least "
        "maximum minimum within over above below under between from of in on to a an the or and but any all "
        "following specified rated capable when where which its their per one two three both either used using "
        "e g i.e including incorporating designed specially modified better worse smaller larger fewer"
    ).split()
)

_HEAD_NOT_CONTROLLED = re.compile(
    r"not (?:controlled|specified|described|elsewhere specified)(?: by| in| under)?(?: ECCNs?)? "
    r"((?:\d[A-E]\d{3}[a-z.0-9]*(?:,? (?:or |and )?(?:by |in |ECCN )?)?)+)",
    re.I,
)
_ECCN_IN_TEXT = re.compile(r"\b(\d[A-E]\d{3}(?:\.[a-z0-9]+)*)\b")
_REFERENCE = re.compile(
    r"(?<!not )(?:controlled|specified|described) (?:by|in) (?:ECCN )?(\d[A-E]\d{3}(?:\.[a-z0-9]+)+)\b"
    r"|having the characteristics (?:listed|specified) in (\d[A-E]\d{3}(?:\.[a-z0-9]+)+)\b",
    re.I,
)
_NOTE_REFERENCE = re.compile(
    r"meet(?:s|ing)? the (?:criteria|provisions) of (Note \d+) (?:to|in) (?:ECCN )?(\d[A-E]\d{3}(?:\.[a-z0-9]+)*)", re.I
)
_EXCLUDES = re.compile(r"\b(?:does|do) not (?:control|apply to)\b|\bis not controlled\b|\bare not controlled\b", re.I)
_NOTE_ITEM = re.compile(r"(?m)^\s*([a-z])\.\s+(.*)$")
_NEGATION_BEFORE = re.compile(r"(?:\bnon-?|\bnot\b[^.;:]{0,30}|\bother than\b[^.;:]{0,20})[“\"']?\s*$", re.I)


def content_words(text: str) -> list[str]:
    """Stemmed words that carry meaning (no stopwords, fillers, numbers or units)."""
    words = re.findall(r"[a-z][a-z\-]+", text.lower().replace("“", " ").replace("”", " ").replace("'", " "))
    return [_stem(w) for w in words if w not in STOPWORDS and w not in _FILLER and w not in UNITS]


def comparator(text: str, start: int, end: int) -> str:
    """The comparison a threshold number carries, read from the words around it."""
    before = text[max(0, start - 60) : start]
    for pattern, op in _BEFORE:
        if pattern.search(before):
            if op == ">=" and _RANGE_END.search(before):
                return "<="
            return op
    if _RANGE_END.search(before):
        return "<="
    after = text[end : end + 40]
    return next((op for pattern, op in _AFTER if pattern.match(after)), "")


_COUNT = re.compile(
    r"(?<![\w.,])(?P<num>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?![0-9])(?![.,][0-9])(?:\s*[x×]\s*10\s*\^?\s*(?P<exp>[0-9]{1,2}))?"
    r"(?:\s+(?P<noun>[“\"']?[A-Za-z][A-Za-z\-/]+(?:\s+[A-Za-z][A-Za-z\-/]+)?)|\s*(?=[;.,()]|$))"
)
_POWER_OF_TEN = re.compile(r"([0-9])\s*[x×]\s*10\s+([0-9]{1,2})\b")
_BETWEEN = re.compile(
    rf"\b(between|from)\s+([0-9][0-9,.]*)\s+(and|to)\s+([0-9][0-9,.]*)\s*({_UNIT_ALTERNATION})(?![A-Za-z0-9])", re.I
)


def normalise(text: str) -> str:
    """Superscripts lost in the XML ("5 × 10 3 Gy") written back as powers ("5 × 10^3 Gy"), and a unit
    given once for a range ("between 12 and 50 mm") given to both ends."""
    text = _POWER_OF_TEN.sub(r"\1 × 10^\2", text)
    return _BETWEEN.sub(r"\1 \2 \5 \3 \4 \5", text)


def counts(text: str) -> list[dict[str, Any]]:
    """Bare counts with a comparison: "More than 200 actuators", "more than 1,500 terminals"."""
    found = []
    with_units = [(m.start(), m.end()) for m in QUANTITY.finditer(text)]
    for match in _COUNT.finditer(text):
        if any(a <= match.start() < b for a, b in with_units):
            continue  # "600 Mega Samples Per Second" is a quantity with its unit, not a count
        noun = (match["noun"] or "").strip("“\"'").lower()
        first = noun.split()[0] if noun else ""
        if first in UNITS or first.rstrip("s") in UNITS or QUANTITY.match(match.group(0)):
            continue
        if first in ("per", "to", "and", "or", "but", "of", "in", "at", "from"):
            noun = ""
        op = comparator(text, match.start(), match.start() + len(match["num"]))
        if not op:
            continue
        value = float(match["num"].replace(",", "")) * (10 ** int(match["exp"]) if match["exp"] else 1)
        clause = _CLAUSE.split(text[max(0, match.start() - 90) : match.start()])[-1]
        kind = list(dict.fromkeys([*content_words(clause)[-2:], *content_words(noun)[:2]]))
        found.append(
            {"type": "threshold", "dimension": "count", "op": op, "value": value, "text": match.group(0), "kind": kind}
        )
    return found


def thresholds(text: str) -> list[dict[str, Any]]:
    """Every number with a unit and a comparison in ``text``, with the words naming its quantity."""
    found: list[dict[str, Any]] = counts(text)
    previous: dict[str, list[str]] = {}
    for match, q in zip(QUANTITY.finditer(text), quantities(text), strict=False):
        if q.text != match.group(0):
            continue
        op = comparator(text, match.start(), match.end())
        if not op:
            continue
        clause = _CLAUSE.split(text[max(0, match.start() - 90) : match.start()])[-1]
        kind = content_words(clause)[-3:]
        if not kind:  # "(3mm or greater diameter)": the words after the number name it
            after = re.split(r"[;:,()]", text[match.end() : match.end() + 60])[0]
            kind = content_words(re.sub(r"\b(?:or|and) (?:more|greater|less|higher|lower)\b", " ", after))[:3]
        if not kind:  # "8 bit or more, but less than 10 bit": the second bound names the same quantity
            kind = previous.get(q.dimension, [])
        previous[q.dimension] = kind
        found.append(
            {
                "type": "threshold",
                "dimension": q.dimension,
                "op": op,
                "value": q.value,
                "text": q.text,
                "kind": kind,
            }
        )
    return found


def qualifiers(text: str, vocabulary: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for qualifier in vocabulary:
        match = re.search(qualifier["paragraph"], text, re.I)
        if match is None:
            continue
        negated = bool(_NEGATION_BEFORE.search(text[max(0, match.start() - 40) : match.start()]))
        found.append({"type": "qualifier", "qualifier": qualifier["id"], "negated": negated, "text": match.group(0)})
    return found


def references(text: str, known: set[str], own: str) -> list[dict[str, Any]]:
    found = []
    for match in _REFERENCE.finditer(text):
        target = (match.group(1) or match.group(2)).rstrip(".")
        if target in known and target != own and not own.startswith(target + "."):
            found.append({"type": "reference", "target": target, "text": match.group(0)})
    return found


def note_references(text: str, known: set[str]) -> list[dict[str, Any]]:
    """ "Cameras that meet the criteria of Note 3 to 6A003.b.4": the item must be one that Note excludes."""
    found = []
    for match in _NOTE_REFERENCE.finditer(text):
        target = match.group(2).rstrip(".")
        if target in known:
            found.append({"type": "note", "target": target, "note": match.group(1), "text": match.group(0)})
    return found


def connector(text: str) -> str:
    """How a paragraph's sub-paragraphs combine."""
    tail = text.strip().lower()[-90:]
    if re.search(r"\b(?:any|either|one or more) of the following\b|\bany of these\b", tail):
        return "any"
    if re.search(r"\b(?:all|both) (?:of )?the following\b", tail):
        return "all"
    return "list"


def _item_conditions(text: str, vocabulary: list[dict[str, Any]], known: set[str], own: str) -> list[dict[str, Any]]:
    text = normalise(text)
    return [
        *thresholds(text),
        *qualifiers(text, vocabulary),
        *references(text, known, own),
        *note_references(text, known),
    ]


def exclusions(
    note: str, vocabulary: list[dict[str, Any]], known: set[str], own: str, heading: str = ""
) -> tuple[str, dict[str, Any]] | None:
    """A Note saying some paragraph "does not control" items with a property, as (target, group)."""
    match = _EXCLUDES.search(note)
    if match is None:
        return None
    named = _ECCN_IN_TEXT.findall(note[: match.start()])
    target = next((t.rstrip(".") for t in named if t.rstrip(".") in known), own)
    body = note[match.end() :]
    items = _NOTE_ITEM.findall(body)
    groups = []
    if items:
        for _, item in items:
            conditions = _item_conditions(item, vocabulary, known, target)
            if conditions:
                groups.append({"connector": "all", "conditions": conditions, "text": item.strip()[:200]})
    else:
        conditions = _item_conditions(body, vocabulary, known, target)
        if conditions:
            groups.append({"connector": "all", "conditions": conditions, "text": body.strip()[:200]})
    if not groups:
        return None
    return target, {"connector": "any", "note": heading, "groups": groups, "text": note.strip()[:400]}


def catch_alls(entries: list[dict[str, Any]]) -> dict[str, list[str]]:
    """For each catch-all entry, the entries its heading says it does not cover ("not controlled by 3A001")."""
    heads = {e["eccn"] for e in entries}
    out: dict[str, list[str]] = {}
    for entry in entries:
        match = _HEAD_NOT_CONTROLLED.search(entry["heading"])
        if match is None:
            continue
        caught = [h[:5] for h in _ECCN_IN_TEXT.findall(match.group(1)) if h[:5] in heads and h[:5] != entry["eccn"]]
        if caught:
            out[entry["eccn"]] = list(dict.fromkeys(caught))
    return out


def build_conditions(ccl: dict[str, Any], vocabulary: dict[str, Any]) -> dict[str, Any]:
    """``corpus/conditions.json``: conditions per paragraph id, exclusions, catch-all map and counts."""
    qualifier_table = vocabulary["qualifiers"]
    known = {p["id"] for e in ccl["entries"] for p in e["paragraphs"]} | {e["eccn"] for e in ccl["entries"]}
    paragraphs: dict[str, dict[str, Any]] = {}
    pending_exclusions: list[tuple[str, dict[str, Any]]] = []
    for entry in ccl["entries"]:
        ids = {p["id"] for p in entry["paragraphs"]}
        heading = entry["heading"]
        paragraphs[entry["eccn"]] = {
            "parent": "",
            "connector": connector(re.sub(r"\s*\(see list of items controlled\)\.?\s*$", "", heading, flags=re.I))
            if ids
            else "",
            "conditions": _item_conditions(heading, qualifier_table, known, entry["eccn"]),
            "words": [],
        }
        for para in entry["paragraphs"]:
            if para["reserved"]:
                continue
            pid = para["id"]
            parent = str(ECCN.parse(pid).parent) if "." in pid else entry["eccn"]
            text = para["text"]
            conditions = _item_conditions(text, qualifier_table, known, pid)
            has_children = any(i.startswith(pid + ".") for i in ids)
            paragraphs[pid] = {
                "parent": parent if parent in ids else entry["eccn"],
                "connector": connector(text) if has_children else "",
                "conditions": conditions,
                "words": content_words(text)[:12],
            }
            for note in para["notes"]:
                found = exclusions(note["text"], qualifier_table, known, pid, note["heading"])
                if found is not None:
                    pending_exclusions.append(found)
    for target, group in pending_exclusions:
        if target in paragraphs:
            paragraphs[target].setdefault("exclusions", []).append(group)
    kinds = sorted({" ".join(c["kind"]) for p in paragraphs.values() for c in p["conditions"] if c.get("kind")})
    counts = {
        "paragraphs": len(paragraphs) - len(ccl["entries"]),
        "with_thresholds": sum(any(c["type"] == "threshold" for c in p["conditions"]) for p in paragraphs.values()),
        "thresholds": sum(c["type"] == "threshold" for p in paragraphs.values() for c in p["conditions"]),
        "with_qualifiers": sum(any(c["type"] == "qualifier" for c in p["conditions"]) for p in paragraphs.values()),
        "references": sum(c["type"] == "reference" for p in paragraphs.values() for c in p["conditions"]),
        "with_exclusions": sum("exclusions" in p for p in paragraphs.values()),
        "quantity_kinds": len(kinds),
    }
    return {
        "citation": "15 CFR part 774, Supplement No. 1 (conditions read from the paragraph text and its Notes)",
        "counts": counts,
        "catch_alls": catch_alls(ccl["entries"]),
        "paragraphs": paragraphs,
    }
