"""Supplements No. 2-4 to part 774: General Technology/Software/Information Security Notes,
Statements of Understanding and the Order of Review, kept as numbered paragraphs with their notes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from training.xml_text import SourceError, clean, element_text, parse_xml

NUMBERED = re.compile(r"^(?P<number>\(?[0-9a-z]{1,2}[.)])\s")
SUPPLEMENT = re.compile(r"Supplement No\. (?P<number>[0-9]+) to Part 774")


def parse_supplements(path: Path) -> list[dict[str, Any]]:
    """One record per DIV9 supplement: number, title, and its paragraphs in order."""
    root = parse_xml(path)
    divs = [root] if root.tag == "DIV9" else list(root.iter("DIV9"))
    if not divs:
        raise SourceError(path, root.sourceline, root.tag, "expected <DIV9> supplements of part 774")
    supplements = []
    for div in divs:
        match = SUPPLEMENT.search(div.get("N", ""))
        if not match:
            raise SourceError(
                path, div.sourceline, "DIV9", f"expected N='Supplement No. X to Part 774', found {div.get('N')!r}"
            )
        head = div.find("HEAD")
        paragraphs: list[dict[str, str]] = []
        for el in div:
            if el is head or not isinstance(el.tag, str) or el.tag == "CITA":
                continue
            text = element_text(el)
            if not text:
                continue
            if el.tag == "NOTE":
                hed = el.find("HED")
                heading = clean("".join(hed.itertext())).rstrip(":") if hed is not None else "Note"
                body = "\n".join(element_text(c) for c in el if c is not hed and isinstance(c.tag, str))
                paragraphs.append({"kind": "note", "heading": heading, "text": body})
            else:
                number = NUMBERED.match(text)
                paragraphs.append({"kind": "paragraph", "number": number["number"] if number else "", "text": text})
        supplements.append(
            {
                "supplement": int(match["number"]),
                "title": element_text(head) if head is not None else div.get("N", ""),
                "citation": f"15 CFR part 774, Supplement No. {match['number']}",
                "paragraphs": paragraphs,
            }
        )
    return supplements
