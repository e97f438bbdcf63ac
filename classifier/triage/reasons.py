"""The reasons triage reads from the classification: screening hits, MTCR Category I, the claimed ECCN
against the suggestions, the license answer, and the destination (embargo, Country Groups D and E).

Each function takes what it needs and returns Reasons; weights, severities and citations come from
``corpus/rules/triage.json`` and, for screening hits, ``corpus/rules/screening_lists.json``.
"""

from __future__ import annotations

from typing import Any

from classifier.corpus import Corpus
from classifier.countries import Country
from classifier.eccn import ECCN, InvalidECCN
from classifier.result import Classification, percent
from classifier.triage.model import Reason

LICENSE_VERDICTS = ("required", "not required", "review")


def reason(table: dict[str, Any], code: str, detail: str, citation: str = "", **overrides: Any) -> Reason:
    row = table["reasons"][code]
    return Reason(
        code=code,
        severity=overrides.get("severity", row["severity"]),
        weight=float(overrides.get("weight", row["weight"])),
        title=row["title"],
        detail=detail,
        citation=citation or row.get("citation", ""),
    )


def license_verdict(view: dict[str, Any] | None) -> str | None:
    """The license answer as "required", "not required" or "review": the view's ``verdict`` when it has one,
    else read from ``license_required`` (None, or a row needing a reader, means review). None: no view."""
    if view is None:
        return None
    verdict = view.get("verdict")
    if verdict in LICENSE_VERDICTS:
        return str(verdict)
    required = view.get("license_required")
    if required is None:
        return "review"
    if required:
        return "required"
    return "review" if view.get("needs_review") else "not required"


def screening_reasons(classification: Classification, table: dict[str, Any]) -> list[Reason]:
    """One reason per named party and list it matches (a party on the SDN list and the Entity List gives two);
    the weight is the list's, times the match score."""
    out = []
    for f in classification.findings:
        if f.rule != "screening" or not f.triggered:
            continue
        matches = f.facts.get("matches")
        if not matches:
            out.append(reason(table, "party_not_screened", f.outcome, f.citation))
            continue
        by_list: dict[str, dict[str, Any]] = {}
        for m in matches:
            by_list.setdefault(m["list"], m)
        for m in by_list.values():
            terms = [f"License requirement: {m['license_requirement']}"] if m.get("license_requirement") else []
            terms += [f"License review policy: {m['license_policy']}"] if m.get("license_policy") else []
            terms += [m["federal_register"]] if m.get("federal_register") else []
            out.append(
                Reason(
                    code="screening",
                    severity=m["severity"],
                    weight=round(float(m["weight"]) * float(m["score"]), 2),
                    title=f"{f.facts['party'].capitalize()} matches the {m['list_name']}",
                    detail=(
                        f"'{f.facts['name']}' ~ {m['name']} (as '{m['matched_alias']}', score {m['score']:.2f}"
                        + (f", {m['country']}" if m.get("country") else "")
                        + f"). {m['effect']}"
                        + (" " + "; ".join(terms) + "." if terms else "")
                        + f" Consolidated Screening List of {f.facts['list_date']}."
                    ),
                    citation=m["citation"],
                )
            )
    return out


def mtcr_reasons(classification: Classification, table: dict[str, Any]) -> list[Reason]:
    return [
        reason(table, "mtcr_category_1", f.outcome, f.citation)
        for f in classification.findings
        if f.rule == "mtcr_category_1" and f.triggered
    ]


def _head(eccn: str) -> str:
    return eccn if eccn == "EAR99" else ECCN.parse(eccn).head


def claimed_eccn_reasons(
    claimed: str, classification: Classification, corpus: Corpus, table: dict[str, Any]
) -> list[Reason]:
    """The claimed ECCN against the suggestions: a claimed EAR99 for a controlled item weighs most."""
    if not claimed.strip():
        return []
    citation = "15 CFR part 774, Supplement No. 1 (Commerce Control List); 15 CFR 738.4"
    try:
        wanted = ECCN.parse(claimed)
        if not wanted.is_ear99:
            corpus.lookup(wanted)
    except (InvalidECCN, KeyError):
        return [reason(table, "claimed_eccn_unknown", f"'{claimed}' is not an ECCN of this CCL edition", citation)]
    suggestions = classification.suggestions
    top = suggestions[0]
    shown = f"{top.eccn} ({top.heading[:80]}, {percent(top.confidence)})"
    if wanted.is_ear99:
        if top.eccn == "EAR99":
            return []
        return [reason(table, "claimed_ear99_controlled", f"claimed EAR99; the first suggestion is {shown}", citation)]
    if top.eccn == "EAR99":
        return [
            reason(
                table, "claimed_controlled_first_ear99", f"claimed {wanted}; the first suggestion is EAR99", citation
            )
        ]
    heads = [_head(s.eccn) for s in suggestions]
    if heads[0] == wanted.head:
        return []
    if wanted.head in heads:
        place = heads.index(wanted.head) + 1
        detail = f"claimed {wanted} is suggestion {place}; the first is {shown}"
        return [reason(table, "claimed_eccn_alternative", detail, citation)]
    detail = f"claimed {wanted} is not among the {len(suggestions)} suggestions; the first is {shown}"
    return [reason(table, "claimed_eccn_not_suggested", detail, citation)]


def license_reasons(classification: Classification, table: dict[str, Any]) -> list[Reason]:
    view = classification.license
    verdict = license_verdict(view)
    if view is None or verdict == "not required":
        return []
    citation = str(view.get("citation", "15 CFR 738.4"))
    if verdict == "required":
        rows = [r["reason"] for r in view.get("rows", []) if r.get("license_required")]
        why = f" ({', '.join(rows)})" if rows else (" (embargo, part 746)" if view.get("embargo") else "")
        detail = f"{view['id']} to {view['destination']}: license required{why}"
        return [reason(table, "license_required", detail, citation)]
    detail = f"{view['id']} to {view['destination']}: a reviewer must read the rows marked for review"
    return [reason(table, "license_review", detail, citation)]


def destination_reasons(country: Country, table: dict[str, Any]) -> list[Reason]:
    out = []
    if country.embargoed:
        out.append(reason(table, "embargoed_destination", f"{country.name}: {country.embargo_note}".strip(": ")))
    groups_e = [g for g in country.country_groups if g.startswith("E")]
    if groups_e:
        out.append(reason(table, "country_group_e", f"{country.name} is in Country Group {', '.join(groups_e)}"))
    groups_d = [g for g in country.country_groups if g.startswith("D")]
    if groups_d:
        out.append(reason(table, "country_group_d", f"{country.name} is in Country Group {', '.join(groups_d)}"))
    return out
