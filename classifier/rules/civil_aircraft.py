"""Rule ``civil_aircraft``: a part made for a civil aircraft is 9A991.d unless something stricter fits.

ECCN 9A991.d covers "parts" and "components" "specially designed" for "aircraft", n.e.s. A description that
names the aircraft a part is for (a Boeing 737 window seal, an FAA-PMA part; ``corpus/rules/implications.json``)
shows that it was made for it, so EAR99 is not the answer, and neither is an entry about something else that
merely shares a word. A stricter aviation entry the ranker put first (9A610 for a military aircraft, 9A001,
7A994 avionics …) stays first: this rule only replaces EAR99 and unrelated categories.
"""

from __future__ import annotations

from classifier.eccn import ECCN
from classifier.result import Finding
from classifier.rules.base import RuleContext, finding

RULE = "civil_aircraft"
TARGET = "9A991.d"
AVIATION_CATEGORIES = ("7", "9")  # navigation/avionics and aerospace: left to the ranker and order of review


def evaluate(ctx: RuleContext) -> list[Finding]:
    implied = ctx.facts.implies("civil_aircraft_part")
    if not implied:
        return []
    top = ctx.top
    citation = implied[0].citation
    if top is not None and top.eccn != "EAR99" and ECCN.parse(top.eccn).category in AVIATION_CATEGORIES:
        return [
            finding(
                RULE,
                False,
                f"a part for a civil aircraft; {top.eccn} (an aviation entry) stays first",
                citation,
                f"{implied[0].analysis}. The first suggestion is already an aviation entry; check that its "
                f"parameters are met, otherwise {TARGET} applies.",
            )
        ]
    change = ctx.promote(TARGET, "a part or component made for a civil aircraft (9A991.d, n.e.s.)")
    return [
        finding(
            RULE,
            True,
            f"{TARGET}: part or component specially designed for a civil aircraft",
            citation,
            f"The description names the aircraft the part is made for: {implied[0].analysis}. "
            + (change + "." if change else ""),
        )
    ]
