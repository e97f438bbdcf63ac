"""End-use and end-user license requirements of 15 CFR part 744 (``corpus/rules/end_use.json``).

These turn on what the exporter knows about the end use (nuclear, missile, chemical or biological
weapons, military, military-intelligence, supercomputer and advanced semiconductor end uses): with a
stated end use, a rule whose item and destination scope match requires a license; without one, the
rules that this destination brings into play are listed as checks ("if you know ..."). The Entity List
(§ 744.11) is a function a screening step can call with a listed party's license requirement.
"""

from __future__ import annotations

import re
from typing import Any

from classifier.corpus import Corpus
from classifier.countries import Country
from classifier.eccn import ECCN
from classifier.rules.answers import NOT_REQUIRED, REQUIRED, REVIEW, answer, in_destinations, item_scope

SOURCE = "part 744"
ALL_ITEMS = re.compile(r"^\W*(?:for )?(?:all|any) items? subject to the EAR\b", re.I)
ALL_ITEMS_CONDITIONAL = re.compile(r"\b(?:when|if|unless|except|excluding|other than|listed in|limited to)\b", re.I)
SUPPLEMENT_2 = re.compile(r"listed in supplement no\. 2 to part 744", re.I)
CCL_AND_SUPP7 = re.compile(r"^\W*for items on the CCL\b", re.I)


class UnknownEndUse(ValueError):
    """An end use the part 744 table does not name; the message lists the accepted ones."""


def end_uses(corpus: Corpus) -> dict[str, str]:
    """The end uses a person may state, with what each means."""
    return dict(corpus.rule_table("end_use")["end_uses"])


def check_end_use(corpus: Corpus, end_use: str | None) -> str | None:
    if end_use is None:
        return None
    known = end_uses(corpus)
    key = end_use.strip().lower().replace(" ", "-").replace("_", "-")
    if key not in known:
        raise UnknownEndUse(f"unknown end use {end_use!r}; accepted: {', '.join(known)}")
    return key


def _item_scope(corpus: Corpus, rule: dict[str, Any], item: ECCN) -> str | None:
    """ "full", "limited" (a person must check the item is within the listing) or None (out of scope)."""
    items = rule["items"]
    if items == "all":
        return "full"
    if item.is_ear99:
        return None
    if items == "ccl":
        return "full"
    if items == "supplement_2_part_744":
        listed = [i for i in corpus.supplement_2_part_744["items"] if i["eccn"] == item.head]
        return None if not listed else ("limited" if listed[0]["limited"] else "full")
    scopes = {item_scope(item, e) for e in items["eccns"]}
    return "full" if "full" in scopes else ("limited" if "partial" in scopes else None)


def end_use_answers(
    corpus: Corpus, item: ECCN, country: Country, end_use: str | None
) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """(answers for the stated end use, checks this destination brings into play when none is stated)."""
    table = corpus.rule_table("end_use")
    answers: list[dict[str, Any]] = []
    checks: list[dict[str, str]] = []
    for rule in table["rules"]:
        scope = _item_scope(corpus, rule, item)
        if scope is None:
            continue
        destined = in_destinations(corpus, country, rule["destinations"])
        meaning = "; ".join(table["end_uses"][e] for e in rule["end_uses"])
        if end_use in rule["end_uses"]:
            if destined:
                verdict = REQUIRED if scope == "full" else REVIEW
                why = f"stated end use: {meaning}; {country.name} and {item} are in the rule's scope"
                if scope == "limited":
                    why += " (the listing of this ECCN is limited: check the item is within it)"
            elif rule.get("otherwise"):
                verdict, why = rule["otherwise"]["verdict"], rule["otherwise"]["why"]
            else:
                verdict, why = NOT_REQUIRED, f"{country.name} is outside the rule's destinations"
            no_exceptions = (
                f" No license exceptions apply ({rule['no_license_exceptions']})."
                if rule.get("no_license_exceptions")
                else ""
            )
            answers.append(answer(SOURCE, verdict, rule["citation"], why + no_exceptions, rule=rule["id"]))
        elif end_use is None and destined and not rule["destinations"].get("all_destinations"):
            checks.append(
                {
                    "rule": rule["id"],
                    "citation": rule["citation"],
                    "text": f"If you know the item is intended for {meaning}, "
                    f"a license is required ({rule['citation']}).",
                }
            )
    return answers, checks


def entity_list_requirement(corpus: Corpus, requirement: str, item: str) -> dict[str, Any]:
    """What a listed party's Entity List license requirement (Supplement No. 4 to part 744, "License
    requirement" column) means for an item (an ECCN or paragraph, or EAR99), under § 744.11(a).

    "For all items subject to the EAR" requires a license for every item; "For any item subject to the EAR
    listed in supplement no. 2 to part 744" for those items; anything conditional ("when used in projects
    specified in § 746.8(a)(4)") or unfamiliar is a review: never a silent "no"."""
    table = corpus.rule_table("end_use")["entity_list"]
    eccn = ECCN.parse(item)
    text = requirement.strip()
    why = f"Entity List license requirement: {text!r}."
    exceptions = " License exceptions only as the entry authorizes (§ 744.11(a))."
    if ALL_ITEMS.match(text) and not ALL_ITEMS_CONDITIONAL.search(text.split("(")[0]):
        return answer(SOURCE, REQUIRED, table["citation"], why + exceptions)
    if SUPPLEMENT_2.search(text):
        scope = _item_scope(corpus, {"items": "supplement_2_part_744"}, eccn)
        verdict = {None: NOT_REQUIRED, "full": REQUIRED, "limited": REVIEW}[scope]
        return answer(SOURCE, verdict, f"{table['citation']}; 15 CFR part 744, Supplement No. 2", why + exceptions)
    if CCL_AND_SUPP7.match(text):
        verdict = REVIEW if eccn.is_ear99 else REQUIRED
        return answer(SOURCE, verdict, table["citation"], why + exceptions, ["15 CFR part 746, Supplement No. 7"])
    return answer(
        SOURCE, REVIEW, table["citation"], why + " Read the Entity List entry.", ["15 CFR part 744, Supplement No. 4"]
    )
