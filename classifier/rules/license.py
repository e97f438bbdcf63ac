"""Rule ``license``: does an ECCN paragraph need a license to a destination (15 CFR 738.4)?

One row per reason for control that covers the paragraph: its Country Chart column and whether the
destination has an X there. Rows stated in words ("to or within any destination worldwide", "Country
Groups D:1, D:4, and D:5 ... excluding A:5 or A:6") are read for destinations and groups; rows that refer
elsewhere are flagged for a person. Embargoed destinations point to part 746. The list-based license
exceptions of the entry are listed with their section and limits, as ones worth checking.
"""

from __future__ import annotations

import re
from typing import Any

from classifier.corpus import Corpus
from classifier.countries import Country
from classifier.eccn import ECCN
from classifier.result import Finding
from classifier.rules.base import RuleContext, finding

CHART = "15 CFR part 738, Supplement No. 1 (Commerce Country Chart); 15 CFR 738.4"
GROUPS = re.compile(r"\b([ABDE]:[1-6])\b")


def _worded_row(text: str, country: Country) -> bool | None:
    """A row stated in words: True/False when it can be read, None when a person must read it."""
    lowered = text.lower()
    if "worldwide" in lowered or "all destinations" in lowered:
        return True
    parts = re.split(r"\bexcluding\b", text, maxsplit=1, flags=re.I)
    included, excluded = parts[0], (parts[1] if len(parts) > 1 else "")
    groups = GROUPS.findall(included)
    if not groups and "macau" not in lowered:
        return None
    hit = any(country.in_group(g) for g in groups) or ("macau" in included.lower() and country.name == "Macau")
    if hit and excluded and any(country.in_group(g) for g in GROUPS.findall(excluded)):
        return False
    return hit


def _exceptions(corpus: Corpus, entry: dict[str, Any], item: ECCN, country: Country) -> list[dict[str, Any]]:
    """The entry's list-based exceptions that may cover this paragraph (those scoped to other paragraphs left out)."""
    catalogue = {sym: e for e in corpus.countries["license_exceptions"] for sym in e["symbols"]}
    out = []
    for symbol, exc in entry["license_exceptions"].items():
        if not exc["available"]:
            continue
        scoped = [ECCN.parse(p) for p in exc["paragraphs"] if ECCN.is_valid(p)]
        if (
            item.path
            and scoped
            and not any(item.is_descendant_of(p, strict=False) or p.is_descendant_of(item) for p in scoped)
        ):
            continue
        first = symbol.split("/")[0]
        section = catalogue.get(first, {}).get("section", "15 CFR part 740")
        note = ""
        if first == "GBS":
            note = (
                "eligible destination (Country Group B)"
                if country.in_group("B")
                else f"{country.name} is not in Country Group B"
            )
        elif first == "STA":
            note = "check Country Groups A:5/A:6 and the entry's STA conditions"
        elif first == "ENC" and (country.in_group("E:1") or country.in_group("E:2")):
            note = "not available to Country Groups E:1/E:2"
        out.append(
            {
                "symbol": symbol,
                "text": exc["text"],
                "value_limit_usd": exc["value_limit_usd"],
                "citation": section,
                "note": note,
            }
        )
    return out


def license_view(corpus: Corpus, item: str, destination: str) -> dict[str, Any]:
    """The license view of one ECCN paragraph (or EAR99) for one destination (UnknownId/UnknownCountry on bad input)."""
    country = corpus.country_table.resolve(destination)
    embargo = {"embargoed": country.embargoed, "note": country.embargo_note} if country.embargoed else None
    footnotes = {str(n): corpus.country_table.footnotes.get(str(n), "") for n in country.footnotes}
    if ECCN.parse(item).is_ear99:
        return {
            "id": "EAR99",
            "destination": country.name,
            "license_required": country.embargoed,
            "rows": [],
            "embargo": embargo,
            "footnotes": footnotes,
            "license_exceptions": [],
            "explanation": (
                "EAR99 items need no license under the Country Chart (NLR) unless the destination is "
                "embargoed (part 746) or an end use or end user prohibition applies (part 744)."
            ),
            "citation": CHART,
        }
    found = corpus.lookup(item)
    rows = []
    for row in corpus.controls_for(found.id):
        for reason in row["reasons"] or ["?"]:
            columns = [c for c in row["columns"] if c.startswith(reason)] or row["columns"]
            if columns:
                marks = {c: country.has_mark(c) for c in columns}
                required: bool | None = any(marks.values())
                how = ", ".join(f"{c}: {'X' if x else 'no X'}" for c, x in marks.items())
            else:
                required = _worded_row(row["country_chart_text"] or row["control_text"], country)
                how = row["country_chart_text"] or row["control_text"]
            rows.append(
                {
                    "reason": reason,
                    "columns": columns,
                    "license_required": required,
                    "how": how,
                    "partial": row["partial"],
                    "conditions": row.get("conditions", ""),
                    "control_text": row["control_text"],
                }
            )
    required_any = any(r["license_required"] for r in rows) or country.embargoed
    unclear = [r for r in rows if r["license_required"] is None]
    return {
        "id": str(found.id),
        "destination": country.name,
        "license_required": required_any,
        "needs_review": bool(unclear) or any(r["partial"] for r in rows),
        "rows": rows,
        "embargo": embargo,
        "footnotes": footnotes,
        "license_exceptions": _exceptions(corpus, found.entry, found.id, country) if required_any else [],
        "explanation": (
            "A license is required for each reason whose column has an X for the destination, unless a license "
            "exception applies to every such reason."
            + (
                " Rows marked as needing review refer to other sections or apply to part of the entry."
                if unclear
                else ""
            )
        ),
        "citation": CHART,
    }


def evaluate(ctx: RuleContext) -> tuple[list[Finding], dict[str, Any] | None]:
    if ctx.destination is None or ctx.top is None:
        return [], None
    view = license_view(ctx.corpus, ctx.top.eccn, ctx.destination.name)
    reasons = [r["reason"] for r in view["rows"] if r["license_required"]]
    outcome = (
        f"license required to {view['destination']} for {view['id']}" + (f" ({', '.join(reasons)})" if reasons else "")
        if view["license_required"]
        else f"no license required by the Country Chart to {view['destination']} for {view['id']}"
    )
    return [
        finding(
            "license",
            bool(view["license_required"]),
            outcome,
            view["citation"],
            view["explanation"],
            destination=view["destination"],
            eccn=view["id"],
        )
    ], view
