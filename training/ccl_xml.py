"""Parse Supplement No. 1 to part 774 (the Commerce Control List) as the eCFR serves it.

The eCFR XML of the CCL is flat: category headings (<HD1>), entry headers (<FP-2><B>5A002 ...</B>),
then paragraphs (<FP-1>, <P>, <FP>), notes (<NOTE>) and tables (<DIV><TABLE>) in reading order until
the next header. This module walks that stream once, keeping a small state (category, part, entry,
section of the entry, last item paragraph) and emits one record per ECCN entry with its item
paragraphs. Controls rows are parsed in ``controls.py``; this module only finds them.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from classifier.eccn import ECCN
from training.controls import FOREIGN_POLICY, REASON_CODES, control_cells, parse_control_row, parse_exception
from training.xml_text import SourceError, clean, element_text, is_all_italic, leading_label, parse_xml

ENTRY_HEADER = re.compile(r"^(?P<eccn>[0-9][A-E][0-9]{3})\b\s*(?P<heading>.*)$", re.S)
CATEGORY = re.compile(r"^Category (?P<digit>[0-9])\s*[—-]\s*(?P<title>.+)$")
PART = re.compile(r"^Part (?P<part>[12])\s*[—-]\s*(?P<title>.+)$")
GROUP = re.compile(r"^(?P<letter>[A-E])\.\s+(?P<title>.+)$")
SUBGROUP = re.compile(r"^(?P<roman>I{1,3}|IV|V)\.\s+(?P<title>.+)$")
# "a.", "a.1.", "a.1.a.", "z.1.b " (no dot), "f. through y. [Reserved]"
ITEM_LABEL = re.compile(
    r"^(?P<label>[a-z](?:\.(?:[0-9]{1,2}|[a-z]))*)(?:\.\s*|(?<=[a-z0-9])\s+(?=[A-Z“\[(]))(?P<text>\S.*)$", re.S
)
NOT_LABELS = {"e.g", "i.e"}
SPLIT_LABEL = re.compile(r"^(?P<part>[a-z]|[0-9]{1,2})\.?\s+(?P<text>\S.*)$", re.S)
NOTE_TARGET = re.compile(
    r"(?:to|of) (?:paragraph |paragraphs |ECCN )?(?:(?P<eccn>[0-9][A-E][0-9]{3})\.?)?"
    r"(?P<path>\.?[a-z]{1,2}(?:\.[a-z0-9]{1,2})*)\b"
)
BODY_TARGET = re.compile(
    r"^\W*(?:[0-9]\.\s*)?(?:For the purposes? of (?:ECCN )?|)"
    r"(?P<eccn>[0-9][A-E][0-9]{3})(?P<path>(?:\.[a-z0-9]{1,2})+)\b"
)
NOTE_ON_NOTE = re.compile(r"\b(?:of|to) (?:the )?Note\b|Note to the Note", re.I)

SECTION_MARKERS = (
    ("license", re.compile(r"^License Requirements$", re.I)),
    ("exceptions", re.compile(r"^(List Based )?License Exceptions\b", re.I)),
    ("sta", re.compile(r"^Special Conditions for (STA|Strategic)", re.I)),
    ("reporting", re.compile(r"^Reporting Requirements\b", re.I)),
    ("list", re.compile(r"^List of Items Controlled\b", re.I)),
)
CONTROL_LINE = re.compile(
    r"^(?:Control\(s\):?\s*)?(?P<row>[A-Z]{2}(?:,? (?:and )?[A-Z]{2})* appl(?:y|ies)\b.+)$", re.S
)
SANCTIONS_LINE = re.compile(r"^Russian industry sector sanctions? appl", re.I)
COUNTRY_CHART_LINE = re.compile(r"^Country Chart\.?\s*(?P<row>.+)$", re.S)
REASON_LINE = re.compile(r"^Reasons? for Control:\s*(?P<reasons>.+)$", re.I)
REASON_TOKENS = re.compile(r"\b(?:[A-Z]{2}(?=\s*[0-9]*\b)|foreign policy)", re.I)
ITAR_POINTER_ENTRY = re.compile(r"\((?:These items are|This entry is) “subject to the ITAR\.?”", re.I)
USML_CATEGORY = re.compile(r"USML\s+Categor(?:y|ies)\s+(?P<cat>[IVXL]+)\b")
ITAR_POINTER = re.compile(r"subject to the ITAR", re.I)
RESERVED = re.compile(r"^\[?Reserved\]?\.?$|through [a-z.]+\s*\[Reserved\]", re.I)


@dataclass
class Note:
    heading: str
    text: str


@dataclass
class Paragraph:
    id: str
    label: str
    text: str
    line: int
    notes: list[Note] = field(default_factory=list)
    reserved: bool = False
    subject_to_itar: bool = False


@dataclass
class Entry:
    eccn: str
    heading: str
    category: str
    group: str
    line: int
    part: str = ""
    subgroup: str = ""
    reasons_for_control: list[str] = field(default_factory=list)
    controls: list[dict[str, Any]] = field(default_factory=list)
    license_notes: list[Note] = field(default_factory=list)
    license_exceptions: dict[str, dict[str, Any]] = field(default_factory=dict)
    sta_special_conditions: str = ""
    reporting_requirements: str = ""
    related_controls: str = ""
    related_definitions: str = ""
    technical_notes: list[Note] = field(default_factory=list)
    items_text: str = ""
    notes: list[Note] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    subject_to_itar: bool = False  # the heading mentions the ITAR (a ranker feature; may be a cross-reference)
    itar_pointer: bool = False  # "(These items are “subject to the ITAR.” ...)": the whole entry is on the USML
    usml_categories: list[str] = field(default_factory=list)  # USML categories the entry's text names


@dataclass
class CCL:
    entries: list[Entry]
    category_titles: dict[str, str]
    category_notes: dict[str, list[Note]]
    unparsed: list[dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class _Walker:
    """One pass over the flat element stream; each ``_on_*`` method handles one kind of element."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: list[Entry] = []
        self.category_titles: dict[str, str] = {}
        self.category_notes: dict[str, list[Note]] = {}
        self.unparsed: list[dict[str, Any]] = []
        self.category = ""
        self.group = ""
        self.part = ""
        self.subgroup = ""
        self.block = ""  # a category-level block (notes before entries, annexes) collecting text
        self.entry: Entry | None = None
        self.section = ""
        self.last_field = ""
        self.paragraph: Paragraph | None = None
        self.note_target: Paragraph | None = None

    # -- stream ---------------------------------------------------------------------------------
    def walk(self, root: etree._Element) -> CCL:
        for el in root:
            if not isinstance(el.tag, str):
                continue
            handler = getattr(self, "_on_" + el.tag.replace("-", "_"), self._on_text)
            handler(el)
        self._close_entry()
        return CCL(self.entries, self.category_titles, self.category_notes, self.unparsed)

    def _on_HEAD(self, el: etree._Element) -> None:  # noqa: N802 - eCFR tag names
        pass

    def _on_CITA(self, el: etree._Element) -> None:  # noqa: N802
        pass

    def _on_img(self, el: etree._Element) -> None:
        self._keep_unparsed(el, "image (no text)")

    # -- headings -------------------------------------------------------------------------------
    def _on_HD1(self, el: etree._Element) -> None:  # noqa: N802
        text = element_text(el)
        for name, pattern in SECTION_MARKERS:
            if pattern.match(text) and self.entry is not None:
                self._enter_section(name, text)
                return
        if m := CATEGORY.match(text):
            self._close_entry()
            self.category, self.part, self.group, self.subgroup = m["digit"], "", "", ""
            self.category_titles[self.category] = clean(m["title"])
            self.block = self.category
        elif m := PART.match(text):
            self._close_entry()
            self.part, self.group, self.subgroup = f"Part {m['part']}", "", ""
            self.block = f"{self.category} {self.part}"
            self._add_block_note(text, "")
        elif m := GROUP.match(text):
            self._close_entry()
            self.group, self.subgroup = m["letter"], ""
        elif m := SUBGROUP.match(text):
            self._close_entry()
            self.subgroup = clean(m["title"])
        else:
            self._close_entry()
            self.block = f"{self.category} {text}"
            self._add_block_note(text, "")

    def _on_HD2(self, el: etree._Element) -> None:  # noqa: N802
        self._on_text(el)

    def _on_HD3(self, el: etree._Element) -> None:  # noqa: N802
        self._close_entry()
        self.block = f"{self.category} {element_text(el)}"
        self._add_block_note(element_text(el), "")

    # -- entries --------------------------------------------------------------------------------
    def _entry_header(self, el: etree._Element) -> re.Match[str] | None:
        if len(el) == 0 or el[0].tag != "B" or clean(el.text or ""):
            return None
        return ENTRY_HEADER.match(clean("".join(el[0].itertext())))

    def _on_FP_2(self, el: etree._Element) -> None:  # noqa: N802
        text = element_text(el)
        if text.startswith("EAR99"):
            self._close_entry()
            self.category_notes.setdefault(self.category, []).append(Note("EAR99", text))
            return
        if m := self._entry_header(el):
            self._open_entry(m, el.sourceline)
            return
        self._on_text(el)

    def _on_FP_1(self, el: etree._Element) -> None:  # noqa: N802
        if m := self._entry_header(el):
            self._open_entry(m, el.sourceline)
            return
        self._on_text(el)

    def _open_entry(self, m: re.Match[str], line: int) -> None:
        self._close_entry()
        if not self.category or not self.group:
            raise SourceError(
                self.path, line, "FP-2", f"ECCN {m['eccn']} appears before its category/product group heading"
            )
        eccn = ECCN.parse(m["eccn"])
        if eccn.category != self.category or eccn.group != self.group:
            raise SourceError(
                self.path,
                line,
                "FP-2",
                f"ECCN {eccn} found under Category {self.category}, group {self.group}; expected an ECCN of that group",
            )
        heading = clean(m["heading"]).rstrip(".") if m["heading"].strip() != "." else ""
        self.entry = Entry(
            eccn=str(eccn),
            heading=heading,
            category=self.category,
            group=self.group,
            line=line,
            part=self.part,
            subgroup=self.subgroup,
            subject_to_itar=bool(ITAR_POINTER.search(heading)),
        )
        self.section, self.last_field, self.paragraph, self.block = "", "", None, ""

    def _close_entry(self) -> None:
        if self.entry is not None:
            entry = self.entry
            entry.itar_pointer = bool(ITAR_POINTER_ENTRY.search(entry.heading))
            named = USML_CATEGORY.findall(f"{entry.heading} {entry.related_controls}")
            entry.usml_categories = list(dict.fromkeys(named))
            self.entries.append(entry)
        self.entry, self.paragraph, self.section, self.last_field = None, None, "", ""

    def _enter_section(self, name: str, text: str) -> None:
        self.section, self.last_field, self.paragraph = name, "", None
        marker = next(p for n, p in SECTION_MARKERS if n == name)
        rest = clean(marker.sub("", text, count=1)).lstrip(":").strip()
        if name == "list" and rest:
            self._item_text(rest, 0)
        elif name in ("reporting", "sta") and rest:
            self._append_field("reporting_requirements" if name == "reporting" else "sta_special_conditions", rest)

    # -- tables and notes -----------------------------------------------------------------------
    def _on_DIV(self, el: etree._Element) -> None:  # noqa: N802
        text = element_text(el)
        header = text.split("\n", 1)[0]
        if self.entry is not None and self.section in ("license", "") and (
            "Control" in header or any(" appl" in line for line in text.splitlines())
        ):
            for row in el.iter("TR"):
                for control, chart in control_cells(row):
                    self._add_control(control, chart)
            return
        self._attach_note(Note("Table", text))

    def _add_control(self, control: str, chart: str) -> None:
        """A Control(s) row, or a note that sits in the table ("This entry includes separators ...")."""
        assert self.entry is not None
        if CONTROL_LINE.match(control) or SANCTIONS_LINE.match(control):
            self.entry.controls.append(parse_control_row(control, chart, self.entry.eccn))
        elif control or chart:
            self.entry.license_notes.append(Note("Control(s) table", " ".join(t for t in (control, chart) if t)))

    def _on_NOTE(self, el: etree._Element) -> None:  # noqa: N802
        hed = el.find("HED")
        heading = clean("".join(hed.itertext())).rstrip(":").strip() if hed is not None else "Note"
        parts = []
        for child in el:
            if child is hed or not isinstance(child.tag, str):
                continue
            parts.append(element_text(child))
        if hed is not None and clean(hed.tail or ""):
            parts.insert(0, clean(hed.tail or ""))
        self._attach_note(Note(heading, "\n".join(p for p in parts if p)))

    def _on_EDNOTE(self, el: etree._Element) -> None:  # noqa: N802
        self._attach_note(Note("Editorial Note", element_text(el)))

    def _attach_note(self, note: Note) -> None:
        if self.entry is None:
            self._add_block_note(note.heading, note.text)
            return
        if self.section in ("license", "exceptions", "sta", "reporting"):
            self.entry.license_notes.append(note)
            return
        if NOTE_ON_NOTE.search(note.heading):
            target = self.note_target
        else:
            target = self._note_target(note)
        if target is not None:
            target.notes.append(note)
        elif self.paragraph is not None:
            self.paragraph.notes.append(note)
            target = self.paragraph
        elif self.section == "items":
            self.entry.notes.append(note)
        else:
            self.entry.technical_notes.append(note)
        self.note_target = target

    def _note_target(self, note: Note) -> Paragraph | None:
        """The paragraph a note names ("Note 1 to paragraph 0A501.a", "5A002.a does not control")."""
        assert self.entry is not None
        candidates = []
        if m := NOTE_TARGET.search(note.heading):
            if not m["eccn"] or m["eccn"] == self.entry.eccn:
                candidates.append(m["path"].lstrip("."))
        if m := BODY_TARGET.match(note.text):
            if m["eccn"] == self.entry.eccn:
                candidates.append(m["path"].lstrip("."))
        wanted = {f"{self.entry.eccn}.{c}" for c in candidates}
        for para in reversed(self.entry.paragraphs):
            if para.id in wanted:
                return para
        return None

    def _add_block_note(self, heading: str, text: str) -> None:
        key = self.block or self.category or "front matter"
        self.category_notes.setdefault(key, []).append(Note(heading, text))

    # -- text paragraphs ------------------------------------------------------------------------
    def _on_text(self, el: etree._Element) -> None:
        text = element_text(el)
        if not text:
            return
        if self.entry is None:
            if self.block:
                self._add_block_note("", text)
            else:
                self._keep_unparsed(el, "text outside any entry or category block")
            return
        for name, pattern in SECTION_MARKERS:
            if el.find("E") is not None and pattern.match(text):
                self._enter_section(name, text)
                return
        labelled = leading_label(el)
        if labelled is not None and self._on_field(*labelled):
            return
        introduces_list = self.last_field.startswith("related_") and getattr(self.entry, self.last_field).endswith(":")
        starts_items = (
            self.section == "list"
            and not introduces_list
            and (m := ITEM_LABEL.match(text)) is not None
            and m["label"] == "a"
        )
        if self.last_field == "exclusion_note" and self.section != "items":
            note = self.entry.technical_notes[-1]
            note.text = f"{note.text}\n{text}"
            return
        if self.section == "items" or (starts_items and not is_all_italic(el)):
            if is_all_italic(el):
                self._attach_note(Note("Note", text))
            else:
                self._item_text(text, el.sourceline)
            return
        self._continue_field(text)

    def _on_field(self, label: str, value: str) -> bool:
        """Named fields of an entry (Reason for Control, LVS, Related Controls, Items, ...)."""
        assert self.entry is not None
        key = label.lower()
        if key.startswith("reason") and "control" in key:
            self._set_reasons(value)
        elif key in ("control(s)", "controls", "eccn controls") and (
            "does not control" in value or value.endswith(":")
        ):
            # "ECCN Controls: This entry does not control the following:" and the list after it
            self.entry.technical_notes.append(Note(label, value))
            self.last_field = "exclusion_note"
        elif key in ("control(s)", "controls", "eccn controls") and not value:
            self.last_field = "controls_label"
        elif key in ("control(s)", "controls", "eccn controls"):
            self._add_control(value, "")
            self.last_field = "controls"
        elif key.startswith("related control"):
            self.section = "list"
            self._append_field("related_controls", value)
        elif key.startswith("related definition"):
            self.section = "list"
            self._append_field("related_definitions", value)
        elif key == "items":
            self.section, self.paragraph = "items", None
            if value:
                self._item_text(value, 0)
        elif key == "special reporting":
            self._append_field("reporting_requirements", value)
        elif key.startswith("technical note") or key.startswith("note"):
            self._attach_note(Note(label, value))
        elif self.section in ("exceptions", "license") and re.fullmatch(r"[a-z]{3}(/[a-z]{3})?", key):
            self.entry.license_exceptions[label.upper()] = parse_exception(label.upper(), value, self.entry.eccn)
            self.last_field = "exception:" + label.upper()
        else:
            return False
        return True

    def _set_reasons(self, value: str) -> None:
        """"NS, AT", "CC 1", "AT, RS, foreign policy" → the reason codes (and "foreign policy")."""
        assert self.entry is not None
        self.entry.reasons_for_control = list(
            dict.fromkeys(
                FOREIGN_POLICY if t.lower() == FOREIGN_POLICY else t.upper()
                for t in REASON_TOKENS.findall(value)
                if t.lower() == FOREIGN_POLICY or t.upper() in REASON_CODES
            )
        )
        self.section, self.last_field = "license", "reasons"

    def _append_field(self, name: str, value: str) -> None:
        assert self.entry is not None
        old = getattr(self.entry, name)
        setattr(self.entry, name, f"{old}\n{value}".strip())
        self.last_field = name

    def _continue_field(self, text: str) -> None:
        """An unlabelled line continues the field above it (LVS on two lines, long Related Controls)."""
        assert self.entry is not None
        if self.last_field.startswith("exception:"):
            symbol = self.last_field.split(":", 1)[1]
            old = self.entry.license_exceptions[symbol]["text"]
            self.entry.license_exceptions[symbol] = parse_exception(symbol, f"{old}\n{text}", self.entry.eccn)
        elif self.last_field in (
            "related_controls",
            "related_definitions",
            "reporting_requirements",
            "sta_special_conditions",
        ):
            self._append_field(self.last_field, text)
        elif self.section == "sta":
            self._append_field("sta_special_conditions", text)
        elif self.section == "reporting":
            self._append_field("reporting_requirements", text)
        elif self.section == "license" and (m := COUNTRY_CHART_LINE.match(text)) and CONTROL_LINE.match(m["row"]):
            # "Control(s):" with nothing after it, then "Country Chart. AT applies to entire entry. A license ..."
            self._add_control(m["row"], "")
            self.last_field = "controls"
        elif self.section == "license" and (m := REASON_LINE.match(text)):
            self._set_reasons(m["reasons"])  # "<I>Reason for Control: NS, AT</I>", all in italics
        elif self.section == "license" and (m := CONTROL_LINE.match(text)):
            # "Control(s): CC applies to entire entry. A license is required for ALL destinations..."
            self.entry.controls.append(parse_control_row(m["row"], "", self.entry.eccn))
            self.last_field = "controls"
        elif self.section in ("license", "exceptions"):
            self.entry.license_notes.append(Note("", text))
        else:
            self.entry.technical_notes.append(Note("", text))

    def _item_text(self, text: str, line: int) -> None:
        """An item paragraph ("a.1. ...") or, without a label, more text of the current one."""
        assert self.entry is not None
        self.section = "items"
        m = ITEM_LABEL.match(text)
        if m and self._plausible_label(m["label"], text):
            label, body = m["label"], clean(m["text"])
            if f"{self.entry.eccn}.{label}" in {p.id for p in self.entry.paragraphs} and (
                split := SPLIT_LABEL.match(body)
            ):
                # a source typo such as "e.1. a 'Primary cells'" for "e.1.a. 'Primary cells'"
                label, body = f"{label}.{split['part']}", split["text"]
            para = Paragraph(
                id=f"{self.entry.eccn}.{label}",
                label=label,
                text=body,
                line=line,
                reserved=bool(RESERVED.search(body)),
                subject_to_itar=bool(ITAR_POINTER.search(body)),
            )
            self.entry.paragraphs.append(para)
            self.paragraph = para
        elif self.paragraph is not None:
            self.paragraph.text = f"{self.paragraph.text}\n{text}"
        else:
            self.entry.items_text = f"{self.entry.items_text}\n{text}".strip()

    @staticmethod
    def _plausible_label(label: str, text: str) -> bool:
        """Labels end with a dot ("a.", "a.1.") except dotted ones written "z.1.b Commodities"."""
        if label in NOT_LABELS:
            return False
        return text.startswith(label + ".") or "." in label

    def _keep_unparsed(self, el: etree._Element, why: str) -> None:
        self.unparsed.append({"line": el.sourceline, "element": el.tag, "why": why, "text": element_text(el)[:200]})


def parse_ccl(path: Path) -> CCL:
    """Parse the eCFR XML of Supplement No. 1 to part 774; raises SourceError when it is not that."""
    root = parse_xml(path)
    if root.tag != "DIV9":
        raise SourceError(path, root.sourceline, root.tag, "expected the root element <DIV9> of an eCFR appendix")
    title = clean(
        " ".join(root.get("N", "").split()) + " " + element_text(root.find("HEAD"))
        if root.find("HEAD") is not None
        else root.get("N", "")
    )
    if "Supplement No. 1 to Part 774" not in title:
        raise SourceError(
            path,
            root.sourceline,
            "DIV9",
            f"expected Supplement No. 1 to Part 774 (the Commerce Control List), found {title[:80]!r}",
        )
    ccl = _Walker(path).walk(root)
    if not ccl.entries:
        raise SourceError(path, None, "FP-2", "expected ECCN entry headers (<FP-2><B>5A002 ...</B>), found none")
    missing = sorted(set("0123456789") - {e.category for e in ccl.entries})
    if missing:
        raise SourceError(path, None, "HD1", f"expected all ten CCL categories; categories {missing} have no entries")
    return ccl
