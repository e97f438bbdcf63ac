"""Rule ``screening``: are the named parties (end user, consignee) on the Consolidated Screening List?

One finding per named party, from the same screener the CLI's ``screen`` and the triage use. A hit is
triggered and cites the list's legal basis (Entity List: 15 CFR 744.11 and 744.16); no hit says which list
date was searched at which threshold; a party is "not screened" only when the list is absent (or the name
cannot be screened), and that finding is triggered too: unknown is never "no".
"""

from __future__ import annotations

from typing import Any

from classifier import screening
from classifier.corpus import Corpus
from classifier.countries import Country
from classifier.facts import Facts
from classifier.result import Finding
from classifier.rules.base import finding

CSL = "Consolidated Screening List (15 CFR 744.11 and Supplement No. 4 to part 744 for the Entity List)"
ROLES = (("end user", "end_user"), ("consignee", "consignee"))


def named_parties(facts: Facts) -> list[tuple[str, str]]:
    """(role, name) for each party the request names."""
    given = {"end_user": facts.end_user, "consignee": facts.extra.get("consignee")}
    return [(role, str(given[key]).strip()) for role, key in ROLES if given[key] and str(given[key]).strip()]


def match_facts(match: screening.Match) -> dict[str, Any]:
    """What a reviewer needs of one hit, as plain data."""
    keys = (
        "name",
        "matched_alias",
        "list",
        "list_name",
        "score",
        "country",
        "license_requirement",
        "license_policy",
        "federal_register",
        "source_url",
        "citation",
        "effect",
        "severity",
        "weight",
    )
    return {k: getattr(match, k) for k in keys}


def _hit(role: str, name: str, result: screening.Screening) -> Finding:
    best = result.matches[0]
    more = f" and {len(result.matches) - 1} more" if len(result.matches) > 1 else ""
    said = [
        best.effect,
        f"License requirement: {best.license_requirement}" if best.license_requirement else "",
        f"License review policy: {best.license_policy}" if best.license_policy else "",
        f"Federal Register: {best.federal_register}" if best.federal_register else "",
        f"Matched as '{best.matched_alias}'; Consolidated Screening List of {result.list_date}",
        "A match is a candidate for review, not a finding that the party is the listed one",
    ]
    return finding(
        "screening",
        True,
        f"{role} '{name}' matches {best.name} on the {best.list_name} (score {best.score:.2f}){more}",
        best.citation,
        " ".join(s if s.endswith(".") else s + "." for s in said if s),
        party=role,
        name=name,
        list_date=result.list_date,
        threshold=result.threshold,
        matches=[match_facts(m) for m in result.matches],
    )


def _not_screened(role: str, name: str, why: str) -> Finding:
    return finding(
        "screening",
        True,
        f"{role} '{name}' not screened: {why}",
        CSL,
        "The party could not be checked against the screening lists; check it before proceeding.",
        party=role,
        name=name,
    )


def evaluate(facts: Facts, corpus: Corpus, destination: Country | None) -> list[Finding]:
    parties = named_parties(facts)
    if not parties:
        return []
    try:
        screener = screening.load(corpus.directory)
    except screening.ListMissing as err:
        return [_not_screened(role, name, f"the screening list is absent ({err})") for role, name in parties]
    findings = []
    for role, name in parties:
        try:
            result = screener.screen(name, destination.name if destination else None)
        except screening.ScreeningInputError as err:
            findings.append(_not_screened(role, name, str(err)))
            continue
        if result.hit:
            findings.append(_hit(role, name, result))
        else:
            findings.append(
                finding(
                    "screening",
                    False,
                    f"{role} '{name}': no match on the Consolidated Screening List of {result.list_date}",
                    CSL,
                    f"No listed party scored {result.threshold:.2f} or more against this name (aliases included"
                    + (f", parties listed outside {destination.name} scored lower" if destination else "")
                    + "). Screening checks names; it does not replace knowing the customer.",
                    party=role,
                    name=name,
                    list_date=result.list_date,
                    threshold=result.threshold,
                )
            )
    return findings
