"""Rule ``order_of_review``: Supplement No. 4 to part 774, applied to the suggestions.

Items subject to the ITAR first; then the "600 series" and 9x515 entries (Step 3: they "trump other
ECCNs on the CCL"); then the rest of the CCL; an x99x catch-all only when nothing stricter fits; EAR99
last. Step 3 decides: when a "600 series" or 9x515 candidate is among the suggestions and the
description says the item is military (or a spacecraft item), that candidate is put first, with the
reason. Warns when the top suggestion is an ITAR pointer, a ``.y`` paragraph, a catch-all, or depends on
"specially designed" (15 CFR 772.1).
"""

from __future__ import annotations

import re

from classifier.eccn import ECCN
from classifier.result import Finding
from classifier.rules.base import RuleContext, finding

RULE = "order_of_review"
MILITARY = re.compile(
    # "military-grade capacitors" and a "water tank" are marketing and plumbing, not military items
    r"\b(military(?![- ](?:grade|standard|spec\w*|inspired))|armed forces|army|navy|naval|air force|warships?|"
    r"fighter(?: jets?| aircraft)?|bombers?|f-\d{1,3}[a-z]?|(?:battle|army|military) tanks?|armou?red vehicles?|"
    r"munitions?|weapons?|fire[- ]control|combat|warheads?|"
    r"artillery|howitzers?|attack helicopters?)\b",
    re.I,
)
SPACECRAFT = re.compile(r"\b(satellites?|spacecraft)\b", re.I)
# "landing gear for the F-16 fighter", "reaction wheel for a commercial satellite": a part of the item the
# cue names, which the entry's ".x" paragraph ("parts" and "components" "specially designed" for it) describes
PART_OF = r"\b(?:for|of|on|in)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){{0,3}}{cue}"
SUPPLEMENT = "15 CFR part 774, Supplement No. 4"


def _step(ctx: RuleContext, number: str) -> str:
    """The text of one numbered step of Supplement No. 4, read from the corpus."""
    supplement = next(s for s in ctx.corpus.supplements if s["supplement"] == 4)
    for p in supplement["paragraphs"]:
        if p["text"].lstrip("() 0123456789i").startswith(f"Step {number}"):
            return p["text"]
    return ""


def _group_wanted(ctx: RuleContext) -> str:
    """The product group a promoted entry must share: the top suggestion's, else what the facts say."""
    top = ctx.top
    if top is not None and top.eccn != "EAR99":
        return ECCN.parse(top.eccn).group or "A"
    return "E" if ctx.facts.is_technology and not ctx.facts.is_software else "D" if ctx.facts.is_software else "A"


def step_3(ctx: RuleContext) -> list[Finding]:
    """Put a '600 series' or 9x515 candidate first when the description says what makes it one."""
    top = ctx.top
    if top is None:
        return []
    if top.eccn != "EAR99":
        current = ECCN.parse(top.eccn)
        if current.is_600_series or current.is_9x515 or ctx.corpus.lookup(current).itar_pointer:
            return []
    wanted = _group_wanted(ctx)
    for candidate in ctx.suggestions[1:]:
        if candidate.eccn == "EAR99":
            continue
        eccn = ECCN.parse(candidate.eccn)
        cue = MILITARY if eccn.is_600_series else SPACECRAFT if eccn.is_9x515 else None
        said = cue.search(ctx.facts.text) if cue is not None else None
        if said is None or eccn.group != wanted:
            continue
        series = "'600 series'" if eccn.is_600_series else "9x515"
        replaced = top.eccn
        catch_all = f"{eccn.head}.x"
        part_of = re.search(PART_OF.format(cue=re.escape(said.group(0))), ctx.facts.text, re.I)
        if part_of and catch_all in ctx.corpus.paragraphs:
            candidate_id = catch_all  # Step 4: parts "specially designed" for the item sit in the ".x" paragraph
        else:
            candidate_id = candidate.eccn
        change = ctx.promote(
            candidate_id,
            f"order of review Step 3: a {series} entry comes before {replaced} (the item is '{said.group(0)}')",
        )
        return [
            finding(
                RULE,
                True,
                f"{candidate_id} placed first: Step 3 reviews {series} entries before the rest of the CCL",
                f"{SUPPLEMENT}, paragraph (a)(3)",
                f"The description says the item is '{said.group(0)}', and {candidate_id} is a {series} candidate; "
                f"{replaced} was first. {_step(ctx, '3')[:300]} {change}. Confirm the item is described there "
                "(“specially designed”, 15 CFR 772.1); if it is not, the next ECCN in the order of review applies.",
                eccn=candidate_id,
                replaced=replaced,
            )
        ]
    return []


def evaluate(ctx: RuleContext) -> list[Finding]:
    promoted = step_3(ctx)
    return promoted + _warnings(ctx)


def _warnings(ctx: RuleContext) -> list[Finding]:
    top = ctx.top
    if top is None:
        return []
    if top.eccn == "EAR99":
        return [
            finding(
                RULE,
                False,
                "EAR99: no ECCN described the item (Step 6)",
                f"{SUPPLEMENT}, paragraph (a)(6)",
                _step(ctx, "6")[:400],
            )
        ]
    found = ctx.corpus.lookup(top.eccn)
    eccn = ECCN.parse(top.eccn)
    warnings: list[tuple[str, str, str]] = []
    if found.itar_pointer:
        warnings.append(
            (
                "points to the USML: the item is subject to the ITAR (22 CFR 120-130), not classified on the "
                "CCL; review the USML first",
                f"{SUPPLEMENT}, paragraph (a)",
                _step(ctx, "1")[:200],
            )
        )
    if eccn.is_600_series or eccn.is_9x515:
        warnings.append(
            (
                "a '600 series' or 9x515 entry: these are reviewed before the rest of the CCL (Step 3)",
                f"{SUPPLEMENT}, paragraph (a)(3)",
                _step(ctx, "3")[:300],
            )
        )
    if "y" in eccn.path[:1]:
        warnings.append(
            (
                "a '.y' paragraph: a low-control subset; confirm the item is not described in .a-.x (Step 4)",
                f"{SUPPLEMENT}, paragraph (a)(4)",
                _step(ctx, "4")[:300],
            )
        )
    if eccn.is_catch_all:
        warnings.append(
            (
                "an x99x catch-all: use it only after every stricter ECCN of the product "
                "group has been ruled out (Step 5)",
                f"{SUPPLEMENT}, paragraph (a)(5)",
                _step(ctx, "5")[:300],
            )
        )
    texts = [found.text, *(a["text"] for a in found.ancestors), found.entry["heading"]]
    if any("specially designed" in t for t in texts):
        warnings.append(
            (
                "depends on “specially designed”: apply the definition in 15 CFR 772.1 (Step 4.a, 4.b)",
                "15 CFR 772.1; " + f"{SUPPLEMENT}, paragraph (a)(4)",
                _step(ctx, "4.a")[:300],
            )
        )
    if not warnings:
        return [
            finding(
                RULE,
                False,
                "no order-of-review warning for the top suggestion",
                SUPPLEMENT,
                f"{top.eccn} is neither an ITAR pointer, a 600-series/9x515 or .y paragraph, a catch-all, nor "
                "dependent on “specially designed”.",
            )
        ]
    return [
        finding(RULE, True, f"{top.eccn}: {outcome}", citation, explanation, eccn=top.eccn)
        for outcome, citation, explanation in warnings
    ]
