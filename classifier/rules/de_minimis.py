"""Rule ``de_minimis``: is a foreign-made item with U.S.-origin controlled content subject to the EAR?

Percentage = U.S.-origin controlled content value / foreign-made item value × 100 (Supp. No. 2 to part
734, (a)(4)); at or below the level it is not subject to the EAR. The level is 10 % for Country Groups
E:1/E:2 and 25 % elsewhere (15 CFR 734.4(c), (d)); some content has no de minimis level at all (734.4(a))
and encryption content has its own conditions (734.4(b)). Levels and exceptions are read from
``corpus/rules/de_minimis.json``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from classifier.corpus import Corpus
from classifier.countries import Country
from classifier.eccn import ECCN
from classifier.inputs import InputError, number
from classifier.result import Finding
from classifier.rules.base import finding

RULE = "de_minimis"


class DeMinimisInputError(ValueError):
    """Values or a destination that cannot be used; the message names the input."""


@dataclass(frozen=True)
class Decision:
    subject_to_ear: bool | None  # None: review (the paragraph of the U.S. content decides)
    percentage: float
    threshold: float | None
    citation: str
    explanation: str
    destination: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": {True: "subject", False: "not subject", None: "review"}[self.subject_to_ear],
            "subject_to_ear": self.subject_to_ear,
            "percentage": round(self.percentage, 4),
            "threshold": self.threshold,
            "decided_by": self.citation,
            "explanation": self.explanation,
            "destination": self.destination,
        }


def _in(country: Country, groups: list[str] | str, countries: list[str] = ()) -> bool:  # type: ignore[assignment]
    if groups == "any":
        return True
    return any(country.in_group(g) for g in groups) or country.name in countries


def _content_matches(rule: dict[str, Any], content: list[ECCN]) -> tuple[list[str], list[str]]:
    """(content the rule covers, content it may cover): a 600-series or 9x515 ECCN given without its
    paragraph may be .a-.x or .y content, which § 734.4(a)(6)(i) and (ii) treat differently."""
    hits: list[str] = []
    maybe: list[str] = []
    for eccn in content:
        for target in rule.get("content_eccns", []):
            if eccn == ECCN.parse(target) or eccn.is_descendant_of(target) or ECCN.parse(target).is_descendant_of(eccn):
                hits.append(str(eccn))
        if rule.get("content_series") and (eccn.is_600_series or eccn.is_9x515):
            if not eccn.path:
                maybe.append(str(eccn))
            elif (rule["content_paragraphs"] == "y") == (eccn.path[0] == "y"):
                hits.append(str(eccn))
    return hits, maybe


def _decimal(value: float | Decimal) -> Decimal:
    """Values as written (4.23, not 4.2300000000000004): de minimis turns on "at or below"."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def decide(
    corpus: Corpus,
    total_value: float,
    us_content_value: float,
    destination: str,
    us_content_eccns: list[str] | tuple[str, ...] = (),
    enc_authorization: str | None = None,
) -> Decision:
    """The de minimis decision; DeMinimisInputError (or UnknownCountry) names a wrong input."""
    if total_value is None or us_content_value is None:
        raise DeMinimisInputError("both the total value and the U.S.-origin controlled content value are needed")
    try:  # NaN compares false with everything: it would read as "at or below the level"
        total_value = number(total_value, "total value")
        us_content_value = number(us_content_value, "U.S.-content value")
    except InputError as err:
        raise DeMinimisInputError(str(err)) from None
    if total_value <= 0:
        raise DeMinimisInputError(f"total value must be greater than 0 (got {total_value})")
    if us_content_value < 0:
        raise DeMinimisInputError(f"U.S.-content value must not be negative (got {us_content_value})")
    if us_content_value > total_value:
        raise DeMinimisInputError(
            f"U.S.-content value ({us_content_value:,.2f}) cannot exceed the total value ({total_value:,.2f})"
        )
    table = corpus.rule_table("de_minimis")
    country = corpus.country_table.resolve(destination)
    content = [ECCN.parse(e) for e in us_content_eccns]
    percentage = _decimal(us_content_value) / _decimal(total_value) * 100
    arithmetic = f"{us_content_value:,.2f} / {total_value:,.2f} × 100 = {percentage:.2f} %"

    series_rules: list[tuple[dict[str, Any], list[str]]] = []
    for rule in table["no_de_minimis"]:
        hits, maybe = _content_matches(rule, content)
        applies = _in(country, rule["destination_groups"], rule.get("destination_countries", []))
        if hits and applies:
            return Decision(
                True,
                float(percentage),
                None,
                rule["citation"],
                f"No de minimis level: U.S.-origin {', '.join(hits)} content to {country.name} "
                f"({rule['quote'][:160]}…). The item is subject to the EAR whatever the share ({arithmetic}).",
                country.name,
            )
        if maybe:
            series_rules.append((rule, maybe if applies else []))
    if series_rules:
        covered = [r for r, maybe in series_rules if maybe]
        unknown = sorted({e for _, maybe in series_rules for e in maybe})
        if covered and len(covered) == len(series_rules):
            return Decision(
                True,
                float(percentage),
                None,
                "; ".join(r["citation"] for r in covered),
                f"No de minimis level: U.S.-origin {', '.join(unknown)} content to {country.name} has none whether "
                f"it is in paragraphs .a-.x or .y ({'; '.join(r['citation'] for r in covered)}). The item is subject "
                f"to the EAR whatever the share ({arithmetic}).",
                country.name,
            )
        if covered:
            return Decision(
                None,
                float(percentage),
                None,
                "; ".join(r["citation"] for r, _ in series_rules),
                f"Review: U.S.-origin {', '.join(unknown)} content to {country.name} has no de minimis level if it is "
                f"in the paragraphs {covered[0]['citation']} names, and the usual level otherwise: give the paragraph "
                f"(e.g. {unknown[0]}.x or {unknown[0]}.y) ({arithmetic}).",
                country.name,
            )

    encryption = table["encryption"]
    crypto_hits = [str(e) for e in content if e.head in encryption["content_eccns"]]
    if crypto_hits:
        allowed = next((c for c in encryption["eligible_when"] if c["authorization"] == enc_authorization), None)
        covers = allowed.get("content_eccns") if allowed else None
        outside = [e for e in crypto_hits if covers and ECCN.parse(e).head not in covers]
        if allowed is not None and outside:
            raise DeMinimisInputError(
                f"--enc-authorization {enc_authorization} cannot cover {', '.join(outside)}: "
                f"{allowed['covers']['citation']} authorizes only {', '.join(allowed['content_eccns'])} items; "
                "5A004 items go through § 740.17(b)(2) or (b)(3)"
            )
        blocked = allowed is not None and _in(country, allowed.get("not_to_groups", []))
        if allowed is None or blocked:
            why = (
                "no ENC authorization or publicly available source code was given"
                if allowed is None
                else f"the § 740.17(b)(2) authorization does not cover {country.name}"
            )
            return Decision(
                True,
                float(percentage),
                None,
                encryption["citation"],
                f"U.S.-origin encryption content ({', '.join(crypto_hits)}) counts toward de minimis only "
                f"under § 734.4(b)(1)(i)-(iv); {why}. The item is subject to the EAR ({arithmetic}).",
                country.name,
            )

    level = next(lv for lv in table["levels"] if not lv["destination_groups"] or _in(country, lv["destination_groups"]))
    subject = percentage > Decimal(str(level["percent"]))
    boundary = table["boundary"]
    verdict = (
        "above the level: the item is subject to the EAR"
        if subject
        else "at or below the level: the item is not subject to the EAR"
    )
    return Decision(
        subject,
        float(percentage),
        float(level["percent"]),
        level["citation"],
        f"{arithmetic}; the de minimis level for {country.name} is {level['percent']} % "
        f"({level['citation']}); {verdict} ({boundary['citation']}).",
        country.name,
    )


def evaluate(corpus: Corpus, facts: dict[str, Any], destination: Country | None) -> list[Finding]:
    """A finding when the request carries values for de minimis (total_value and us_content_value)."""
    if facts.get("total_value") is None or facts.get("us_content_value") is None or destination is None:
        return []
    d = decide(
        corpus,
        float(facts["total_value"]),
        float(facts["us_content_value"]),
        destination.name,
        facts.get("us_content_eccns") or (),
        facts.get("enc_authorization"),
    )
    outcome = {
        True: "subject to the EAR",
        False: "not subject to the EAR (de minimis)",
        None: "review: give the paragraph of the U.S. content",
    }[d.subject_to_ear]
    return [
        finding(
            RULE,
            d.subject_to_ear is not False,
            outcome,
            d.citation,
            d.explanation,
            percentage=round(d.percentage, 4),
            threshold=d.threshold,
            destination=d.destination,
        )
    ]
