"""Read the License Requirements of a CCL entry: Control(s) → Country Chart rows and exceptions.

"NS applies to 4A003.b, .c, and .z.1" means the NS Column 1 license requirement covers only those
paragraphs; "entire entry" means all of them, "except 0A501.y" takes some out. Each row keeps its raw
text next to what was read from it, so a person can check the reading.
"""

from __future__ import annotations

import re
from typing import Any

REASON_CODES = ("CB", "NP", "NS", "MT", "RS", "FC", "CC", "AT", "CW", "EI", "SS", "SL", "UN", "SI", "FR", "RG")
COLUMN = re.compile(r"\b(CB|NP|NS|MT|RS|FC|CC|AT)\s+Column\s+([0-9])\b", re.I)
FULL_REF = re.compile(r"^(?P<eccn>[0-9][A-E][0-9]{3})(?P<path>(?:\.[a-z0-9]{1,2})*)\.?$")
REL_REF = re.compile(r"^\.?(?P<path>[a-z]{1,2}(?:\.[a-z0-9]{1,2})*)\.?$")
ANY_REF = re.compile(r"\b(?P<eccn>[0-9][A-E][0-9]{3})(?P<path>(?:\.[a-z0-9]{1,2})*)")
LIST_SPLIT = re.compile(r",|;|\band\b|\bor\b")
LEAD_WORDS = re.compile(r"^(?:items? controlled (?:by|in|under)|paragraphs?|ECCNs?|only|the)\s+", re.I)
# an exception that depends on use or circumstances ("except those ... being exported for use in civil
# telecommunications") is a condition for the reader, not a list of excluded paragraphs
CONDITION_WORDS = re.compile(r"\b(being|for use|when|if|unless|destined|exported)\b", re.I)
DOLLARS = re.compile(r"\$\s?([0-9][0-9,]*)")


def paragraph_refs(text: str, eccn: str) -> list[str]:
    """ECCN paragraph ids named in a list such as "4A003.b, .c, and .z.1" or "z.1.a, z.2.a"."""
    refs: list[str] = []
    base = eccn
    for chunk in LIST_SPLIT.split(text):
        chunk = LEAD_WORDS.sub("", chunk.strip()).strip()
        if not chunk:
            continue
        if m := FULL_REF.match(chunk):
            base = m["eccn"]
            refs.append(m["eccn"] + m["path"])
        elif (m := REL_REF.match(chunk)) and len(chunk) <= 16:
            refs.append(f"{base}.{m['path']}")
        else:
            for m in ANY_REF.finditer(chunk):
                base = m["eccn"]
                refs.append(m["eccn"] + m["path"].rstrip("."))
    return list(dict.fromkeys(refs))


def parse_control_row(control: str, chart: str, eccn: str) -> dict[str, Any]:
    """One row of the Control(s) table: which reasons, which paragraphs, which chart columns."""
    head, _, scope_text = control.partition(" appl")
    reasons = [r for r in re.findall(r"\b([A-Z]{2})\b", head) if r in REASON_CODES]
    scope_text = re.sub(r"^(?:y|ies)\s+to\s+", "", scope_text).strip()
    parts = re.split(r"\bexcept(?: for)?\b", scope_text, maxsplit=1)
    applies_to = parts[0].strip()
    except_text = parts[1].strip() if len(parts) > 1 else ""
    conditional = bool(except_text and CONDITION_WORDS.search(except_text))
    entire = bool(re.match(r"^(?:the )?entire entry", applies_to, re.I))
    columns = [f"{r.upper()} {n}" for r, n in COLUMN.findall(f"{chart} {control}")]
    # references to other ECCNs ("... see 9A120") are cross-references, not the scope of this row
    own = [ref for ref in paragraph_refs(applies_to, eccn) if ref.split(".")[0] == eccn]
    return {
        "reasons": reasons,
        "entire_entry": entire,
        "paragraphs": [] if entire else own,
        "except": [r for r in paragraph_refs(except_text, eccn) if r.split(".")[0] == eccn]
        if except_text and not conditional
        else [],
        "conditions": except_text if conditional else "",
        "columns": list(dict.fromkeys(columns)),
        "control_text": control,
        "country_chart_text": chart,
    }


def parse_exception(symbol: str, text: str, eccn: str) -> dict[str, Any]:
    """A list-based license exception line: "LVS: $500 for 0A501.c, .d" → available, value limit, paragraphs."""
    plain = text.strip()
    available = not re.match(r"^(N/A|None|No\b)", plain, re.I)
    dollars = DOLLARS.search(plain)
    scope = plain.split(" for ", 1)[1] if " for " in plain else plain
    return {
        "symbol": symbol,
        "text": plain,
        "available": available,
        "value_limit_usd": int(dollars.group(1).replace(",", "")) if dollars and available else None,
        "paragraphs": paragraph_refs(scope.split("\n")[0], eccn) if scope else [],
    }
