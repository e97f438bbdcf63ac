"""Rules ``mtcr_category_1`` and ``mtcr_category_2``.

Category I (MTCR Annex Items 1 and 2): complete rocket or UAV systems capable of at least the payload
and range of Item 1, their complete subsystems (Item 2: stages, re-entry vehicles, rocket motors at or
above the total impulse of Item 2(c), guidance sets, thrust vector control, safing/arming/fuzing/firing)
and production facilities for them. Findings cite the EAR (15 CFR 742.5, the CCL's MT rows); the
thresholds are read from ``corpus/mtcr_annex.json``, the MTCR Annex as printed in the historical 22 CFR
121.16 (now [Reserved]), named as their source only. Licensing policy comes from ``corpus/rules/mtcr.json``.
A Category I finding decides: it marks the item as probably on the USML (the license view then asks for a
review of jurisdiction), puts the CCL's "subject to the ITAR" entry for the subsystem first where there
is one, and a UAV under 800 km/h gets the case-by-case policy of § 742.5(b)(1) Note 1.
Category II: an entry with the MT reason for control (15 CFR 742.5).
"""

from __future__ import annotations

import re
from functools import lru_cache

from classifier.quantities import Quantity, quantities
from classifier.result import Finding
from classifier.rules.base import RuleContext, finding

SYSTEM = re.compile(
    r"\b(rockets?|missiles?|launch vehicles?|space launch|sounding rockets?|uavs?|unmanned aerial|unmanned air|"
    r"drones?|cruise missiles?|target drones?|uas|unmanned aircraft)\b",
    re.I,
)
SUBSYSTEMS = {  # MTCR Annex Item 2 sub-items and the words exporters use for them
    "2.a": re.compile(r"\b(rocket stages?|individual stages?|first stage|second stage|upper stage)\b", re.I),
    "2.b": re.compile(r"\b(re-?entry vehicles?|heat shields? for re-?entry)\b", re.I),
    "2.c": re.compile(
        r"\b(rocket (?:engines?|motors?)|solid (?:propellant|rocket) motors?|liquid (?:propellant|rocket) engines?)\b",
        re.I,
    ),
    "2.d": re.compile(r"\bguidance sets?\b", re.I),
    "2.e": re.compile(r"\bthrust vector control\b", re.I),
    "2.f": re.compile(r"\b(safing|arming|fuzing|fuze|firing mechanisms?)\b", re.I),
}
FACILITY = re.compile(
    r"\b(production (?:facilit\w+|lines?|plants?)|turn-?key (?:plant|factory)|manufacturing plant)\b", re.I
)
UAV = re.compile(r"\b(uavs?|unmanned aerial|unmanned air|drones?|cruise missiles?|uas|unmanned aircraft)\b", re.I)
SPACE_LAUNCH = re.compile(r"\b(space launch|launch vehicles?|orbital launch|satellite launch)\b", re.I)


def _threshold(annex: dict[str, dict], item: str, dimension_unit: str) -> Quantity | None:
    """A threshold the MTCR Annex states for an item, as a Quantity (500 kg, 300 km, 1.1 × 10^6 N-sec)."""
    for t in annex[item]["thresholds"]:
        if t["unit"] == dimension_unit:
            return _quantity(t["text"])
    return None


@lru_cache(maxsize=64)
def _quantity(text: str) -> Quantity | None:
    found = quantities(text)
    return found[0] if found else None


def _policy(ctx: RuleContext, facility: bool, space_launch: bool) -> str:
    table = ctx.corpus.rule_table("mtcr")
    policy = table["policy"]
    parts = [policy["presumption_of_denial"], policy["us_2024"]]
    if ctx.destination is not None:
        member = ctx.destination.in_group(table["partner_group"])
        parts.append(
            f"{ctx.destination.name} is {'' if member else 'not '}in Country Group {table['partner_group']} "
            f"(MTCR partners){'' if member else ': no case-by-case partner review under the 2024 policy'}."
        )
    if facility:
        parts.append(
            "This is a production facility: complete Category I production facilities are excluded from "
            "case-by-case review and are not to be transferred."
        )
    if space_launch:
        parts.append("Space launch vehicle items for vetted partner space programs are reviewed case by case.")
    parts.append(policy["itar"])
    return " ".join(parts)


USML_REF = re.compile(r"Cat\.\s*([IVX]+)\s*(?:,\s*)?(\([a-z0-9]+\)(?:\s*and\s*\([a-z0-9]+\))?)?")
LIQUID = re.compile(r"\bliquid\b", re.I)


def _usml(annex: dict[str, dict], item: str) -> list[str]:
    """USML categories the historical annex text names for an item ("Cat. IV(h)" → "IV(h)")."""
    texts = [annex[i]["text"] for i in annex if i == item or i.startswith(item + ".")]
    found = []
    for text in texts:
        for cat, par in USML_REF.findall(text):
            found += [f"{cat}{p}" for p in re.findall(r"\([a-z0-9]+\)", par)] or [cat]
    return list(dict.fromkeys(found))


def _airspeed_kmh(ctx: RuleContext) -> float | None:
    speeds = [q.value * 3.6 for q in ctx.facts.quantities if q.dimension == "speed"]
    return max(speeds) if speeds else None


def _decides(usml: list[str], table: dict) -> dict[str, object]:
    """Facts that make the finding change the license answer: probably on the USML (ITAR)."""
    named = f"USML Category {', '.join(usml)} (as the historical annex text names them)" if usml else "the USML"
    return {"jurisdiction": "probably ITAR", "read": [f"22 CFR 121.1: {named}", table["category_1_citation"]]}


def _system(ctx: RuleContext, table: dict, annex: dict[str, dict], used: dict, citation: str) -> list[Finding]:
    """A complete rocket or UAV system at or above Item 1 (a space launch vehicle reaches orbit: range met)."""
    f = ctx.facts
    facility, space_launch = bool(FACILITY.search(f.text)), bool(SPACE_LAUNCH.search(f.text))
    payload_limit = _threshold(annex, table["payload_item"], "kg")
    assert payload_limit is not None
    change = ctx.demote(("EAR99",), "an MTCR Category I system is not an EAR99 item; it is most likely on the USML")
    uav = table["uav_case_by_case"]
    airspeed = _airspeed_kmh(ctx)
    slow_uav = bool(UAV.search(f.text)) and airspeed is not None and airspeed < uav["max_airspeed_kmh_below"]
    if f.payload_kg is None:
        outcome = "MTCR Category I system unless its payload capability is below " + payload_limit.text
    else:
        outcome = "MTCR Category I system: strong presumption of denial"
    if slow_uav:
        outcome = (
            f"MTCR Category I system; a UAV under {uav['max_airspeed_kmh_below']} km/h is reviewed case by case "
            f"({uav['citation']})"
        )
    carries = f"{f.payload_kg:g} kg" if f.payload_kg is not None else "a payload not stated"
    if space_launch and f.range_km is None:
        why = (
            f"A space launch vehicle (a 'missile' under {table['space_launch_vehicles']['citation']}) carrying "
            f"{carries} reaches orbit, far beyond the 300 km range of Item 1"
        )
    else:
        why = f"A rocket or UAV system delivering {carries} to {f.range_km:g} km meets Item 1"
    policy = f"{uav['citation']}: {uav['quote']}." if slow_uav else _policy(ctx, facility, space_launch)
    return [
        finding(
            "mtcr_category_1",
            True,
            outcome,
            citation,
            f"{why} (at least {payload_limit.text} to at least 300 km; thresholds: {table['thresholds_source']}). "
            + policy
            + (f" {change}." if change else ""),
            airspeed_kmh=airspeed,
            **used,
            **_decides(_usml(annex, "1"), table),
        )
    ]


def category_1(ctx: RuleContext) -> list[Finding]:
    annex = {i["id"]: i for i in ctx.corpus.mtcr_annex["items"]}
    table = ctx.corpus.rule_table("mtcr")
    f = ctx.facts
    payload_limit = _threshold(annex, table["payload_item"], "kg")
    range_limit = _threshold(annex, table["payload_item"], "km")
    impulse_limit = _threshold(annex, table["impulse_item"], "N-sec")
    assert payload_limit and range_limit and impulse_limit, "MTCR Annex thresholds missing from the corpus"
    citation = table["category_1_citation"]
    is_system = bool(SYSTEM.search(f.text))
    space_launch = bool(SPACE_LAUNCH.search(f.text))
    payload, distance = f.payload_kg, f.range_km
    used = {
        "payload_kg": payload,
        "range_km": distance,
        "payload_threshold_kg": payload_limit.value,
        "range_threshold_km": range_limit.value,
    }
    range_met = distance is not None and distance >= range_limit.value
    if space_launch and distance is None:
        range_met = True  # an orbital launch vehicle: § 742.5(a)(2) counts it among "missiles"
    payload_met = payload is not None and payload >= payload_limit.value
    if is_system and range_met and (payload_met or (space_launch and payload is None)):
        return _system(ctx, table, annex, used, citation)

    below = payload is not None and distance is not None and not (payload_met and range_met)
    for item, pattern in SUBSYSTEMS.items():
        if not pattern.search(f.text):
            continue
        if item == "2.c":
            impulses = [q for q in f.quantities if q.dimension == "impulse"]
            if not impulses or max(q.value for q in impulses) < impulse_limit.value:
                continue
            used["total_impulse_ns"] = max(q.value for q in impulses)
        if below:
            continue  # Note (1) to Item 2: subsystems for systems below Item 1 are treated as Category II
        excepted = table["item_2_exceptions"].get(item)
        if excepted and re.search(excepted["cue"], f.text, re.I) and not SYSTEM.search(f.text):
            return [
                finding(
                    "mtcr_category_1",
                    False,
                    f"not MTCR Category I: Item {item} excepts {excepted['exception']} "
                    "(Category II, Note (1) to Item 2)",
                    citation,
                    f"Item {item} of the MTCR Annex ({table['thresholds_source']}) excepts {excepted['exception']}; "
                    f"they may be treated as Category II (Note (1) to Item 2): {annex['2']['notes'][0]}",
                    **used,
                )
            ]
        pointer = table["usml_pointers"].get(item) or table["usml_pointers"].get(
            f"{item}-{'liquid' if LIQUID.search(f.text) else 'solid'}"
        )
        top = ctx.top
        change = ""
        if pointer and not (top is not None and top.eccn != "EAR99" and ctx.corpus.lookup(top.eccn).itar_pointer):
            change = ctx.promote(
                pointer["eccn"], f"MTCR Category I complete subsystem (Annex Item {item}), on the USML"
            )
        return [
            finding(
                "mtcr_category_1",
                True,
                f"MTCR Category I complete subsystem (Annex Item {item})",
                citation,
                f"The description names an Item {item} subsystem usable in Item 1 systems: "
                f"{annex[item]['text'][:160]} (thresholds and wording: {table['thresholds_source']}). "
                + _policy(ctx, bool(FACILITY.search(f.text)), space_launch)
                + (f" {change}." if change else ""),
                **used,
                **_decides(_usml(annex, item), table),
            )
        ]

    if not is_system:
        return [
            finding(
                "mtcr_category_1",
                False,
                "not MTCR Category I",
                citation,
                "No complete rocket or UAV system, Item 2 subsystem or production facility is described.",
            )
        ]
    missing = [n for n, v in (("payload", payload), ("range", distance)) if v is None]
    why = (
        f"{' and '.join(missing)} not stated"
        if missing
        else f"{payload:g} kg / {distance:g} km is below {payload_limit.text} / {range_limit.text}"
    )
    return [
        finding(
            "mtcr_category_1",
            False,
            "not MTCR Category I",
            citation,
            f"A rocket or UAV, but Item 1 needs at least {payload_limit.text} payload to at least "
            f"{range_limit.text} ({why}; thresholds: {table['thresholds_source']}).",
            **used,
        )
    ]


def category_2(ctx: RuleContext) -> list[Finding]:
    table = ctx.corpus.rule_table("mtcr")
    top = ctx.top
    if top is None or top.eccn == "EAR99":
        return [
            finding(
                "mtcr_category_2",
                False,
                "no MT reason for control",
                table["category_2_policy"]["citation"],
                "The top suggestion carries no MT reason for control.",
            )
        ]
    rows = ctx.corpus.controls_for(top.eccn)
    mt = [r for r in rows if "MT" in r["reasons"]]
    if not mt:
        return [
            finding(
                "mtcr_category_2",
                False,
                "no MT reason for control",
                table["category_2_policy"]["citation"],
                f"{top.eccn} carries no MT reason for control.",
            )
        ]
    return [
        finding(
            "mtcr_category_2",
            True,
            f"{top.eccn} is controlled for missile technology (MT)",
            f"15 CFR 742.5; {table['category_2_policy']['citation']}",
            f"{mt[0]['control_text']} → {', '.join(mt[0]['columns']) or mt[0]['country_chart_text']}. "
            "Applications are reviewed case by case for a material contribution to missile proliferation "
            "(MTCR Category II items carry the MT reason).",
            eccn=top.eccn,
        )
    ]
