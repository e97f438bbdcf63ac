"""The CCL parser on small eCFR-shaped documents and on the real regulation's tricky paragraphs."""

from __future__ import annotations

from pathlib import Path

import pytest

from training.ccl_xml import parse_ccl
from training.xml_text import SourceError

CATEGORY_HEADINGS = "".join(
    f"<HD1>Category {d}—Test category {d}\n</HD1><HD1>A. “End Items”\n</HD1>"
    f"<FP-2><B>{d}A999 Filler entry {d}.</B>\n</FP-2>"
    for d in range(1, 10)
)

TABLE = """<DIV width="100%"><DIV class="gpotbl_div"><TABLE><THEAD><TR><TH>Control(s)</TH><TH>Country chart</TH></TR></THEAD>
<TBODY><TR><TD>NS applies to 0A001.b, .c, and .z.1</TD><TD>NS Column 1.</TD></TR>
<TR><TD>RS applies to entire entry except 0A001.y</TD><TD>RS Column 2.</TD></TR>
<TR><TD>AT applies to entire entry</TD><TD>AT Column 1.</TD></TR></TBODY></TABLE></DIV></DIV>"""

ENTRY = f"""<FP-2><B>0A001 Widgets as follows (see List of Items Controlled).</B>
</FP-2>
<FP-1><E T="04">License Requirements</E></FP-1>
<FP-1><I>Reason for Control:</I> NS, RS, AT</FP-1>
{TABLE}
<FP-1><E T="05">List Based License Exceptions (See Part 740)</E></FP-1>
<FP-1><I>LVS:</I> $1500 for 0A001.a</FP-1>
<FP-1><I>GBS:</I> N/A</FP-1>
<FP-1><E T="04">List of Items Controlled</E></FP-1>
<FP-1><I>Related Controls:</I> See also 0A002.</FP-1>
<FP-1><I>Related Definitions:</I> N/A</FP-1>
<FP><I>Items:</I></FP>
<P>a. Widgets having a mass exceeding 10 kg;</P>
<NOTE><HED><I>Note 1 to paragraph 0A001.a:</I></HED><P><I>0A001.a does not control toy widgets.</I></P>
<P><I>a. Sub-note paragraph that is not an item;</I></P></NOTE>
<P>b. Widgets having any of the following:</P>
<P>b.1. A speed exceeding 5 m/s; <I>or</I></P>
<P>b.2. Parameters in the following table:</P>
<DIV><TABLE><TR><TH>Band</TH><TH>Power</TH></TR><TR><TD>1 GHz</TD><TD>10 W</TD></TR></TABLE></DIV>
<P>c. through x. [Reserved]</P>
<P>y. Specific widgets as follows:</P>
<P>y.1. Widget knobs;</P>
<P>y.2. [Reserved]</P>
<P>z.1 Commodities described in 0A001.b that also meet 3A090.a;</P>
<NOTE><HED><I>Technical Note:</I></HED><P><I>For the purposes of 0A001.b, 'speed' is measured in air.</I></P></NOTE>
<FP-2><B>0A002 Guns “subject to the ITAR.” (These items are “subject to the ITAR.” See 22 CFR parts 120 through 130.)</B></FP-2>
"""


def ccl_document(body: str, title: str = "Supplement No. 1 to Part 774") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<DIV9 N="{title}" TYPE="APPENDIX"><HEAD>{title}—The Commerce Control List\n</HEAD>'
        f"<HD1>Category 0—Nuclear\n</HD1><HD1>A. “End Items”\n</HD1>{body}{CATEGORY_HEADINGS}</DIV9>"
    )


@pytest.fixture()
def small_ccl(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "ccl.xml"
    path.write_text(ccl_document(ENTRY), encoding="utf-8")
    ccl = parse_ccl(path)
    return {e.eccn: e for e in ccl.entries}


def test_entry_header_heading_and_group(small_ccl) -> None:  # type: ignore[no-untyped-def]
    entry = small_ccl["0A001"]
    assert entry.heading == "Widgets as follows (see List of Items Controlled)"
    assert (entry.category, entry.group) == ("0", "A")
    assert entry.reasons_for_control == ["NS", "RS", "AT"]


def test_controls_rows_keep_the_paragraphs_they_apply_to(small_ccl) -> None:  # type: ignore[no-untyped-def]
    ns, rs, at = small_ccl["0A001"].controls
    assert ns["paragraphs"] == ["0A001.b", "0A001.c", "0A001.z.1"] and not ns["entire_entry"]
    assert ns["columns"] == ["NS 1"]
    assert rs["entire_entry"] and rs["except"] == ["0A001.y"] and rs["columns"] == ["RS 2"]
    assert at["entire_entry"] and at["columns"] == ["AT 1"]


def test_license_exceptions_with_value_limits(small_ccl) -> None:  # type: ignore[no-untyped-def]
    exceptions = small_ccl["0A001"].license_exceptions
    assert exceptions["LVS"]["value_limit_usd"] == 1500 and exceptions["LVS"]["paragraphs"] == ["0A001.a"]
    assert exceptions["GBS"]["available"] is False


def test_paragraph_ids_follow_the_labels(small_ccl) -> None:  # type: ignore[no-untyped-def]
    ids = [p.id for p in small_ccl["0A001"].paragraphs]
    assert ids == [
        "0A001.a",
        "0A001.b",
        "0A001.b.1",
        "0A001.b.2",
        "0A001.c",
        "0A001.y",
        "0A001.y.1",
        "0A001.y.2",
        "0A001.z.1",
    ]


def test_notes_attach_to_the_paragraph_they_name_and_are_not_items(small_ccl) -> None:  # type: ignore[no-untyped-def]
    paragraphs = {p.id: p for p in small_ccl["0A001"].paragraphs}
    note = paragraphs["0A001.a"].notes[0]
    assert note.heading == "Note 1 to paragraph 0A001.a"
    assert "toy widgets" in note.text and "Sub-note paragraph" in note.text
    technical = paragraphs["0A001.b"].notes[0]  # placed after z.1 in the XML, but it is about 0A001.b
    assert "'speed' is measured in air" in technical.text


def test_tables_inside_items_keep_rows(small_ccl) -> None:  # type: ignore[no-untyped-def]
    paragraphs = {p.id: p for p in small_ccl["0A001"].paragraphs}
    table = paragraphs["0A001.b.2"].notes[0]
    assert table.heading == "Table" and "1 GHz | 10 W" in table.text


def test_reserved_and_y_paragraphs(small_ccl) -> None:  # type: ignore[no-untyped-def]
    paragraphs = {p.id: p for p in small_ccl["0A001"].paragraphs}
    assert paragraphs["0A001.c"].reserved and paragraphs["0A001.y.2"].reserved
    assert not paragraphs["0A001.y.1"].reserved and paragraphs["0A001.y.1"].text == "Widget knobs;"


def test_entries_that_only_point_to_the_itar(small_ccl) -> None:  # type: ignore[no-untyped-def]
    itar = small_ccl["0A002"]
    assert itar.subject_to_itar and itar.paragraphs == []
    assert not small_ccl["0A001"].subject_to_itar


def test_malformed_xml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_text(ccl_document(ENTRY).replace("</FP-1>", "", 1), encoding="utf-8")
    with pytest.raises(SourceError) as err:
        parse_ccl(path)
    assert "line" in str(err.value) and "malformed XML" in str(err.value)
    assert err.value.line is not None


def test_a_file_that_is_not_the_ccl_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.xml"
    path.write_text(ccl_document(ENTRY, title="Supplement No. 2 to Part 774"), encoding="utf-8")
    with pytest.raises(SourceError, match="expected Supplement No. 1 to Part 774"):
        parse_ccl(path)


def test_a_non_ecfr_root_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "html.xml"
    path.write_text("<html><body>hello</body></html>", encoding="utf-8")
    with pytest.raises(SourceError, match="<DIV9>") as err:
        parse_ccl(path)
    assert err.value.element == "html"


def test_an_eccn_under_the_wrong_category_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "wrong.xml"
    path.write_text(ccl_document(ENTRY.replace("0A001 Widgets", "5A001 Widgets")), encoding="utf-8")
    with pytest.raises(SourceError, match="5A001 found under Category 0"):
        parse_ccl(path)


def test_missing_categories_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "short.xml"
    path.write_text(ccl_document(ENTRY).replace(CATEGORY_HEADINGS, ""), encoding="utf-8")
    with pytest.raises(SourceError, match="all ten CCL categories"):
        parse_ccl(path)
