"""Rule ``license``: is a license required to export an ECCN paragraph (or EAR99) to a destination?

The answer is three-valued — required, not required, or review (with what to read) — and puts together,
in the order of 15 CFR 738.4 and 732.3:
1. jurisdiction: an entry "subject to the ITAR" is not an EAR license decision at all (State Department);
2. the entry's License Requirements against the Country Chart, with its footnotes and the entry's
   License Requirement Notes (``country_chart.py``);
3. embargoes and sanctions of part 746 (``sanctions.py``);
4. end-use and end-user rules of part 744 for a stated end use (``end_use.py``);
5. findings of other rules that change jurisdiction or control (MTCR Category I: probably the USML).
Unknown is never "no": a row that cannot be read, a section this corpus does not hold, or a condition
a person must confirm makes the answer "review". Then the entry's list-based license exceptions that may
still apply are listed, and those ruled out with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from classifier.corpus import Corpus, Lookup
from classifier.countries import Country
from classifier.eccn import ECCN
from classifier.result import Finding
from classifier.rules.answers import NOT_REQUIRED, REQUIRED, REVIEW, answer, as_bool, combine, in_destinations
from classifier.rules.base import RuleContext, finding
from classifier.rules.country_chart import CHART, note_answers, row_answers
from classifier.rules.end_use import check_end_use, end_use_answers
from classifier.rules.sanctions import allowed_exceptions, civil_end_user_note, sanction_answers

ITAR = "22 CFR parts 120-130 (ITAR); 22 CFR 121.1 (U.S. Munitions List)"
CITATION = f"{CHART}; 15 CFR parts 744 and 746"


def _itar(found: Lookup) -> dict[str, Any]:
    categories = found.entry.get("usml_categories") or []
    named = f"USML Category {', '.join(categories)}" if categories else "the USML (22 CFR 121.1): find its category"
    return answer(
        "jurisdiction",
        REVIEW,
        ITAR,
        f"{found.id} says its items are “subject to the ITAR”: they are defense articles on {named}, under "
        "State Department (DDTC) jurisdiction. An EAR license answer does not apply; an ITAR license or exemption "
        "is needed for their export.",
        [ITAR, "15 CFR part 774, Supplement No. 4, paragraph (a) (order of review)"],
        jurisdiction="ITAR",
    )


def _from_findings(deciding: Sequence[Finding]) -> list[dict[str, Any]]:
    """Findings that change jurisdiction or control (MTCR Category I: probably on the USML) as answers."""
    return [
        answer(
            f.rule,
            REVIEW,
            f.citation,
            f"{f.outcome}: {f.explanation[:300]}",
            f.facts.get("read") or [f.citation],
            jurisdiction=f.facts.get("jurisdiction", ""),
        )
        for f in deciding
    ]


def _exceptions(
    corpus: Corpus, found: Lookup, country: Country, answers: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The entry's list-based exceptions that may overcome the requirement, and those ruled out (with why)."""
    catalogue = {sym: e for e in corpus.countries["license_exceptions"] for sym in e["symbols"]}
    eligibility = corpus.rule_table("license_exceptions")["eligibility"]
    allowed, restricted_by = allowed_exceptions(corpus, country)
    chart_reasons = {a["reason"] for a in answers if a["source"] == "Country Chart" and a["verdict"] != NOT_REQUIRED}
    end_use_bars = [a["citation"] for a in answers if a["source"] == "part 744" and "No license exceptions" in a["why"]]
    offered, ruled_out = [], []
    item = found.id
    for symbol, exc in found.entry["license_exceptions"].items():
        first = symbol.split("/")[0]
        scoped = [ECCN.parse(p) for p in exc["paragraphs"] if ECCN.is_valid(p)]
        if not exc["available"] or (
            item.path
            and scoped
            and not any(item.is_descendant_of(p, strict=False) or p.is_descendant_of(item) for p in scoped)
        ):
            continue  # N/A for the entry, or scoped to other paragraphs
        rule = eligibility.get(first, {})
        why = ""
        if any(item.is_descendant_of(p, strict=False) for p in exc.get("not_for", []) if ECCN.is_valid(p)):
            why = f"the entry says N/A for {', '.join(exc['not_for'])}"
        elif allowed is not None and first not in allowed:
            why = f"not among the license exceptions part 746 allows to {country.name} ({restricted_by})"
        elif end_use_bars:
            why = f"no license exceptions apply to the end-use requirement ({', '.join(end_use_bars)})"
        elif rule.get("destination_groups") and not in_destinations(
            corpus,
            country,
            {"groups": rule["destination_groups"], "except_countries": rule.get("except_countries", [])},
        ):
            why = f"{country.name} is not an eligible destination ({rule['citation']}: {rule['quote'][:90]}…)"
        elif any(country.in_group(g) for g in rule.get("not_destination_groups", [])):
            why = f"not available to {country.name} ({rule['citation']})"
        elif first == "GBS" and chart_reasons - {"NS"}:
            others = ", ".join(sorted(chart_reasons - {"NS"}))
            why = f"GBS covers national-security-only requirements; here also {others} ({rule['citation']})"
        if why:
            ruled_out.append({"symbol": symbol, "why": why})
            continue
        partial = [p for p in exc.get("not_for", []) if ECCN.is_valid(p) and ECCN.parse(p).is_descendant_of(item)]
        offered.append(
            {
                "symbol": symbol,
                "text": exc["text"],
                "value_limit_usd": exc["value_limit_usd"],
                "citation": catalogue.get(first, {}).get("section", "15 CFR part 740"),
                "note": f"N/A for {', '.join(partial)}" if partial else "",
            }
        )
    return offered, ruled_out


def _headline(view: dict[str, Any]) -> str:
    what = f"{view['id']} to {view['destination']}"
    if view["jurisdiction"] == "ITAR":
        return f"ITAR: {what} — subject to the ITAR (State Department jurisdiction); not an EAR license decision"
    if view["verdict"] == REQUIRED:
        why = sorted({a.get("reason") or a["citation"] for a in view["answers"] if a["verdict"] == REQUIRED})
        return f"LICENSE REQUIRED: {what} ({'; '.join(why)})"
    if view["verdict"] == REVIEW:
        reads = list(dict.fromkeys(r for a in view["review"] for r in a["read"]))
        return f"REVIEW: {what} — read {'; '.join(reads[:4])}"
    return f"no license required: {what} (Country Chart, part 746 and part 744 checked)"


def license_view(
    corpus: Corpus,
    item: str,
    destination: str,
    end_use: str | None = None,
    deciding: Sequence[Finding] = (),
) -> dict[str, Any]:
    """The license view of one ECCN paragraph (or EAR99) for one destination and, optionally, a stated end
    use; ``deciding``: findings that change jurisdiction or control. Raises UnknownId, UnknownCountry or
    UnknownEndUse on bad input."""
    country = corpus.country_table.resolve(destination)
    end_use = check_end_use(corpus, end_use)
    eccn = ECCN.parse(item)
    found = None if eccn.is_ear99 else corpus.lookup(item)
    rows: list[dict[str, Any]] = []
    answers: list[dict[str, Any]] = []
    if found is not None and found.itar_pointer:
        answers.append(_itar(found))
    elif found is not None:
        rows = row_answers(corpus, found, country)
        if not rows:
            answers.append(
                answer(
                    "License Requirements",
                    REVIEW,
                    f"15 CFR part 774, Supplement No. 1, ECCN {found.id.head}",
                    "the entry states no Control(s) row this tool can apply: read its License Requirements"
                    + "".join(f". {n['text'][:300]}" for n in found.entry["license_notes"][:1]),
                )
            )
        answers += rows + note_answers(corpus, found, country)
    checks: list[dict[str, str]] = []
    if not answers or answers[0].get("jurisdiction") != "ITAR":  # parts 744 and 746 govern items subject to the EAR
        answers += sanction_answers(corpus, found, country, rows)
        end_use_found, checks = end_use_answers(corpus, found.id if found else eccn, country, end_use)
        answers += end_use_found
    answers += _from_findings(deciding)
    verdict = combine([a["verdict"] for a in answers])
    jurisdiction = next((a["jurisdiction"] for a in answers if a.get("jurisdiction")), "EAR")
    offered, ruled_out = (
        _exceptions(corpus, found, country, answers)
        if found is not None and verdict != NOT_REQUIRED and jurisdiction == "EAR"
        else ([], [])
    )
    view: dict[str, Any] = {
        "id": str(found.id) if found else "EAR99",
        "destination": country.name,
        "part_of": country.part_of,
        "end_use": end_use,
        "verdict": verdict,
        "license_required": as_bool(verdict),
        "needs_review": verdict == REVIEW or any(a["verdict"] == REVIEW for a in answers),
        "jurisdiction": jurisdiction,
        "review": [
            {"read": a["read"], "why": a["why"], "citation": a["citation"], "source": a["source"]}
            for a in answers
            if a["verdict"] == REVIEW
        ],
        "answers": answers,
        "rows": [dict(r, license_required=as_bool(r["verdict"])) for r in rows],
        "end_use_checks": checks,
        "embargo": {"embargoed": True, "note": country.embargo_note} if country.embargoed else None,
        "footnotes": {str(n): corpus.country_table.footnotes.get(str(n), "") for n in country.footnotes},
        "license_exceptions": offered,
        "license_exceptions_ruled_out": ruled_out,
        "notes": [n for n in [civil_end_user_note(corpus, country, found.id)] if n] if found else [],
        "explanation": (
            "Required when any rule requires a license (an X in the Country Chart column of a reason for control "
            "that covers the item, a part 746 sanction, a part 744 end-use rule, a footnote or License Requirement "
            "Note), unless a license exception overcomes each requirement; review when a rule cannot be applied "
            "without reading the cited text; not required only when every rule was read and none requires one."
        ),
        "citation": CITATION,
    }
    view["headline"] = _headline(view)
    return view


def evaluate(ctx: RuleContext, findings: Sequence[Finding] = ()) -> tuple[list[Finding], dict[str, Any] | None]:
    """The license finding and view for the top suggestion, when a destination is given."""
    if ctx.destination is None or ctx.top is None:
        return [], None
    deciding = [f for f in findings if f.triggered and f.facts.get("jurisdiction")]
    view = license_view(ctx.corpus, ctx.top.eccn, ctx.destination.name, ctx.facts.extra.get("end_use"), deciding)
    return [
        finding(
            "license",
            view["verdict"] != NOT_REQUIRED,
            view["headline"],
            view["citation"],
            view["explanation"],
            destination=view["destination"],
            eccn=view["id"],
            verdict=view["verdict"],
        )
    ], view
