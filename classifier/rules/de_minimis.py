"""Rule ``de_minimis``: is a foreign-made item with U.S.-origin controlled content subject to the EAR?

Percentage = U.S.-origin controlled content value / foreign-made item value × 100 (Supp. No. 2 to part
734, (a)(4)); at or below the level it is not subject to the EAR. The level is 10 % for Country Groups
E:1/E:2 and 25 % elsewhere (15 CFR 734.4(c), (d)); some content has no de minimis level at all (734.4(a))
and encryption content has its own conditions (734.4(b)). Levels and exceptions are read from
``corpus/rules/de_minimis.json``.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    subject_to_ear: bool
    percentage: float
    threshold: float | None
    citation: str
    explanation: str
    destination: str

    def to_dict(self) -> dict[str, Any]:
        return {
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


def _content_matches(rule: dict[str, Any], content: list[ECCN]) -> list[str]:
    hits = []
    for eccn in content:
        for target in rule.get("content_eccns", []):
            if eccn == ECCN.parse(target) or eccn.is_descendant_of(target) or ECCN.parse(target).is_descendant_of(eccn):
                hits.append(str(eccn))
        series = rule.get("content_series")
        if series and eccn.regime_digit in ("5", "6") and eccn.path:
            is_y = eccn.path[0] == "y"
            if (rule["content_paragraphs"] == "y") == is_y and (eccn.regime_digit == "6" or eccn.head[2:] == "515"):
                hits.append(str(eccn))
    return hits


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
    percentage = us_content_value / total_value * 100
    arithmetic = f"{us_content_value:,.2f} / {total_value:,.2f} × 100 = {percentage:.2f} %"

    for rule in table["no_de_minimis"]:
        hits = _content_matches(rule, content)
        if hits and _in(country, rule["destination_groups"], rule.get("destination_countries", [])):
            return Decision(
                True,
                percentage,
                None,
                rule["citation"],
                f"No de minimis level: U.S.-origin {', '.join(hits)} content to {country.name} "
                f"({rule['quote'][:160]}…). The item is subject to the EAR whatever the share ({arithmetic}).",
                country.name,
            )

    encryption = table["encryption"]
    crypto_hits = [str(e) for e in content if e.head in encryption["content_eccns"]]
    if crypto_hits:
        allowed = next((c for c in encryption["eligible_when"] if c["authorization"] == enc_authorization), None)
        blocked = allowed is not None and _in(country, allowed.get("not_to_groups", []))
        if allowed is None or blocked:
            why = (
                "no ENC authorization or publicly available source code was given"
                if allowed is None
                else f"the § 740.17(b)(2) authorization does not cover {country.name}"
            )
            return Decision(
                True,
                percentage,
                None,
                encryption["citation"],
                f"U.S.-origin encryption content ({', '.join(crypto_hits)}) counts toward de minimis only "
                f"under § 734.4(b)(1)(i)-(iv); {why}. The item is subject to the EAR ({arithmetic}).",
                country.name,
            )

    level = next(lv for lv in table["levels"] if not lv["destination_groups"] or _in(country, lv["destination_groups"]))
    subject = percentage > level["percent"]
    boundary = table["boundary"]
    verdict = (
        "above the level: the item is subject to the EAR"
        if subject
        else "at or below the level: the item is not subject to the EAR"
    )
    return Decision(
        subject,
        percentage,
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
    outcome = "subject to the EAR" if d.subject_to_ear else "not subject to the EAR (de minimis)"
    return [
        finding(
            RULE,
            d.subject_to_ear,
            outcome,
            d.citation,
            d.explanation,
            percentage=round(d.percentage, 4),
            threshold=d.threshold,
            destination=d.destination,
        )
    ]
