"""Reasons read from the application's own words: a military end use or user (15 CFR 744.21), a
non-mass-market encryption item for a government end user (740.17, 772.1), and BIS's Know Your Customer
red flags (Supplement No. 3 to part 732) that a stated end use or a party's name can show.

The cue words are data (``corpus/rules/triage.json``); a cue only raises a question for a person, it
decides nothing.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from classifier.countries import Country
from classifier.eccn import ECCN, InvalidECCN
from classifier.result import Classification
from classifier.triage.model import Application, Reason
from classifier.triage.reasons import reason

FIELD_NAMES = {"end_use": "end use", "end_user": "end user", "consignee": "consignee"}


@cache
def _pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{c})" for c in cues), re.I)


def _cue_hits(app: Application, fields: list[str], cues: list[str]) -> list[str]:
    """'end use: "…word…"' for each field whose text shows one of the cues."""
    pattern = _pattern(tuple(cues))
    hits = []
    for name in fields:
        text = getattr(app, name, "") or ""
        found = pattern.search(text)
        if found:
            hits.append(f"{FIELD_NAMES[name]} '{text[:120]}' ({found.group(0)!r})")
    return hits


def _heads(app: Application, classification: Classification) -> set[str]:
    heads = {s.eccn.split(".")[0] for s in classification.suggestions[:1] if s.eccn != "EAR99"}
    try:
        claimed = ECCN.parse(app.claimed_eccn) if app.claimed_eccn.strip() else None
    except InvalidECCN:
        claimed = None
    if claimed is not None and not claimed.is_ear99:
        heads.add(claimed.head)
    return heads


def military_reasons(app: Application, country: Country, table: dict[str, Any]) -> list[Reason]:
    row = table["reasons"]["military_end_use"]
    hits = _cue_hits(app, row["fields"], row["cues"])
    if not hits:
        return []
    covered = country.name in row["countries"]
    where = (
        f"{country.name} is named in 744.21(a)"
        if covered
        else f"{country.name} is not named in 744.21(a); a military end use may still need a license elsewhere"
    )
    extra = {} if covered else {"severity": row["severity_elsewhere"], "weight": row["weight_elsewhere"]}
    return [reason(table, "military_end_use", f"{'; '.join(hits)}; {where}", **extra)]


def encryption_reasons(app: Application, classification: Classification, table: dict[str, Any]) -> list[Reason]:
    row = table["reasons"]["encryption_government_end_user"]
    controlled = sorted(_heads(app, classification) & set(row["eccns"]))
    if not controlled:
        return []
    hits = _cue_hits(app, row["fields"], row["cues"])
    if not hits:
        return []
    detail = f"{', '.join(controlled)} (not mass market) and {'; '.join(hits)}: a possible government end user"
    return [reason(table, "encryption_government_end_user", detail)]


def red_flag_reasons(app: Application, classification: Classification, table: dict[str, Any]) -> list[Reason]:
    row = table["reasons"]["kyc_red_flag"]
    controlled = any(s.eccn != "EAR99" for s in classification.suggestions[:1]) or bool(_heads(app, classification))
    out = []
    for flag in row["flags"]:
        if flag.get("controlled_items_only") and not controlled:
            continue
        hits = _cue_hits(app, flag["fields"], flag["cues"])
        if hits:
            out.append(reason(table, "kyc_red_flag", f"“{flag['quote']}” — {'; '.join(hits)}"))
    return out
