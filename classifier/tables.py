"""Reading tables of rows: CSV (UTF-8 with or without BOM, else Latin-1), XLSX (first sheet) and JSONL.

Shared by batch classification (``batch.py``) and past decisions (``decisions.py``). Rows are read
lazily; a JSONL line that is not a JSON object becomes a row with an ``_error``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

FORMATS = (".csv", ".xlsx", ".jsonl")
DESCRIPTION_COLUMNS = ("description", "Description", "DESCRIPTION", "product_description", "item_description")


class TableError(ValueError):
    """Bad usage: unreadable file, unknown format, missing column (the CLI exits with code 2)."""


def _csv_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes as UTF-8, else Latin-1."""
    decoder = __import__("codecs").getincrementaldecoder("utf-8")()
    with path.open("rb") as fh:
        try:
            while block := fh.read(1 << 20):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "latin-1"
    return "utf-8-sig"


def _read_csv(path: Path) -> tuple[list[str], Iterator[dict[str, Any]]]:
    fh = path.open(encoding=_csv_encoding(path), newline="")
    reader = csv.DictReader(fh)
    columns = list(reader.fieldnames or [])

    def rows() -> Iterator[dict[str, Any]]:
        with fh:
            yield from reader

    return columns, rows()


def _read_jsonl(path: Path) -> tuple[list[str], Iterator[dict[str, Any]]]:
    columns: list[str] = []
    with path.open(encoding="utf-8-sig", errors="replace") as fh:
        for line in fh:
            if line.strip():
                try:
                    first = json.loads(line)
                    columns = list(first) if isinstance(first, dict) else []
                except json.JSONDecodeError:
                    pass
                break

    def rows() -> Iterator[dict[str, Any]]:
        with path.open(encoding="utf-8-sig", errors="replace") as fh:
            for number, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as err:
                    yield {"_error": f"line {number} is not valid JSON ({err.msg})"}
                    continue
                yield row if isinstance(row, dict) else {"_error": f"line {number} is not a JSON object"}

    return columns, rows()


def _read_xlsx(path: Path) -> tuple[list[str], Iterator[dict[str, Any]]]:
    """The first sheet; a formula cell gives its saved value, or its formula text when none was saved."""
    from openpyxl import load_workbook

    try:
        values_book = load_workbook(path, read_only=True, data_only=True)
        formula_book = load_workbook(path, read_only=True, data_only=False)
    except Exception as err:  # openpyxl raises several types for a file that is not a workbook
        raise TableError(f"{path} is not a readable XLSX workbook ({err})") from err
    values = values_book.active.iter_rows(values_only=True)
    formulas = formula_book.active.iter_rows(values_only=True)
    header = next(values, None) or ()
    next(formulas, None)
    columns = [str(c) if c is not None else f"column_{i + 1}" for i, c in enumerate(header)]

    def rows() -> Iterator[dict[str, Any]]:
        try:
            for shown, written in zip(values, formulas, strict=False):
                cells = [w if v is None else v for v, w in zip(shown, written, strict=False)]
                if all(c is None for c in cells):
                    continue
                yield {c: ("" if v is None else v) for c, v in zip(columns, cells, strict=False)}
        finally:
            values_book.close()
            formula_book.close()

    return columns, rows()


def read_rows(path: Path) -> tuple[list[str], Iterator[dict[str, Any]]]:
    readers = {".csv": _read_csv, ".jsonl": _read_jsonl, ".xlsx": _read_xlsx}
    if path.suffix.lower() not in readers:
        raise TableError(f"{path.name}: unsupported format; use one of {', '.join(FORMATS)}")
    if not path.is_file():
        raise TableError(f"{path} does not exist or is not a file")
    return readers[path.suffix.lower()](path)


def description_column(columns: list[str]) -> str:
    found = next((c for c in DESCRIPTION_COLUMNS if c in columns), None)
    if found is None:
        raise TableError(f"no 'description' column; the columns found are: {', '.join(columns) or '(none)'}")
    return found
