"""Country Chart (Supp. No. 1 to part 738) and Country Groups (Supp. No. 1 to part 740) in one table.

Both upstream files name countries slightly differently ("China" vs "China (PRC)"); this module
resolves every name to the Country Chart's spelling and adds ISO 3166 codes and common spellings so
that "South Korea", "Korea, South" and "KR" all find the same row.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

import pycountry

from classifier.countries import fold
from training.xml_text import SourceError

# ISO 3166 names that differ from the chart's and would not be found by a fuzzy lookup.
_ISO_TO_CHART_HINTS = {
    "KR": "Korea, South",
    "KP": "Korea, North",
    "TW": "Taiwan",
    "MM": "Burma",
    "HK": "Hong Kong",
    "BN": "Brunei",
    "CD": "Congo (Democratic Republic of the)",
    "VA": "Vatican City",
    "SX": "Sint Maarten",
    "XK": "Kosovo",
}


def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise SourceError(path, getattr(err, "lineno", None), None, f"expected JSON ({err})") from err
    if not isinstance(data, dict):
        raise SourceError(path, None, None, "expected a JSON object")
    return data


def _kosovo() -> Any:
    """Kosovo has the user-assigned code XK (used by the EU and many customs systems), not an ISO entry."""
    return type("Country", (), {"alpha_2": "XK", "alpha_3": "XKX", "name": "Kosovo"})()


def build_countries(chart_path: Path, groups_path: Path) -> dict[str, Any]:
    chart, groups = _load(chart_path), _load(groups_path)
    for key in ("columns", "countries", "embargoed", "footnotes"):
        if key not in chart:
            raise SourceError(chart_path, None, None, f"expected the Country Chart with a {key!r} field")
    if "byCountry" not in groups and "groups" not in groups:
        raise SourceError(groups_path, None, None, "expected Country Groups with 'groups'")

    names = sorted(set(chart["countries"]) | set(chart["embargoed"]))
    aliases: dict[str, str] = {fold(n): n for n in names}
    for source in (chart.get("aliases", {}), groups.get("aliases", {})):
        for alias, target in source.items():
            resolved = aliases.get(fold(target))
            if resolved:
                aliases.setdefault(fold(alias), resolved)
    for inherit, info in chart.get("territoryInheritance", {}).items():
        if fold(info["row"]) in aliases:
            aliases.setdefault(fold(inherit), aliases[fold(info["row"])])

    def resolve(name: str) -> str | None:
        """Exact folded match, else a near-identical spelling (upstream typos such as "Cote d'lvoire")."""
        key = fold(name)
        if key in aliases:
            return aliases[key]
        close = difflib.get_close_matches(key, aliases.keys(), n=1, cutoff=0.92)
        return aliases[close[0]] if close else None

    iso: dict[str, str] = {}
    for country in [*pycountry.countries, _kosovo()]:
        hint = _ISO_TO_CHART_HINTS.get(country.alpha_2)
        candidates = [hint] if hint else []
        candidates += [getattr(country, a, "") for a in ("name", "common_name", "official_name")]
        row = next((aliases[fold(c)] for c in candidates if c and fold(c) in aliases), None)
        if row:
            iso[country.alpha_2] = row
            iso[country.alpha_3] = row
            for c in candidates:
                if c:
                    aliases.setdefault(fold(c), row)

    membership: dict[str, list[str]] = {n: [] for n in names}
    unresolved: list[str] = []
    for group, members in groups["groups"].items():
        for member in members:
            resolved = resolve(member)
            if resolved is None:
                unresolved.append(f"{group}: {member}")
                continue
            membership[resolved].append(group)

    countries = {}
    for name in names:
        marks: dict[str, Any] = chart["countries"].get(name) or {}
        embargo: dict[str, Any] | None = chart["embargoed"].get(name)
        countries[name] = {
            "name": name,
            "iso": sorted(code for code, target in iso.items() if target == name),
            "marks": marks.get("marks", []),
            "footnotes": (embargo or marks).get("footnotes", []),
            "embargoed": embargo is not None,
            "embargo_note": embargo["pointer"] if embargo else "",
            "country_groups": sorted(set(membership[name])),
        }
    return {
        "citation_chart": "15 CFR part 738, Supplement No. 1 (Commerce Country Chart)",
        "citation_groups": "15 CFR part 740, Supplement No. 1 (Country Groups)",
        "edition": chart.get("ecfrIssueDate", ""),
        "columns": chart["columns"],
        "column_labels": chart.get("columnLabels", {}),
        "footnotes": chart["footnotes"],
        "notes": {**chart.get("notes", {}), **{f"groups_{k}": v for k, v in groups.get("notes", {}).items()}},
        "group_labels": groups.get("labels", {}),
        "territory_inheritance": chart.get("territoryInheritance", {}),
        "all_destinations_entries": chart.get("allDestinationsEntries", {}),
        "countries": countries,
        "aliases": dict(sorted(aliases.items())),
        "iso_codes": dict(sorted(iso.items())),
        "unresolved_group_members": unresolved,
    }
