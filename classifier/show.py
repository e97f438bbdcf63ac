"""What ``show ID`` tells a reader: the paragraph in its context, with its controls and exceptions."""

from __future__ import annotations

import textwrap
from typing import Any

from classifier.corpus import Corpus


def describe(corpus: Corpus, text: str) -> dict[str, Any]:
    """A JSON-ready description of an ECCN or paragraph (raises UnknownId)."""
    found = corpus.lookup(text)
    entry = found.entry
    exceptions = entry["license_exceptions"]
    return {
        "id": str(found.id),
        "eccn": entry["eccn"],
        "kind": "entry" if found.is_entry else "paragraph",
        "heading": entry["heading"],
        "text": found.text,
        "ancestors": [{"id": a["id"], "text": a["text"]} for a in found.ancestors],
        "children": [{"id": c["id"], "text": c["text"]} for c in found.children],
        "notes": found.notes,
        "items_text": entry["items_text"] if found.is_entry else "",
        "reasons_for_control": entry["reasons_for_control"],
        "controls": corpus.controls_for(found.id),
        "license_requirement_notes": entry["license_notes"],
        "license_exceptions": list(exceptions.values()),
        "sta_special_conditions": entry["sta_special_conditions"],
        "reporting_requirements": entry["reporting_requirements"],
        "related_controls": entry["related_controls"],
        "related_definitions": entry["related_definitions"],
        "subject_to_itar": found.subject_to_itar,
        "category": entry["category"],
        "product_group": entry["group"],
        "part": entry["part"],
        "category_notes": [n for n in corpus.category_notes(entry) if n["text"]],
        "citation": f"15 CFR part 774, Supplement No. 1, ECCN {entry['eccn']}",
        "edition": corpus.edition,
    }


def _wrap(text: str, indent: str = "  ", first: str | None = None) -> str:
    lines = [line for line in text.splitlines() if line]
    return "\n".join(
        textwrap.fill(line, width=100, initial_indent=first if (first and i == 0) else indent, subsequent_indent=indent)
        for i, line in enumerate(lines)
    )


def render_text(data: dict[str, Any]) -> str:
    out = [f"{data['id']} — {data['heading']}"]
    out.append(f"  ({data['citation']}, edition {data['edition']})")
    if data["subject_to_itar"]:
        out.append(
            "  ! This entry or paragraph points to the USML: such items are subject to the ITAR (22 CFR 120-130)."
        )
    for ancestor in data["ancestors"]:
        out.append(_wrap(f"{ancestor['id']}: {ancestor['text']}", "    ", first="  ↳ "))
    if data["kind"] == "paragraph":
        out += ["", "Text:", _wrap(data["text"])]
    elif data["items_text"]:
        out += ["", "Items:", _wrap(data["items_text"])]
    for note in data["notes"]:
        out += ["", f"{note['heading'] or 'Note'}:", _wrap(note["text"])]
    if data["children"]:
        out += ["", "Paragraphs:"] + [_wrap(f"{c['id']}: {c['text'][:140]}") for c in data["children"]]
    out += ["", "Reasons for control: " + (", ".join(data["reasons_for_control"]) or "none stated")]
    for row in data["controls"]:
        columns = ", ".join(row["columns"]) or row["country_chart_text"]
        flag = " (applies to part of this; check the paragraphs named)" if row["partial"] else ""
        out.append(_wrap(f"{'/'.join(row['reasons']) or '?'}: {row['control_text']} → {columns}{flag}"))
    for note in data["license_requirement_notes"]:
        out.append(_wrap(f"{note['heading'] or 'Note'}: {note['text']}"))
    if data["license_exceptions"]:
        out += ["", "List-based license exceptions:"]
        out += [_wrap(f"{e['symbol']}: {e['text']}") for e in data["license_exceptions"]]
    for key, title in (
        ("sta_special_conditions", "Special conditions for STA"),
        ("reporting_requirements", "Reporting requirements"),
        ("related_controls", "Related controls"),
        ("related_definitions", "Related definitions"),
    ):
        if data[key]:
            out += ["", f"{title}:", _wrap(data[key])]
    if data["category_notes"]:
        out += ["", f"Notes governing Category {data['category']} {data['part']}:"]
        out += [_wrap(f"{n['heading']}: {n['text']}") for n in data["category_notes"]]
    return "\n".join(out)
