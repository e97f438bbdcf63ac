"""Screening results for the terminal."""

from __future__ import annotations

from typing import Any


def render_screening(data: dict[str, Any]) -> str:
    """``Screening.to_dict()`` as text: the list's date, then each match with what to check."""
    where = f" (country {data['country']})" if data.get("country") else ""
    lines = [
        f"Screening '{data['query']}'{where} against the Consolidated Screening List of {data['list_date']}"
        f" (threshold {data['threshold']:.2f})"
    ]
    if not data["matches"]:
        lines.append("   no match: no listed party scored at or above the threshold (aliases included)")
    for i, m in enumerate(data["matches"], 1):
        lines.append(f"{i}. {m['score']:.2f}  {m['name']}  [{m['list']}: {m['list_name']}]  {m['country']}")
        if m["matched_alias"] != m["name"]:
            lines.append(f"   matched as: {m['matched_alias']}")
        lines.append(f"   why: {m['why']}")
        for label, key in (
            ("license requirement", "license_requirement"),
            ("license review policy", "license_policy"),
            ("Federal Register", "federal_register"),
            ("programs", "programs"),
            ("source", "source_url"),
        ):
            if m.get(key):
                lines.append(f"   {label}: {m[key]}")
        lines.append(f"   means: {m['effect']} [{m['citation']}]")
    lines.append("A match is a candidate for review, not a finding that the party is the listed one.")
    return "\n".join(lines)
