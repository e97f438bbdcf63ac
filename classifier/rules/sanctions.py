"""Embargoes and sanctions of 15 CFR part 746: Cuba, Iran, North Korea, Syria, Iraq, Russia and Belarus,
the Crimea region and the so-called DNR and LNR regions of Ukraine (``corpus/rules/sanctions.json``).

These requirements do not appear in the Country Chart columns (§ 746.1(a)(1)): a sanctioned destination
needs the part 746 section read, and the section decides. What it says about an item: every item, every
item but EAR99 food and medicine (which this tool cannot tell apart: review), every item in an ECCN, or
the CCL-based list of § 746.7 for Iran. The same sections name the only license exceptions that may be
used (§ 740.2(a)(6)).
"""

from __future__ import annotations

from typing import Any

from classifier.corpus import Corpus, Lookup
from classifier.countries import Country
from classifier.eccn import ECCN
from classifier.rules.answers import NOT_REQUIRED, REQUIRED, REVIEW, answer, item_scope, named

SOURCE = "part 746"


def programs_for(corpus: Corpus, country: Country) -> list[dict[str, Any]]:
    """The part 746 programs that name this destination."""
    return [p for p in corpus.rule_table("sanctions")["programs"] if named(corpus, country, p["destinations"])]


def _policy(program: dict[str, Any]) -> str:
    policy = program.get("policy")
    return f" Licensing policy ({policy['citation']}): {policy['quote']}" if policy else ""


def _iran(program: dict[str, Any], item: ECCN, rows: list[dict[str, Any]]) -> dict[str, Any]:
    columns = {c for r in rows for c in r.get("columns", [])} & set(program["ccl_columns"])
    listed = [e for e in program["ccl_eccns"] if item_scope(item, e)]
    if not item.is_ear99 and (columns or listed):
        why = f"{item} is on the CCL with {', '.join(sorted(columns)) or 'a listed ECCN (' + ', '.join(listed) + ')'}."
        return answer(SOURCE, REQUIRED, program["citation"], why + _policy(program), program=program["id"])
    ofac = program["ofac"]
    return answer(
        SOURCE,
        REQUIRED,
        ofac["citation"],
        f"{program['title']}: every item subject to the EAR needs an OFAC authorization where the Iranian "
        f"Transactions Regulations prohibit the export (§ 746.7(e)); an OFAC authorization is also the EAR "
        f"authorization (§ 746.7(a)(2)).{_policy(program)}",
        program=program["id"],
    )


def program_answer(corpus: Corpus, program: dict[str, Any], item: ECCN, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """What one program says about one item (rows: the item's Control(s) answers, for Iran and Iraq)."""
    kind = program["items"]
    title, citation = program["title"], program["citation"]
    note = f" Note: {program['edition_note']}" if program.get("edition_note") else ""
    if kind == "iran":
        return _iran(program, item, rows)
    if kind == "ccl_reasons":
        covered = set(program["ccl_reasons"])
        reasons = sorted({r["reason"] for r in rows if not r.get("partial") and not r.get("conditions")} & covered)
        maybe = sorted({r["reason"] for r in rows} & covered)
        if maybe and not reasons:
            return answer(
                SOURCE,
                REVIEW,
                citation,
                f"{title}: {item} is controlled for {', '.join(maybe)} only in part or under a condition; "
                "if that control covers the item, a license is required.",
                program=program["id"],
            )
        if item.is_ear99 or not reasons:
            return answer(
                SOURCE,
                NOT_REQUIRED,
                citation,
                f"{title}: § 746.3(a)(1)-(2) cover CCL items controlled for {', '.join(program['ccl_reasons'])}; "
                f"{item} {'is EAR99' if item.is_ear99 else 'has none of them'} (end uses: § 746.3(a)(4)).",
                program=program["id"],
            )
        return answer(
            SOURCE,
            REQUIRED,
            citation,
            f"{title}: {item} is controlled for {', '.join(reasons)}.",
            program=program["id"],
        )
    if kind == "all":
        return answer(
            SOURCE, REQUIRED, citation, f"{title}: {program['quote']}.{_policy(program)}{note}", program=program["id"]
        )
    if not item.is_ear99:
        software = program.get("comms_software")
        if software and any(item_scope(item, e) for e in software["eccns"]):
            return answer(
                SOURCE,
                REVIEW,
                software["citation"],
                f"{title}: {item} needs a license unless it is software for personal communications over the "
                f"internet offered to the public at no cost ({software['quote']}).",
                [citation, software["citation"]],
                program=program["id"],
            )
        return answer(
            SOURCE, REQUIRED, citation, f"{title}: {program['quote']}{_policy(program)}{note}", program=program["id"]
        )
    if kind == "any_eccn":
        ear99 = program["ear99"]
        return answer(
            SOURCE,
            REVIEW,
            ear99["citation"],
            f"{title}: an EAR99 item needs a license if it is listed in the part 746 supplements (by HTS code) or "
            f"is EAR99 software of the kinds § 746.8(a)(8)(ii) names; those supplements are not in this corpus.",
            ear99["read"],
            program=program["id"],
        )
    return answer(
        SOURCE,
        REVIEW,
        citation,
        f"{title}: an EAR99 item needs a license unless it is food or medicine (15 CFR 772.1 definitions)"
        + (" or free software for personal communications over the internet" if "comms" in kind else "")
        + f": {program['quote']}{note}",
        [citation, '15 CFR 772.1 ("food", "medicine")'],
        program=program["id"],
    )


def sanction_answers(
    corpus: Corpus, found: Lookup | None, country: Country, rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Every part 746 answer for the item (None: EAR99) to this destination."""
    item = found.id if found is not None else ECCN.parse("EAR99")
    return [program_answer(corpus, p, item, rows) for p in programs_for(corpus, country)]


def allowed_exceptions(corpus: Corpus, country: Country) -> tuple[set[str] | None, str]:
    """The license exceptions part 746 allows to this destination (None: no part 746 restriction), and why."""
    restricting = [p for p in programs_for(corpus, country) if p.get("restricts_license_exceptions", True)]
    if not restricting:
        return None, ""
    allowed = set.intersection(*({e["symbol"] for e in p["license_exceptions"]} for p in restricting))
    cited = corpus.rule_table("sanctions")["exceptions_restricted"]["citation"]
    return allowed, f"{cited}; {', '.join(p['citation'].split('(')[0].strip() for p in restricting)}"


def civil_end_user_note(corpus: Corpus, country: Country, item: ECCN) -> str:
    """§ 746.8(a)(12)(ii): mass-market encryption items to certain civil end users in Russia/Belarus."""
    for program in programs_for(corpus, country):
        exclusion = program.get("civil_end_user_exclusion")
        if exclusion and any(item_scope(item, e) == "full" for e in exclusion["eccns"]):
            return (
                f"No license is needed under {exclusion['citation']} if the end user is a subsidiary or joint "
                "venture of a U.S. or Country Group A:5/A:6 company (or an A:5/A:6 diplomatic mission), and the "
                "item was classified in accordance with § 740.17."
            )
    return ""
