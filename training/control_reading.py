"""Read every Control(s) row of the CCL once, at build time, and check each entry against its own words.

A row is *read* when the build can say for which destinations it requires a license:
- ``chart``: a Country Chart column ("NS Column 1");
- ``destinations``: destinations stated in words ("To or within destinations specified in Country Groups
  D:1, D:4, and D:5 ..., excluding ... A:5 or A:6", "A license is required for ALL destinations, except
  Canada", "China, Russia, or Venezuela (see § 742.6(a)(7))") or through a section the row points to
  whose text is in the corpus (``corpus/rules/control_rows.json``: UN, EI, Russian industry sector);
otherwise it is *marked for review* with the sections it cites. The runtime never reads these words again.

The entry check: every reason named in an entry's "Reason for Control" has a row, and every row's reason
is named there. A disagreement the source itself contains is listed, with how it is resolved, in
``corpus/sources/ecfr-774-supp1/reason_row_discrepancies.json``; any other disagreement stops the build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from classifier.countries import fold
from training.xml_text import SourceError

GROUP = re.compile(r"\b([ABDE]:[1-6])\b")
ALL_DESTINATIONS = re.compile(r"\b(?:any destination worldwide|worldwide|all destinations)\b", re.I)
EXCEPTING = re.compile(r"\b(?:excluding|except(?: for)?)\b", re.I)
SENTENCE = re.compile(r"(?<=[.)])\s+(?=[A-Z(])")
ASIDE = re.compile(r"\((?:see|refer)\b[^()]*(?:\([^()]*\)[^()]*)*\)", re.I)
NOT_A_RULE = re.compile(
    r"^\(?(?:see|refer|the commerce country chart|accordingly|note|for licensing requirements)\b", re.I
)
SECTION = re.compile(
    r"§§?\s*[0-9]{3}\.[0-9]+[a-z]?(?:\([a-z0-9]+\))*|\bpart [0-9]{3}\b|Supplement No\. [0-9]+ to part [0-9]{3}", re.I
)


@dataclass
class Names:
    """Country names as the rows spell them, resolved to Country Chart rows."""

    aliases: dict[str, str]
    pattern: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        keys = sorted((k for k in self.aliases if len(k) >= 4), key=len, reverse=True)
        self.pattern = re.compile(r"\b(" + "|".join(re.escape(k) for k in keys) + r")\b")

    def find(self, text: str) -> list[str]:
        return list(dict.fromkeys(self.aliases[m] for m in self.pattern.findall(fold(text))))

    def resolve(self, name: str, where: str) -> str:
        found = self.aliases.get(fold(name))
        if found is None:
            raise SourceError(where, None, None, f"country {name!r} is not a Country Chart destination or alias")
        return found


def _rule_sentences(text: str) -> list[str]:
    """The sentences of a row that state a rule (not "See ...", not "The Commerce Country Chart is not ...")."""
    sentences = SENTENCE.split(text.strip())
    return [ASIDE.sub(" ", s) for s in sentences if s.strip() and not NOT_A_RULE.match(s.strip())]


def _words(text: str, names: Names) -> dict[str, Any] | None:
    """Destinations a row states in words, or None when it states none a reader can apply."""
    for sentence in _rule_sentences(text):
        parts = EXCEPTING.split(sentence, maxsplit=1)
        head = parts[0]
        tail = parts[1] if len(parts) > 1 else ""
        except_groups, except_countries = GROUP.findall(tail), names.find(tail)
        if ALL_DESTINATIONS.search(head):
            return {
                "all_destinations": True,
                "except_groups": except_groups,
                "except_countries": except_countries,
            }
        groups, countries = GROUP.findall(head), names.find(head)
        if groups or countries:
            return {
                "groups": list(dict.fromkeys(groups)),
                "countries": countries,
                "except_groups": except_groups,
                "except_countries": except_countries,
            }
    return None


def read_row(row: dict[str, Any], pointers: list[dict[str, Any]], names: Names) -> dict[str, Any]:
    """What a row means for a destination (see the module docstring)."""
    if row["columns"]:
        return {"kind": "chart", "columns": row["columns"]}
    text = " ".join(t for t in (row["control_text"], row["country_chart_text"]) if t)
    for pointer in pointers:
        if set(pointer["reasons"]) & set(row["reasons"]) and re.search(pointer["pattern"], text):
            reading = {
                "kind": "destinations",
                "all_destinations": pointer.get("all_destinations", False),
                "groups": pointer.get("groups", []),
                "countries": pointer.get("resolved_countries", []),
                "except_groups": [],
                "except_countries": pointer.get("resolved_except_countries", []),
                "citation": pointer["citation"],
            }
            if pointer.get("note"):
                reading["note"] = pointer["note"]
            return reading
    words = _words(row["country_chart_text"], names) or _words(row["control_text"], names)
    if words is not None:
        return {"kind": "destinations", "groups": [], "countries": [], "all_destinations": False, **words}
    cited = list(dict.fromkeys(m.group(0) for m in SECTION.finditer(text)))
    return {
        "kind": "review",
        "read": cited,
        "why": "the row states its license requirement by reference or in words this tool does not apply"
        if text
        else "the row is empty in the source",
    }


def resolve_pointers(table: dict[str, Any], names: Names, where: str) -> list[dict[str, Any]]:
    """The pointer table with every country resolved to its Country Chart row (the build fails otherwise)."""
    pointers = []
    for pointer in table["pointers"]:
        pointers.append(
            {
                **pointer,
                "resolved_countries": [names.resolve(c, where) for c in pointer.get("countries", [])],
                "resolved_except_countries": [names.resolve(c, where) for c in pointer.get("except_countries", [])],
            }
        )
    return pointers


def review_row(reason: str) -> dict[str, Any]:
    """A row for a reason the entry names without saying where it applies: a person must read the entry."""
    return {
        "reasons": [reason],
        "entire_entry": True,
        "paragraphs": [],
        "except": [],
        "except_if": [],
        "conditions": "",
        "columns": [],
        "control_text": f"(The Reason for Control names {reason}, but no Control(s) row says where it applies.)",
        "country_chart_text": "",
        "reading": {
            "kind": "review",
            "read": ["the entry's License Requirements", "part 742 of the EAR"],
            "why": f"{reason} is a stated reason for control without a Control(s) row in the source",
        },
        "added_by_build": True,
    }


def check_entries(
    entries: list[dict[str, Any]],
    pointers: list[dict[str, Any]],
    names: Names,
    discrepancies: dict[str, dict[str, Any]],
    where: str,
) -> dict[str, Any]:
    """Read every row in place, add review rows for reasons without one, and return the counts for the manifest.

    Raises SourceError naming every entry whose reasons and rows disagree unless the source discrepancy is
    listed (with the same difference), and every listed discrepancy that no longer exists."""
    problems: list[str] = []
    seen: set[str] = set()
    counts = {"rows": 0, "read_chart": 0, "read_destinations": 0, "review": 0, "added_for_reasons_without_rows": 0}
    for entry in entries:
        for row in entry["controls"]:
            row["reading"] = read_row(row, pointers, names)
        stated = set(entry["reasons_for_control"])
        in_rows = {r for row in entry["controls"] for r in row["reasons"]}
        missing, extra = sorted(stated - in_rows), sorted(in_rows - stated)
        if missing or extra:
            known = discrepancies.get(entry["eccn"])
            if known is None or known["reasons_without_rows"] != missing or known["rows_without_reasons"] != extra:
                problems.append(
                    f"{entry['eccn']}: Reason for Control {sorted(stated)} but Control(s) rows {sorted(in_rows)}"
                )
            seen.add(entry["eccn"])
            for reason in missing:
                entry["controls"].append(review_row(reason))
                counts["added_for_reasons_without_rows"] += 1
        for row in entry["controls"]:
            counts["rows"] += 1
            kind = row["reading"]["kind"]
            counts["review" if kind == "review" else f"read_{kind}"] += 1
    problems += [
        f"{eccn}: listed as a source discrepancy but reasons and rows now agree" for eccn in set(discrepancies) - seen
    ]
    if problems:
        raise SourceError(where, None, None, "reasons for control and Control(s) rows disagree: " + "; ".join(problems))
    counts["entries_reasons_rows_disagree"] = 0
    counts["source_discrepancies_listed"] = len(discrepancies)
    return counts
