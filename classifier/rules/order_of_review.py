"""Rule ``order_of_review``: Supplement No. 4 to part 774, applied to the top suggestion.

Items subject to the ITAR first; then the "600 series" and 9x515 entries; then the rest of the CCL; a
catch-all (x9xx) only when nothing stricter fits; EAR99 last. Warns when the top suggestion is an ITAR
pointer, a ``.y`` paragraph, a catch-all, or depends on "specially designed" (15 CFR 772.1).
"""

from __future__ import annotations

from classifier.eccn import ECCN
from classifier.result import Finding
from classifier.rules.base import RuleContext, finding

RULE = "order_of_review"
SUPPLEMENT = "15 CFR part 774, Supplement No. 4"


def _step(ctx: RuleContext, number: str) -> str:
    """The text of one numbered step of Supplement No. 4, read from the corpus."""
    supplement = next(s for s in ctx.corpus.supplements if s["supplement"] == 4)
    for p in supplement["paragraphs"]:
        if p["text"].lstrip("() 0123456789i").startswith(f"Step {number}"):
            return p["text"]
    return ""


def evaluate(ctx: RuleContext) -> list[Finding]:
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
    if found.subject_to_itar:
        warnings.append(
            (
                "points to the USML: the item is subject to the ITAR (22 CFR 120-130), not classified on the "
                "CCL; review the USML first",
                f"{SUPPLEMENT}, paragraph (a)",
                _step(ctx, "1")[:200],
            )
        )
    if eccn.regime_digit in ("5", "6"):
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
    if eccn.regime_digit == "9":
        warnings.append(
            (
                "an anti-terrorism catch-all (x9xx): use it only after every stricter ECCN of the product "
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
