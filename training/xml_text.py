"""Plain text out of eCFR XML elements, shared by the CCL and supplement parsers."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

_SPACES = re.compile(r"\s+")


class SourceError(ValueError):
    """A source file that cannot be built into the corpus: says where and what was expected."""

    def __init__(self, path: Path | str, line: int | None, element: str | None, expected: str) -> None:
        where = f"{path}" + (f", line {line}" if line else "") + (f", <{element}>" if element else "")
        super().__init__(f"{where}: {expected}")
        self.path, self.line, self.element, self.expected = str(path), line, element, expected


def parse_xml(path: Path) -> etree._Element:
    """Parse an XML file, turning syntax errors into SourceError with the line that failed."""
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        return etree.parse(str(path), parser).getroot()
    except etree.XMLSyntaxError as err:
        line = err.lineno if err.lineno else None
        raise SourceError(path, line, None, f"malformed XML ({err.msg}); expected a well-formed eCFR XML file") from err
    except OSError as err:
        raise SourceError(path, None, None, f"cannot read the file ({err})") from err


def clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def table_text(table: etree._Element) -> str:
    """A GPO table as lines of cells joined with ' | ', so numbers stay next to their labels."""
    lines = []
    for row in table.iter("TR"):
        cells = [clean("".join(cell.itertext())) for cell in row if cell.tag in ("TD", "TH")]
        if any(cells):
            lines.append(" | ".join(cells))
    return "\n".join(lines)


def element_text(el: etree._Element) -> str:
    """All text of ``el`` with whitespace collapsed; tables keep one line per row."""
    tables = list(el.iter("TABLE"))
    if not tables:
        return clean("".join(el.itertext()))
    return "\n".join(table_text(t) for t in tables)


def is_all_italic(el: etree._Element) -> bool:
    """True when every piece of visible text of a paragraph sits inside <I> (how eCFR sets notes)."""
    if clean(el.text or ""):
        return False
    has_italic = False
    for child in el:
        if child.tag == "I":
            has_italic = has_italic or bool(clean("".join(child.itertext())))
        elif clean("".join(child.itertext())):
            return False
        if clean(child.tail or "") and clean(child.tail or "") not in (".", ";", ":", ","):
            return False
    return has_italic


def leading_label(el: etree._Element) -> tuple[str, str] | None:
    """``<I>Reason for Control:</I> NS, AT`` → ("Reason for Control", "NS, AT"); None without one."""
    if clean(el.text or "") or len(el) == 0 or el[0].tag not in ("I", "E"):
        return None
    label = clean("".join(el[0].itertext()))
    if not label.endswith(":"):
        return None
    rest = clean((el[0].tail or "") + "".join("".join(c.itertext()) + (c.tail or "") for c in el[1:]))
    return label.rstrip(":").strip(), rest
