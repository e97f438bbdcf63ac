"""Read the License Requirements of a CCL entry: Control(s) → Country Chart rows and exceptions.

"NS applies to 4A003.b, .c, and .z.1" means the NS Column 1 license requirement covers only those
paragraphs; "entire entry" means all of them, "except 0A501.y" takes some out. A row whose scope is
stated in words ("shotguns with a barrel length less than 18 inches", "except ... if being exported for
use in an aircraft controlled in 9A610.b") keeps those words as a condition: the row then applies only
when a person confirms it, and never silently. Each row keeps its raw text next to what was read from
it, so a person can check the reading.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from training.xml_text import clean

REASON_CODES = ("CB", "NP", "NS", "MT", "RS", "FC", "CC", "AT", "CW", "EI", "SS", "SL", "UN", "SI", "FR", "RG")
FOREIGN_POLICY = "foreign policy"  # the reason stated for the Russian industry sector sanctions rows
SANCTIONS_ROW = re.compile(r"^Russian industry sector sanctions?\s+appl", re.I)
COLUMN = re.compile(r"\b(CB|NP|NS|MT|RS|FC|CC|AT)\s+Column\s+(?:No\.\s*)?([0-9])\b", re.I)
BARE_COLUMN = re.compile(r"^Column\s+([0-9])\b", re.I)
FULL_REF = re.compile(r"^(?P<eccn>[0-9][A-E][0-9]{3})(?P<path>(?:\.[a-z0-9]{1,2})*)\.?$")
REL_REF = re.compile(r"^\.?(?P<path>[a-z]{1,2}(?:\.[a-z0-9]{1,2})*)\.?$")
NUM_REF = re.compile(r"^\.(?P<num>[0-9]{1,2})\.?$")  # ".16" after "1C351.d.15": a sibling of the last id
ANY_REF = re.compile(r"\b(?P<eccn>[0-9][A-E][0-9]{3})(?P<path>(?:\.[a-z0-9]{1,2})*)")
LIST_SPLIT = re.compile(r",|;|\band\b|\bor\b|\bthrough\b|\bto\b")
LEAD_WORDS = re.compile(r"^(?:items? controlled (?:by|in|under)|paragraphs?|ECCNs?|only|the)\s+", re.I)
# words that make a row depend on facts about the transaction, not on the paragraph alone
CONDITION_WORDS = re.compile(r"\b(being|for use|when|if|unless|destined|exported|provided|regardless)\b", re.I)
FILLER = re.compile(
    r"\b(?:and|or|the|items?|controlled|by|in|under|paragraphs?|ECCNs?|only|to|through|those|for|of|described|"
    r"software|technology|commodities|equipment)\b",
    re.I,
)
# "..., for commodities or “software” controlled for EI reasons in ECCN 5A002, 5A004 or 5D002": restates the
# row's own reason, not a further condition on the paragraphs it names
RESTATED = re.compile(
    r",?\s*for (?:commodities|items|equipment)?(?: or )?“?(?:software)?”?\s*controlled for ([A-Z]{2}) reasons\b.*$"
)
ASIDE = re.compile(r"\((?:refer|see)\b[^()]*\)", re.I)  # "(refer to 4A994 for ...)": a pointer, not a scope
PAREN_EXCEPT = re.compile(r"\((?:except|excluding)\s+(?P<what>(?:[^()]|\([^()]*\))*)\)", re.I)
RULE_FOLLOWS = re.compile(r"\s+and a license is required\b", re.I)
SENTENCE_END = re.compile(r"\.\s+(?=[A-Z(]|Note\b)")
SPACED_DOT = re.compile(r"\b([0-9][A-E][0-9]{3})(?:\.\s+(?=[a-z0-9]{1,2}\b)|\s+(?=\.[a-z]))")
LEADING_REL = re.compile(r"^\.?(?P<path>[a-z]{1,2}(?:\.[a-z0-9]{1,2})*)\.?\s+(?=[a-z])")
DOLLARS = re.compile(r"\$\s?([0-9][0-9,]*)")


def _refs(text: str, eccn: str, base: str) -> tuple[list[str], str]:
    """ECCN paragraph ids named in a list such as "4A003.b, .c, and .z.1" (relative ids hang on ``base``)."""
    refs: list[str] = []
    last = base
    for chunk in LIST_SPLIT.split(text):
        chunk = LEAD_WORDS.sub("", chunk.strip()).strip().rstrip(")").strip()
        if not chunk:
            continue
        if m := FULL_REF.match(chunk):
            base = last = m["eccn"] + m["path"]
            refs.append(last)
        elif (m := NUM_REF.match(chunk)) and "." in last.split(".", 1)[-1]:
            last = f"{last.rsplit('.', 1)[0]}.{m['num']}"
            refs.append(last)
        elif (m := REL_REF.match(chunk)) and len(chunk) <= 16:
            last = f"{base.split('.')[0]}.{m['path']}"
            refs.append(last)
        elif (m := LEADING_REL.match(chunk)) and not ANY_REF.search(chunk):  # "a.3.e for lead selenide ..."
            last = f"{base.split('.')[0]}.{m['path']}"
            refs.append(last)
        else:
            for m in ANY_REF.finditer(chunk):
                base = last = m["eccn"] + m["path"].rstrip(".")
                refs.append(last)
    return list(dict.fromkeys(refs)), base


def paragraph_refs(text: str, eccn: str) -> list[str]:
    """ECCN paragraph ids named in a list such as "4A003.b, .c, and .z.1" or "z.1.a, z.2.a"."""
    return _refs(text, eccn, eccn)[0]


def _words_left(text: str, eccn: str = "") -> str:
    """What a scope says beyond this entry's paragraph ids and list words ("shotguns with a barrel length
    ...", "for items for ECCN 0A502": another entry named in a scope is a qualifier, not a paragraph)."""
    rest = ANY_REF.sub(lambda m: " " if not eccn or m["eccn"] == eccn else " other ", text)
    rest = re.sub(r"(?<![A-Za-z])\.?[a-z]{1,2}(?:\.[a-z0-9]{1,2})*\.?(?![A-Za-z])", " ", rest)
    rest = FILLER.sub(" ", rest)
    return re.sub(r"[^A-Za-z]+", " ", rest).strip()


def _normalize(text: str) -> str:
    """Source typos that break ids: "8A620. b" and "9A004 .g" are 8A620.b and 9A004.g."""
    return SPACED_DOT.sub(lambda m: m[1] + ("." if "." in m[0] else ""), text)


def _own(refs: list[str], eccn: str) -> list[str]:
    return [r for r in refs if r.split(".")[0] == eccn]


def _exceptions(text: str, eccn: str, base: str) -> tuple[list[str], list[dict[str, Any]]]:
    """Paragraphs taken out of a row: plain ids, and ids taken out only under a stated condition."""
    plain: list[str] = []
    conditional: list[dict[str, Any]] = []
    if not _refs(text, eccn, base)[0]:  # "to Russia for use in, with, or for the ISS": one condition, no ids
        return [], [{"paragraphs": [], "condition": text.strip(" :.")}]
    items = text.split(";") if ";" in text else re.split(r",(?![^()]*\))", text)
    for item in items:
        item = item.strip(" :.")
        if not item:
            continue
        lead = CONDITION_WORDS.split(item, maxsplit=1)[0]
        refs, base = _refs(lead, eccn, base)
        refs = _own(refs, eccn)
        if _words_left(item, eccn):
            conditional.append({"paragraphs": refs, "condition": item})
        else:
            plain += refs
    return plain, conditional


def parse_control_row(control: str, chart: str, eccn: str) -> dict[str, Any]:
    """One row of the Control(s) table: which reasons, which paragraphs, which chart columns, which conditions."""
    control = _normalize(control)
    head, _, scope_text = control.partition(" appl")
    reasons = [r for r in re.findall(r"\b([A-Z]{2})\b", head) if r in REASON_CODES]
    if SANCTIONS_ROW.match(control):
        reasons = [FOREIGN_POLICY]
    scope_text = re.sub(r"^(?:y|ies)\s+(?:to\s+)?", "", scope_text).strip()
    scope_text = SENTENCE_END.split(scope_text, maxsplit=1)[0].strip()  # the scope is the first sentence
    scope_text = RULE_FOLLOWS.split(scope_text, maxsplit=1)[0].strip()  # "... .d.16 and a license is required"
    scope_text = ASIDE.sub(" ", scope_text)
    excepted: list[str] = []
    except_if: list[dict[str, Any]] = []
    for m in PAREN_EXCEPT.finditer(scope_text):  # "5A001.b (except .b.5), .c": an exception inside the list
        before = scope_text[: m.start()]
        base = (_refs(before, eccn, eccn)[0] or [eccn])[-1]
        plain, conditional = _exceptions(m["what"], eccn, base)
        if _words_left(m["what"], eccn):  # a qualifier in parentheses covers every id it names
            ids = list(dict.fromkeys([*plain, *(p for c in conditional for p in c["paragraphs"])]))
            except_if.append({"paragraphs": ids, "condition": f"except {m['what']}"})
        else:
            excepted += plain
    scope_text = PAREN_EXCEPT.sub(" ", scope_text)
    parts = re.split(r"\b(?:except|EXCEPT)(?: for)?\s*:?", scope_text, maxsplit=1)
    applies_to = parts[0].strip(" ,")
    restated = RESTATED.search(applies_to)
    if restated and restated[1] in reasons and _refs(applies_to[: restated.start()], eccn, eccn)[0]:
        applies_to = applies_to[: restated.start()]
    entire = bool(re.match(r"^(?:the )?entire\s*entry", applies_to, re.I))
    # references to other ECCNs ("... see 9A120") are cross-references, not the scope of this row
    own = [] if entire else _own(paragraph_refs(applies_to, eccn), eccn)
    words = "" if entire else _words_left(applies_to)
    conditions = ""
    if entire and CONDITION_WORDS.search(applies_to):
        conditions = applies_to
    elif words:
        conditions = applies_to  # the scope is (also) stated in words: a person must confirm it
    if len(parts) > 1:
        plain, conditional = _exceptions(parts[1], eccn, own[-1] if own else eccn)
        excepted += plain
        except_if += conditional
    chart = _normalize(chart)
    if BARE_COLUMN.match(chart.strip()) and len(reasons) == 1:
        chart = f"{reasons[0]} {chart.strip()}"  # "Column 1." in the chart cell of the AT row
    columns = [f"{r.upper()} {n}" for r, n in COLUMN.findall(f"{chart} {control}")]
    return {
        "reasons": reasons,
        "entire_entry": entire,
        "paragraphs": own,
        "except": list(dict.fromkeys(excepted)),
        "except_if": except_if,
        "conditions": conditions,
        "columns": list(dict.fromkeys(c for c in columns if c.split()[0] in reasons or not reasons)),
        "control_text": control,
        "country_chart_text": chart,
    }


def parse_exception(symbol: str, text: str, eccn: str) -> dict[str, Any]:
    """A list-based license exception line: "LVS: $500 for 0A501.c, .d" → available, value limit, paragraphs.

    "$5000; N/A for 4A003.b, c, and z." keeps the paragraphs the exception is not available for; "N/A"
    alone makes it unavailable for the whole entry."""
    plain = text.strip()
    available = not re.match(r"^(N/A|None|No\b)", plain, re.I)
    dollars = DOLLARS.search(plain)
    first = plain.split("\n")[0]
    scope = first.split(" for ", 1)[1] if " for " in first else first
    not_for: list[str] = []
    for sentence in re.split(r"[;.]\s+(?=N/A|[A-Z])|\n", plain):
        if available and (m := re.match(r"^\s*N/A\s+(?:for|to)\s+(?P<what>.+)$", sentence, re.I)):
            not_for += paragraph_refs(_normalize(m["what"]).rstrip(". "), eccn)
    own_scope = [] if re.match(r"^\s*N/A\b", scope) else paragraph_refs(_normalize(scope), eccn)
    return {
        "symbol": symbol,
        "text": plain,
        "available": available,
        "value_limit_usd": int(dollars.group(1).replace(",", "")) if dollars and available else None,
        "paragraphs": [p for p in own_scope if p not in not_for],
        "not_for": list(dict.fromkeys(not_for)),
    }


def _cell_lines(cell: etree._Element) -> list[str]:
    """A table cell's text, one entry per line break (``<br>``)."""
    parts = [cell.text or ""]
    for child in cell:
        if child.tag == "br":
            parts.append("\n")
        else:
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return [clean(line) for line in "".join(parts).split("\n") if clean(line)]


def control_cells(row: etree._Element) -> list[tuple[str, str]]:
    """(control, country chart) pairs of one table row: "NP applies ...<br/>AT applies ..." with "NP Column
    1<br/>AT Column 1" is two rows; a cell spanning both columns ("CB applies to entire entry CB Column 2.")
    is one row whose chart column is named in its own text."""
    cells = [_cell_lines(c) for c in row if c.tag == "TD"]
    if not cells:
        return []
    if len(cells) == 1:
        return [(" ".join(cells[0]), "")]
    control, chart = cells[0], cells[1]
    if len(control) > 1 and len(control) == len(chart) and all(" appl" in line for line in control):
        return list(zip(control, chart, strict=True))
    return [(" ".join(control), " ".join(chart))]
