"""Writing batch results: the JSONL part file turned into CSV, XLSX or JSONL, safely for spreadsheets.

Cells (and column headers) starting with = + - @ get a leading apostrophe in CSV and XLSX output, so a
spreadsheet shows them instead of running them as formulas. XLSX cannot hold control characters or
cells over 32,767 characters: the first are removed and the second cut, and either change is written
into the row's ``warnings`` cell and counted, never done silently. Output goes to a temporary file
renamed over the target at the end, so a crash never leaves half a file under the output's name.
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_CELL_LIMIT = 32_767
# the characters openpyxl refuses (openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE)
_XLSX_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


@dataclass
class Written:
    """What the writer had to change to fit the format (XLSX only)."""

    cut_cells: int = 0
    cleaned_cells: int = 0


def neutralise(value: Any) -> Any:
    """A cell a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _csv_cell(value: Any) -> Any:
    """CSV has no booleans: write them as true/false (JSONL and XLSX keep real booleans)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return neutralise(value)


def _part_rows(part: Path) -> Iterator[dict[str, Any]]:
    with part.open(encoding="utf-8") as src:
        for line in src:
            if line.strip():
                yield json.loads(line)


def columns_of(part: Path, first: list[str], added: tuple[str, ...]) -> list[str]:
    """Every key of every row, input columns first and the added columns last (a first streaming pass)."""
    seen = dict.fromkeys(first)
    for row in _part_rows(part):
        seen.update(dict.fromkeys(row))
    keys = [k for k in seen if k not in added]
    return [*keys, *added]


def _xlsx_cell(value: Any, column: str, notes: list[str], written: Written) -> Any:
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    if not isinstance(value, str):
        return value
    if _XLSX_ILLEGAL.search(value):
        value = _XLSX_ILLEGAL.sub("", value)
        written.cleaned_cells += 1
        notes.append(f"control characters removed from '{column}' (not allowed in XLSX)")
    value = neutralise(value)
    if len(value) > XLSX_CELL_LIMIT:
        notes.append(
            f"'{column}' cut from {len(value):,} to {XLSX_CELL_LIMIT:,} characters (the XLSX cell limit); "
            "write .csv or .jsonl to keep it whole"
        )
        value = value[:XLSX_CELL_LIMIT]
        written.cut_cells += 1
    return value


def write_final(part: Path, output: Path, columns: list[str]) -> Written:
    """Turn the JSONL part file into OUTPUT's format through a temporary file and a rename."""
    tmp = output.with_name(output.name + ".tmp")
    suffix = output.suffix.lower()
    written = Written()
    rows = _part_rows(part)
    if suffix == ".jsonl":
        with tmp.open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif suffix == ".csv":
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow([neutralise(c) for c in columns])
            for row in rows:
                writer.writerow([_csv_cell(row.get(c, "")) for c in columns])
    else:
        _write_xlsx(rows, tmp, columns, written)
    os.replace(tmp, output)
    return written


PERCENT_COLUMNS = ("confidence",)  # fractions shown as percentages in XLSX (the value stays 0.62)


def _write_xlsx(rows: Iterator[dict[str, Any]], path: Path, columns: list[str], written: Written) -> None:
    """A well-formed sheet: the header frozen and filterable, booleans as booleans, confidence as a percentage."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet("classification")
    sheet.freeze_panes = "A2"
    sheet.append([_xlsx_cell(c, "header", [], written) for c in columns])
    percent_at = {columns.index(c) for c in PERCENT_COLUMNS if c in columns}
    count = 0
    for row in rows:
        notes: list[str] = []
        cells: list[Any] = [_xlsx_cell(row.get(c, ""), c, notes, written) for c in columns]
        if notes and "warnings" in columns:
            at = columns.index("warnings")
            cells[at] = _xlsx_cell("; ".join(filter(None, [str(cells[at] or ""), *notes])), "warnings", [], written)
        for at in percent_at:
            if isinstance(cells[at], (int, float)) and not isinstance(cells[at], bool):
                cell = WriteOnlyCell(sheet, value=cells[at])
                cell.number_format = "0%"
                cells[at] = cell
        sheet.append(cells)
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(1, len(columns)))}{count + 1}"
    book.save(path)
