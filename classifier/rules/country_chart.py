"""The CCL entry's License Requirements and the Commerce Country Chart (15 CFR 738.4), row by row.

Each Control(s) row was read when the corpus was built (``training/control_reading.py``): a Country
Chart column, destinations stated in words or by a section the corpus holds, or "review". Here a row
meets a destination: an X (or a named destination) means a license is required for that reason — unless
the row covers the item only in part or only under a condition a person must confirm, which makes it a
review. Country Chart footnotes and the entry's License Requirement Notes add to the columns
(``corpus/rules/chart_notes.json``).
"""

from __future__ import annotations

from typing import Any

from classifier.corpus import Corpus, Lookup
from classifier.countries import Country
from classifier.eccn import ECCN
from classifier.rules.answers import NOT_REQUIRED, REQUIRED, REVIEW, answer, in_destinations, item_scope

CHART = "15 CFR part 738, Supplement No. 1 (Commerce Country Chart); 15 CFR 738.4"


def describe(reading: dict[str, Any]) -> str:
    """A destination scope in words: "Country Groups D:1, D:4, D:5, excluding A:5, A:6"."""
    if reading.get("all_destinations"):
        text = "all destinations"
    else:
        named = [*reading.get("countries", []), *(f"Country Group {g}" for g in reading.get("groups", []))]
        text = ", ".join(named)
    excluded = [*reading.get("except_countries", []), *(f"Country Group {g}" for g in reading.get("except_groups", []))]
    return text + (f", excluding {', '.join(excluded)}" if excluded else "")


def _reads(reading: dict[str, Any], country: Country, corpus: Corpus) -> tuple[bool | None, str]:
    """Does the row's reading cover the destination (None: it cannot be applied), and how it was read."""
    if reading["kind"] == "chart":
        marks = {c: country.has_mark(c) for c in reading["columns"]}
        return any(marks.values()), ", ".join(f"{c}: {'X' if x else 'no X'}" for c, x in marks.items())
    if reading["kind"] == "destinations":
        hit = in_destinations(corpus, country, reading)
        cited = f" ({reading['citation']})" if reading.get("citation") else ""
        return hit, f"{describe(reading)}{cited}: {'covers' if hit else 'does not cover'} {country.name}"
    return None, reading["why"]


def row_answers(corpus: Corpus, found: Lookup, country: Country) -> list[dict[str, Any]]:
    """One answer per reason for control that covers the item."""
    out = []
    for row in corpus.controls_for(found.id, country.part_of or country.name):
        reading = row["reading"]
        applies, how = _reads(reading, country, corpus)
        if applies is None:
            verdict, why = REVIEW, f"{reading['why']}: {row['country_chart_text'] or row['control_text']}"
        elif not applies:
            verdict, why = NOT_REQUIRED, how
        elif row["condition"]:
            verdict, why = (
                REVIEW,
                f"{how}, but the row applies only {row['condition']!r}: confirm whether it covers the item",
            )
        elif row["partial"]:
            verdict, why = REVIEW, f"{how}, but the row covers only part of {found.id}: {row['control_text']}"
        else:
            verdict, why = REQUIRED, how
        citation = reading.get("citation") or CHART
        for reason in row["reasons"] or ["?"]:
            out.append(
                answer(
                    "Country Chart" if reading["kind"] == "chart" else "License Requirements",
                    verdict,
                    citation,
                    why,
                    reading.get("read", ())
                    if applies is None
                    else (f"the Control(s) row of {found.id.head}: {row['control_text']}",),
                    reason=reason,
                    read_as=reading["kind"],
                    columns=reading.get("columns", []),
                    how=how,
                    partial=row["partial"],
                    conditions=row["condition"],
                    control_text=row["control_text"],
                    note=reading.get("note", ""),
                )
            )
    return out


def _listed(item: ECCN, listed: dict[str, Any]) -> str | None:
    """How a listed ECCN ({"eccn", "except", "condition"}) covers the item: "full", "partial", "condition"."""
    scope = item_scope(item, listed["eccn"])
    if scope is None or any(item.is_descendant_of(e, strict=False) for e in listed.get("except", [])):
        return None
    if scope == "full" and listed.get("condition"):
        return "condition"
    if scope == "full" and listed.get("except") and not item.path:
        return "partial"
    return scope


def note_answers(corpus: Corpus, found: Lookup, country: Country) -> list[dict[str, Any]]:
    """Country Chart footnotes the destination carries, and License Requirement Notes, that cover the item."""
    table = corpus.rule_table("chart_notes")
    notes = [(n, n["footnote"] in country.footnotes) for n in table["footnotes"]]
    notes += [(n, in_destinations(corpus, country, n["destinations"])) for n in table["license_requirement_notes"]]
    out = []
    for note, destined in notes:
        if not destined:
            continue
        for listed in note["items"]:
            scope = _listed(found.id, listed)
            if scope is None:
                continue
            verdict = note["effect"] if scope == "full" else REVIEW
            why = note["quote"][:300]
            if scope == "condition":
                why = f"only for {listed['condition']}: confirm whether the item is one. {why}"
            elif scope == "partial":
                why = f"covers only part of {found.id} ({listed['eccn']}). {why}"
            source = f"Country Chart footnote {note['footnote']}" if "footnote" in note else "License Requirement Note"
            out.append(answer(source, verdict, note["citation"], why, note.get("read", ())))
            break
    return out
