"""Three-valued license answers, and the scope tests every license rule shares.

A license answer is "required", "not required" or "review" (a person must read something this tool
cannot apply: the answer then names what to read and why). Unknown is never "not required": an answer
is "not required" only when every rule that could require a license was read and none does.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from classifier.corpus import Corpus
from classifier.countries import Countries, Country
from classifier.eccn import ECCN

REQUIRED = "required"
NOT_REQUIRED = "not required"
REVIEW = "review"
VERDICTS = (REQUIRED, REVIEW, NOT_REQUIRED)  # strongest first


def combine(verdicts: list[str]) -> str:
    """Required wins over review, review over not required; no answer at all is not required."""
    for verdict in VERDICTS:
        if verdict in verdicts:
            return verdict
    return NOT_REQUIRED


def as_bool(verdict: str) -> bool | None:
    """``license_required``: True, False, or None for review."""
    return {REQUIRED: True, NOT_REQUIRED: False}.get(verdict)


def answer(
    source: str, verdict: str, citation: str, why: str, read: list[str] | tuple[str, ...] = (), **extra: Any
) -> dict[str, Any]:
    """One rule's answer: which rule (source), what it says, why, and for review what to read."""
    out: dict[str, Any] = {"source": source, "verdict": verdict, "citation": citation, "why": why}
    if verdict == REVIEW:
        out["read"] = list(read) or [citation]
    out.update({k: v for k, v in extra.items() if v not in (None, "", [], ())})
    return out


@lru_cache(maxsize=512)
def _resolved(table: Countries, names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(table.resolve(n).name for n in names)


def named(corpus: Corpus, country: Country, names: list[str] | tuple[str, ...]) -> bool:
    """True when the destination, or the country a region is part of, is among ``names`` (any spelling
    the Country Chart aliases know: "North Korea" is "Korea, North")."""
    resolved = _resolved(corpus.country_table, tuple(names))
    return country.name in resolved or (bool(country.part_of) and country.part_of in resolved)


def in_destinations(corpus: Corpus, country: Country, spec: dict[str, Any]) -> bool:
    """Does a destination scope ({"all_destinations", "countries", "groups", "except_countries",
    "except_groups"}) include this destination?"""
    excluded = named(corpus, country, spec.get("except_countries", [])) or any(
        country.in_group(g) for g in spec.get("except_groups", [])
    )
    if excluded:
        return False
    if spec.get("all_destinations"):
        return True
    return named(corpus, country, spec.get("countries", [])) or any(country.in_group(g) for g in spec.get("groups", []))


def item_scope(item: ECCN, target: str) -> str | None:
    """ "full" when ``item`` lies at or under ``target`` (a listed ECCN or paragraph), "partial" when the
    target lies under the item (the item is an entry and only part of it is listed), else None."""
    if not ECCN.is_valid(target):
        return None
    listed = ECCN.parse(target)
    if item.is_descendant_of(listed, strict=False):
        return "full"
    if listed.is_descendant_of(item):
        return "partial"
    return None
