"""Reading tables of rows: CSV and JSONL (UTF-8 with or without BOM; a line that is not UTF-8 is read as
Windows-1252/Latin-1 and reported), XLSX (first sheet) and Parquet (input only: a catalogue exported from a
data lake).

Shared by batch classification (``batch.py``) and past decisions (``decisions.py``). Rows are read
lazily and each line is decoded on its own; a line that cannot be read (not a JSON object, malformed
CSV) becomes a row with an ``_error``, and a row read from a line that was not UTF-8 carries a ``_warning``.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

FORMATS = (".csv", ".xlsx", ".jsonl")  # read and written
INPUT_FORMATS = (*FORMATS, ".parquet")  # read only
PARQUET_BATCH = 1024  # rows decoded at a time: memory stays flat whatever the file's size
MAX_CELL_BYTES = 64 * 1024 * 1024  # a longer CSV cell is an error for its row; shorter ones are read whole
DESCRIPTION_COLUMNS = ("description", "Description", "DESCRIPTION", "product_description", "item_description")


class TableError(ValueError):
    """Bad usage: unreadable file, unknown format, missing column (the CLI exits with code 2)."""


def _decoded_lines(path: Path, fallbacks: list[int]) -> Iterator[str]:
    """The file's lines, each decoded on its own: UTF-8 (BOM dropped), else Windows-1252, else Latin-1.

    A stray Latin-1 byte then costs one line, not the whole file, and the numbers of the lines that were not
    UTF-8 are appended to ``fallbacks`` so the rows read from them can say so."""
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, 1):
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                fallbacks.append(number)
                try:
                    yield raw.decode("cp1252")
                except UnicodeDecodeError:
                    yield raw.decode("latin-1")


def _fallback_note(fallbacks: list[int], first: int, last: int) -> str:
    lines = [n for n in fallbacks if first <= n <= last]
    if not lines:
        return ""
    return f"line {lines[0]} is not valid UTF-8; it was read as Windows-1252/Latin-1: check its accented letters"


def _unique(names: list[str]) -> list[str]:
    """Column names made unique ("sku", "sku_2"), so that no cell is dropped for sharing a header."""
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(names):
        name = name or f"column_{i + 1}"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return out


def _read_csv(path: Path) -> tuple[list[str], Iterator[dict[str, Any]]]:
    """CSV rows; a row the csv module cannot read becomes a row with an ``_error`` and the rest go on."""
    csv.field_size_limit(MAX_CELL_BYTES)  # the default (131,072) would stop the whole file at one long cell
    fallbacks: list[int] = []
    reader = csv.reader(_decoded_lines(path, fallbacks))
    try:
        columns = _unique(next(reader, []))
    except csv.Error as err:
        raise TableError(f"{path}: the header row cannot be read ({err})") from err

    def rows() -> Iterator[dict[str, Any]]:
        while True:
            first = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                yield {"_error": f"line {reader.line_num} cannot be read as CSV ({err})"}
                continue
            if not cells:
                continue
            row: dict[str, Any] = dict.fromkeys(columns, "")
            row.update(zip(columns, cells, strict=False))
            if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns) :]):
                # an unquoted comma split a cell: reading on would classify half a description
                extra = ", ".join(repr(c[:40]) for c in cells[len(columns) :][:3])
                row["_error"] = (
                    f"line {first} has {len(cells)} cells but the header has {len(columns)} (extra: {extra}): "
                    "put a description that contains commas in double quotes"
                )
            note = _fallback_note(fallbacks, first, reader.line_num)
            if note:
                row["_warning"] = note
            yield row

    return columns, rows()


def _read_jsonl(path: Path) -> tuple[list[str], Iterator[dict[str, Any]]]:
    columns: list[str] = []
    for line in _decoded_lines(path, []):
        if line.strip():
            try:
                first = json.loads(line)
                columns = [str(k) for k in first] if isinstance(first, dict) else []
            except (json.JSONDecodeError, RecursionError):
                pass
            break

    def rows() -> Iterator[dict[str, Any]]:
        fallbacks: list[int] = []
        for number, line in enumerate(_decoded_lines(path, fallbacks), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as err:
                yield {"_error": f"line {number} is not valid JSON ({err.msg})"}
                continue
            except RecursionError:
                yield {"_error": f"line {number} is nested too deeply to be read"}
                continue
            if not isinstance(row, dict):
                yield {"_error": f"line {number} is not a JSON object"}
                continue
            note = _fallback_note(fallbacks, number, number)
            cleaned = _without_surrogates(row)
            if cleaned != row:
                row = cleaned
                note = f"line {number} holds \\u escapes that are not characters (lone surrogates); read as '?'"
            yield {**row, "_warning": note} if note else row

    return columns, rows()


def _without_surrogates(value: Any) -> Any:
    """JSON may spell lone surrogates (\\ud800), which no output file can hold: each becomes '?'."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, list):
        return [_without_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    return value


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
    columns = _unique([str(c) if c is not None else f"column_{i + 1}" for i, c in enumerate(header)])

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


def _read_parquet(path: Path) -> tuple[list[str], Iterator[dict[str, Any]]]:
    """Rows as Python values (str, int, float, None, datetime, ...), a batch of PARQUET_BATCH at a time."""
    import pyarrow.parquet as pq

    try:
        source = pq.ParquetFile(path)
    except Exception as err:  # pyarrow raises ArrowInvalid, OSError, ... for a file that is not Parquet
        raise TableError(f"{path} is not a readable Parquet file ({err})") from err
    columns = _unique([str(name) for name in source.schema_arrow.names])

    def rows() -> Iterator[dict[str, Any]]:
        with source:
            for batch in source.iter_batches(batch_size=PARQUET_BATCH):
                for values in zip(*(column.to_pylist() for column in batch.columns), strict=True):
                    yield dict(zip(columns, values, strict=True))

    return columns, rows()


def count_rows(path: Path) -> int | None:
    """The number of rows of a Parquet file (from its footer); None for other formats."""
    if path.suffix.lower() != ".parquet":
        return None
    import pyarrow.parquet as pq

    return int(pq.ParquetFile(path).metadata.num_rows)


def read_rows(path: Path) -> tuple[list[str], Iterator[dict[str, Any]]]:
    readers = {".csv": _read_csv, ".jsonl": _read_jsonl, ".xlsx": _read_xlsx, ".parquet": _read_parquet}
    if path.suffix.lower() not in readers:
        raise TableError(f"{path.name}: unsupported format; use one of {', '.join(INPUT_FORMATS)}")
    if not path.is_file():
        raise TableError(f"{path} does not exist or is not a file")
    return readers[path.suffix.lower()](path)


def description_column(columns: list[str]) -> str:
    found = next((c for c in DESCRIPTION_COLUMNS if c in columns), None)
    if found is None:
        raise TableError(f"no 'description' column; the columns found are: {', '.join(columns) or '(none)'}")
    return found
