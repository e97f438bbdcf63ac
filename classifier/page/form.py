"""The page's fields read into the facts a classification takes, exactly as typed.

An empty field means *not given*: a number field is text on the page, so nothing turns into a 0 that
nobody typed, and a number overrides what the description says only when it was typed. Every error is
a sentence naming the field by its label and saying what is valid. The ``/classify`` API reads its
arguments through the same function, so a script and a person get the same answer.
"""

from __future__ import annotations

from typing import Any

from classifier.eccn import ECCN, InvalidECCN
from classifier.inputs import MAX_FIELD_CHARS, InputError, eccn_list, number, short_text

LABELS = {
    "destination": "Destination",
    "end_user": "End user",
    "consignee": "Consignee",
    "total_value": "Value of the foreign-made item",
    "us_content_value": "U.S.-origin controlled content value",
    "us_content_eccns": "ECCNs of U.S. content",
    "mass_market": "Sold openly to the public (Cryptography Note)",
    "payload_kg": "Payload (kg)",
    "range_km": "Range (km)",
    "end_use": "End use",
}
MASS_MARKET_CHOICES = ["not stated", "yes", "no"]
NUMBERS = ("total_value", "us_content_value", "payload_kg", "range_km")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(value: object, name: str) -> float:
    label = LABELS[name]
    try:
        result = number(value, label)
    except InputError as err:
        raise InputError(f"{err}; type a number such as 1250 or 12.5, or leave the field empty") from None
    if result < 0:
        raise InputError(f"{label} must not be negative (got {result:g}); leave it empty when not known")
    return result


def _eccns(value: object) -> list[str]:
    label = LABELS["us_content_eccns"]
    out = []
    for item in eccn_list(value, label):
        try:
            out.append(ECCN.normalize(item))
        except InvalidECCN:
            raise InputError(
                f"{label}: {item!r} is not an ECCN. Write ECCNs such as 5A002, 3A001.a.5 or 5D002, separated by "
                "commas (category digit, product group letter A-E, three digits)"
            ) from None
    return out


def page_facts(fields: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The facts to classify with, and notes for the user about what was not used (de minimis with one
    value). ``fields`` are named like the facts (``total_value``, ``mass_market`` = "yes"/"no"/"not
    stated", ``answers`` = {parameter: value}); blank ones are left out. InputError names the field."""
    facts: dict[str, Any] = {}
    notes: list[str] = []
    for name, value in fields.items():
        if _blank(value) or (name == "mass_market" and value == "not stated") or value == {}:
            continue
        if name in NUMBERS:
            facts[name] = _number(value, name)
        elif name == "us_content_eccns":
            facts[name] = _eccns(value) or None
        elif name == "mass_market":
            if value not in ("yes", "no", True, False):
                raise InputError(f"{LABELS[name]}: choose yes, no or not stated (got {str(value)[:40]!r})")
            facts[name] = value in ("yes", True)
        elif name == "answers":
            if not isinstance(value, dict):
                raise InputError("answers must be a mapping of question names to answers, e.g. {'frame rate': '30 Hz'}")
            answers = {
                str(k): short_text(str(v), f"Answer to {str(k)[:40]!r}") for k, v in value.items() if not _blank(v)
            }
            if answers:
                facts[name] = answers
        elif name in LABELS:
            facts[name] = short_text(value, LABELS[name], MAX_FIELD_CHARS) or None
        else:
            raise InputError(f"unknown field {name[:40]!r}; accepted: {', '.join(LABELS)}, answers")
    facts = {k: v for k, v in facts.items() if v is not None}
    given = [n for n in ("total_value", "us_content_value") if n in facts]
    if len(given) == 1:
        missing = LABELS[({"total_value", "us_content_value"} - set(given)).pop()]
        notes.append(f"De minimis was not checked: it needs both values; {missing} is empty.")
    elif given and "destination" not in facts:
        notes.append("De minimis was not checked: it needs a destination as well as both values.")
    return facts, notes
