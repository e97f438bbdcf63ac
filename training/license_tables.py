"""The license determination beyond the Country Chart, checked and completed at build time.

- Regions that are destinations of their own under part 746 (the Crimea region of Ukraine, the so-called
  DNR and LNR regions) join ``countries.json`` with the Country Chart row and Country Groups of the
  country they are part of, and the names § 746.6 uses for them.
- Every destination named in ``corpus/rules/sanctions.json``, ``end_use.json``, ``chart_notes.json`` and
  ``control_rows.json`` must resolve to a Country Chart row or a region: a misspelt country would
  silently never match, so the build stops instead.
- Supplement No. 2 to part 744 (items subject to the § 744.21 military end-use rule) is parsed into
  ``corpus/supplement_2_part_744.json``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from classifier.countries import fold
from training.xml_text import SourceError, clean, parse_xml

SUPP2_ITEM = re.compile(r"^\((?P<n>[ivx]+)\)\s+(?P<eccn>[0-9][A-E][0-9]{3})\s+(?P<text>.+)$", re.S)
OWN_PARAGRAPH = re.compile(r"\b(?P<eccn>[0-9][A-E][0-9]{3})\.[a-z]")


def add_regions(countries: dict[str, Any], sanctions: dict[str, Any], where: str) -> int:
    """Add the part 746 regions as destinations (in place); returns how many were added."""
    for region in sanctions.get("regions", []):
        parent = countries["countries"].get(region["part_of"])
        if parent is None:
            raise SourceError(where, None, None, f"region {region['name']!r} is part of unknown {region['part_of']!r}")
        countries["countries"][region["name"]] = {
            **parent,
            "name": region["name"],
            "iso": [],
            "footnotes": [],
            "part_of": parent["name"],
            "region_citation": region["citation"],
        }
        for alias in [region["name"], *region["aliases"]]:
            countries["aliases"][fold(alias)] = region["name"]
    return len(sanctions.get("regions", []))


def _names(node: Any) -> list[str]:
    """Every destination name in a table: values of 'destinations', 'countries', 'except_countries'."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("destinations", "countries", "except_countries") and isinstance(value, list):
                found += [v for v in value if isinstance(v, str)]
            else:
                found += _names(value)
    elif isinstance(node, list):
        for value in node:
            found += _names(value)
    return found


def check_destinations(corpus_dir: Path, aliases: dict[str, str], tables: tuple[str, ...]) -> int:
    """Raise SourceError for any destination a license table names that is not a known destination."""
    count = 0
    for name in tables:
        path = corpus_dir / "rules" / f"{name}.json"
        for destination in _names(json.loads(path.read_text(encoding="utf-8"))):
            if fold(destination) not in aliases:
                raise SourceError(path, None, None, f"destination {destination!r} is not a Country Chart row or region")
            count += 1
    return count


def parse_supplement_2_part_744(path: Path) -> dict[str, Any]:
    """The ECCNs of Supplement No. 2 to part 744, each with its text and whether the listing is limited
    ("Limited to ...", or naming paragraphs of its own entry: a person must check the item is within it)."""
    root = parse_xml(path)
    if "Supplement No. 2 to Part 744" not in root.get("N", ""):
        raise SourceError(path, root.sourceline, root.tag, "expected Supplement No. 2 to Part 744")
    items = []
    for p in root.iter("P"):
        text = clean("".join(p.itertext()))
        if m := SUPP2_ITEM.match(text):
            own = [r for r in OWN_PARAGRAPH.findall(m["text"]) if r == m["eccn"]]
            items.append(
                {
                    "eccn": m["eccn"],
                    "text": m["text"],
                    "limited": m["text"].startswith("Limited to") or bool(own),
                }
            )
    if not items:
        raise SourceError(path, None, "P", "expected items such as '(i) 1A290 Depleted uranium ...', found none")
    return {"citation": "15 CFR part 744, Supplement No. 2", "items": items}
