"""Control(s) rows as the eCFR prints them, and the build check that reasons for control and rows agree."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from classifier.corpus import Corpus
from tests.test_ccl_parser import ccl_document
from training.ccl_xml import parse_ccl
from training.control_reading import Names, check_entries, read_row, resolve_pointers
from training.controls import parse_control_row, parse_exception
from training.xml_text import SourceError

SPANNING = """<FP-2><B>0A001 Precursors (see List of Items Controlled).</B></FP-2>
<FP-1><E T="04">License Requirements</E></FP-1>
<FP-1><I>Reason for Control:</I> CB, AT</FP-1>
<DIV><TABLE><TR><TH>Control(s)</TH></TR><TBODY>
<TR><TD colspan="2">CB applies to entire entry CB Column 2.</TD></TR>
<TR><TD>AT applies to entire entry<br></br></TD><TD>AT Column 1</TD></TR></TBODY></TABLE></DIV>
<FP-2><B>0A002 Targets.</B></FP-2>
<FP-1><E T="04">License Requirements</E></FP-1>
<FP-1><I>Reason for Control: NP, AT</I></FP-1>
<DIV><TABLE><TR></TR><TBODY>
<TR><TD>NP applies to entire entry<br></br>AT applies to entire entry</TD><TD>NP Column 1<br></br>AT Column 1</TD></TR>
<TR><TD>This entry includes separators with the ion sources external to the field.</TD></TR>
</TBODY></TABLE></DIV>
<FP-2><B>0A003 Ring magnets.</B></FP-2>
<FP-1><E T="04">License Requirements</E></FP-1>
<FP-1><I>Reason for Control:</I> AT</FP-1>
<FP-1><I>Control(s):</I></FP-1>
<FP-1><I>Country Chart.</I> AT applies to entire entry. A license is required for items controlled by this entry to North Korea for anti-terrorism reasons.</FP-1>
"""


@pytest.fixture()
def parsed(tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "ccl.xml"
    path.write_text(ccl_document(SPANNING), encoding="utf-8")
    return {e.eccn: e for e in parse_ccl(path).entries}


def test_a_cell_spanning_both_columns_is_one_row_with_its_column(parsed: dict[str, Any]) -> None:
    cb = parsed["0A001"].controls[0]
    assert cb["reasons"] == ["CB"] and cb["entire_entry"] and cb["columns"] == ["CB 2"]


def test_line_breaks_in_both_cells_are_separate_rows(parsed: dict[str, Any]) -> None:
    entry = parsed["0A002"]
    assert entry.reasons_for_control == ["NP", "AT"]  # the whole line in italics
    assert [(r["reasons"], r["columns"]) for r in entry.controls] == [(["NP"], ["NP 1"]), (["AT"], ["AT 1"])]
    assert any("separators" in n.text for n in entry.license_notes)  # a note in the table is not a row


def test_a_country_chart_line_after_an_empty_controls_label_is_a_row(parsed: dict[str, Any]) -> None:
    (row,) = parsed["0A003"].controls
    assert row["reasons"] == ["AT"] and "North Korea" in row["control_text"]


@pytest.mark.parametrize(
    ("control", "eccn", "paragraphs", "excepted", "conditional"),
    [
        ("NS applies to 9A004 .g, .r, .u, and .w", "9A004", ["9A004.g", "9A004.r", "9A004.u", "9A004.w"], [], []),
        ("NS applies to entire entry, except 8A620. b and .y", "8A620", [], ["8A620.b", "8A620.y"], []),
        (
            "NS applies to 5A001.b (except .b.5), .c, .f (except f.3)",
            "5A001",
            ["5A001.b", "5A001.c", "5A001.f"],
            ["5A001.b.5", "5A001.f.3"],
            [],
        ),
        (
            "NS applies to entire entry except: 9A610.b; parts and components controlled in 9A610.x if being exported "
            "or reexported for use in an aircraft controlled in 9A610.b; and 9A610.y",
            "9A610",
            [],
            ["9A610.b", "9A610.y"],
            ["9A610.x"],
        ),
        (
            "NS applies to entire entry except 0A509.a for items for ECCN 0A502 or ECCN 0A508, and 0A509.d",
            "0A509",
            [],
            ["0A509.d"],
            ["0A509.a"],
        ),
        ("CB applies to items controlled by 1C351.d.15 and .16", "1C351", ["1C351.d.15", "1C351.d.16"], [], []),
    ],
)
def test_scopes_and_exceptions(
    control: str, eccn: str, paragraphs: list[str], excepted: list[str], conditional: list[str]
) -> None:
    row = parse_control_row(control, "NS Column 1", eccn)
    assert row["paragraphs"] == paragraphs
    assert row["except"] == excepted
    assert [p for c in row["except_if"] for p in c["paragraphs"]] == conditional


def test_a_scope_stated_in_words_is_a_condition() -> None:
    row = parse_control_row(
        "NS applies to shotguns with a barrel length less than 18 inches (45.72 cm)", "NS Column 1", "0A502"
    )
    assert row["conditions"].startswith("shotguns") and not row["entire_entry"]


def test_na_for_paragraphs_in_an_exception_line() -> None:
    lvs = parse_exception("LVS", "$5000; N/A for 4A003.b, c, and z.", "4A003")
    assert lvs["available"] and lvs["value_limit_usd"] == 5000
    assert lvs["not_for"] == ["4A003.b", "4A003.c", "4A003.z"]


def _names(corpus: Corpus) -> Names:
    return Names(corpus.countries["aliases"])


def test_rows_in_words_are_read_for_destinations(corpus: Corpus) -> None:
    names = _names(corpus)
    pointers = resolve_pointers(corpus.rule_table("control_rows"), names, "test")
    row = parse_control_row("RS applies to 9A515.y", "China, Russia or Venezuela (see § 742.6(a)(7)).", "9A515")
    reading = read_row(row, pointers, names)
    assert reading["kind"] == "destinations" and set(reading["countries"]) == {"China", "Russia", "Venezuela"}
    un = read_row(
        parse_control_row("UN applies to entire entry", "See § 746.1(b) for UN controls", "0A501"), pointers, names
    )
    assert "Iraq" in un["countries"] and "746.1(b)(2)" in un["citation"]
    cw = parse_control_row(
        "CW applies to 1C350.b and .c. A license is required, for CW reasons, to export or reexport Schedule 2 "
        "chemicals to States not Party to the CWC (destinations not listed in Supplement No. 2 to part 745 of the EAR).",
        "",
        "1C350",
    )
    assert read_row(cw, pointers, names)["kind"] == "review"


def _entry(reasons: list[str]) -> dict[str, Any]:
    at = parse_control_row("AT applies to entire entry", "AT Column 1", "0A001")
    return {"eccn": "0A001", "reasons_for_control": reasons, "controls": [at]}


def test_the_build_stops_when_reasons_and_rows_disagree(corpus: Corpus) -> None:
    names = _names(corpus)
    with pytest.raises(SourceError, match="0A001: Reason for Control"):
        check_entries([_entry(["NS", "AT"])], [], names, {}, "test")
    listed = {"0A001": {"reasons_without_rows": ["NS"], "rows_without_reasons": []}}
    entry = _entry(["NS", "AT"])
    counts = check_entries([entry], [], names, listed, "test")
    assert counts["added_for_reasons_without_rows"] == 1 and entry["controls"][-1]["reading"]["kind"] == "review"


def test_a_listed_discrepancy_that_no_longer_exists_stops_the_build(corpus: Corpus) -> None:
    listed = {"0A001": {"reasons_without_rows": ["NS"], "rows_without_reasons": []}}
    with pytest.raises(SourceError, match="now agree"):
        check_entries([_entry(["AT"])], [], _names(corpus), listed, "test")
