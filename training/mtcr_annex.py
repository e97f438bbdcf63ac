"""The MTCR Annex as printed in 22 CFR 121.16 (a historical text): items, categories and thresholds.

Items 1 and 2 are Category I, the rest Category II. Sub-items use "(a)", "(1)" and "(i)"; the notes
after "Note(s) to Item N" belong to that item. Known garbling is repaired only from the repair list
kept beside the source (each repair says why it is unambiguous); everything else is kept verbatim.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from training.xml_text import SourceError

ITEM = re.compile(r"^Item (?P<number>[0-9]+) - Category (?P<category>I{1,2})\s*$")
NOTES = re.compile(r"^Notes? to Item (?P<number>[0-9]+)")
LABEL = re.compile(r"^\((?P<label>[a-z]{1,4}|[0-9]{1,2})\)\s*(?P<text>.*)$", re.I)
ROMAN = re.compile(r"^(i|ii|iii|iv|v|vi|vii|viii|ix|x)$")
NUMBER = r"[0-9][0-9,]*(?:\.[0-9]+)?(?:\s*×\s*10\^?[−-]?[0-9]+)?"
UNITS = (
    r"kg|km|N-sec|lb-sec|percent|g RMS|g|GHz|MHz|kHz|Hz|kPa|psi|RPM|msec|liters per minute|degrees? C|"
    r"feet|microns|joules/kg|cal/sq cm|m"
)
THRESHOLD = re.compile(rf"(?P<value>{NUMBER})\s*(?P<unit>{UNITS})\b")


def _apply_repairs(text: str, repairs: list[dict[str, str]], path: Path) -> tuple[str, list[dict[str, str]]]:
    applied = []
    for repair in repairs:
        if repair["find"] not in text:
            raise SourceError(
                path, None, None, f"repair {repair['id']!r} expected the text {repair['find']!r}; the source changed"
            )
        text = text.replace(repair["find"], repair["replace"])
        applied.append(repair)
    return text, applied


def _level(label: str, previous: dict[int, str]) -> int:
    if label.isdigit():
        return 2
    if ROMAN.match(label.lower()):
        letter_before = previous.get(1, "")
        # "(i)" right after "(h)" is the letter i, otherwise a roman numeral
        if not (label.lower() == "i" and letter_before == "h") and not (label.lower() == "v" and letter_before == "u"):
            return 3
    return 1


def thresholds(text: str) -> list[dict[str, str]]:
    return [{"value": m["value"], "unit": m["unit"], "text": m.group(0)} for m in THRESHOLD.finditer(text)]


def parse_mtcr_annex(path: Path, repairs_path: Path) -> dict[str, Any]:
    try:
        raw = path.read_text(encoding="utf-8")
        repairs = json.loads(repairs_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise SourceError(path, None, None, f"cannot read the MTCR Annex or its repair list ({err})") from err
    text, applied = _apply_repairs(raw, repairs["repairs"], path)
    items: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    path_labels: dict[int, str] = {}
    in_notes = False
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip().replace("*", "")
        if not line or line.startswith("#") or line.startswith("["):
            continue
        if m := ITEM.match(line):
            current = {"item": int(m["number"]), "category": m["category"], "line": number}
            current.update({"id": m["number"], "label": "", "text": "", "notes": []})
            items.append(current)
            path_labels, in_notes = {}, False
            continue
        if current is None:
            continue
        if NOTES.match(line):
            in_notes = True
            continue
        if in_notes:
            current["notes"].append(line)
            continue
        if m := LABEL.match(line):
            level = _level(m["label"], path_labels)
            path_labels = {k: v for k, v in path_labels.items() if k < level}
            path_labels[level] = m["label"].lower()
            sub_id = ".".join([str(current["item"]), *(path_labels[k] for k in sorted(path_labels))])
            items.append(
                {
                    "item": current["item"],
                    "category": current["category"],
                    "line": number,
                    "id": sub_id,
                    "label": "".join(f"({path_labels[k]})" for k in sorted(path_labels)),
                    "text": m["text"],
                    "notes": [],
                }
            )
        else:
            target = items[-1]
            target["text"] = f"{target['text']} {line}".strip()
    if not any(i["category"] == "I" for i in items):
        raise SourceError(path, None, None, "expected 'Item 1 - Category I' headings of the MTCR Annex")
    for item in items:
        item["annex_reference"] = f"Item {item['item']}{item['label']}"
        item["thresholds"] = thresholds(item["text"])
        item["repairs"] = [r["id"] for r in applied if r["replace"] in item["text"]]
    return {
        "citation": "22 CFR 121.16 (Missile Technology Control Regime Annex), historical text",
        "historical": True,
        "note": "Historical text (latest amendment 80 FR 78131, Dec. 16, 2015); 22 CFR 121.16 is now [Reserved]. "
        "Items 1-2 are Category I. Garbling repaired only where unambiguous (see 'repairs').",
        "repairs": repairs["repairs"],
        "left_as_is": repairs["left_as_is"],
        "items": items,
    }
