"""Batch triage: a CSV, XLSX or JSONL file of applications in, the queue out, highest priority first.

Input columns: ``description`` (required), ``destination`` (required per row), ``claimed_eccn`` (or
``eccn``), ``end_user``, ``consignee``, ``end_use``, ``value``, ``id``; other columns are kept. Output: one
row per application, ordered by priority (high, medium, low, then rows with errors) and score, with its
rank, priority, score, every reason with its citation, the first suggestions, the screening list's date
and an ``error`` column. Cells starting with = + - @ get a leading apostrophe in CSV and XLSX.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from classifier.result import percent
from classifier.tables import FORMATS, TableError, description_column, read_rows
from classifier.triage import triage_many
from classifier.triage.model import Application, TriageResult

if TYPE_CHECKING:
    from classifier.engine import Classifier

ADDED = ("rank", "priority", "score", "reasons", "reason_codes", "suggestions", "list_date", "error")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = {
    "claimed_eccn": ("claimed_eccn", "claimed", "eccn", "ECCN"),
    "destination": ("destination", "country", "Destination"),
    "end_user": ("end_user", "end user", "End user"),
    "consignee": ("consignee", "Consignee"),
    "end_use": ("end_use", "end use", "End use"),
    "value": ("value", "Value", "total_value"),
    "id": ("id", "ID", "application", "application_id"),
}
CHUNK = 32


def _cell(row: dict[str, Any], names: tuple[str, ...]) -> str:
    for name in names:
        if row.get(name) not in (None, ""):
            return str(row[name]).strip()
    return ""


def application(row: dict[str, Any], column: str, number: int) -> tuple[Application, str]:
    """An Application from one input row, and what is wrong with the row ("" when nothing)."""
    value_text = _cell(row, COLUMNS["value"])
    problem = row.get("_error", "")
    value = None
    if value_text:
        try:
            value = float(value_text.replace(",", ""))
        except ValueError:
            problem = problem or f"value {value_text!r} is not a number"
    app = Application(
        description=str(row.get(column) or ""),
        destination=_cell(row, COLUMNS["destination"]),
        claimed_eccn=_cell(row, COLUMNS["claimed_eccn"]),
        end_user=_cell(row, COLUMNS["end_user"]),
        consignee=_cell(row, COLUMNS["consignee"]),
        end_use=_cell(row, COLUMNS["end_use"]),
        value=value,
        id=_cell(row, COLUMNS["id"]) or f"row {number}",
    )
    return app, problem


def triage_rows(
    clf: Classifier,
    rows: Iterable[dict[str, Any]],
    column: str = "description",
    on_progress: Callable[[int], None] | None = None,
) -> list[tuple[dict[str, Any], TriageResult]]:
    """Every row with its triage result, ordered: highest priority and score first, errors last."""
    out: list[tuple[dict[str, Any], TriageResult]] = []
    chunk: list[tuple[dict[str, Any], Application, str]] = []

    def flush() -> None:
        good = [(row, app) for row, app, problem in chunk if not problem]
        results = iter(triage_many(clf, [app for _, app in good]))
        for row, app, problem in chunk:
            result = TriageResult(app, "error", 0.0, [], None, error=problem) if problem else next(results)
            out.append((row, result))
        chunk.clear()
        if on_progress:
            on_progress(len(out))

    for number, row in enumerate(rows, 1):
        app, problem = application(row, column, number)
        chunk.append((row, app, problem))
        if len(chunk) >= CHUNK:
            flush()
    if chunk:
        flush()
    order = sorted(range(len(out)), key=lambda i: (*out[i][1].sort_key, i))
    return [out[i] for i in order]


def queue_row(row: dict[str, Any], result: TriageResult, rank: int) -> dict[str, Any]:
    """One output row: the input columns, then the triage."""
    c = result.classification
    return {
        **{k: v for k, v in row.items() if k != "_error"},
        "rank": rank,
        "priority": result.priority,
        "score": result.score,
        "reasons": "\n".join(r.line() for r in result.reasons),
        "reason_codes": "; ".join(dict.fromkeys(r.code for r in result.reasons)),
        "suggestions": "; ".join(f"{s.eccn} ({percent(s.confidence)})" for s in c.suggestions[:3]) if c else "",
        "list_date": result.list_date,
        "error": result.error,
    }


def _neutralise(value: Any) -> Any:
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def write_queue(rows: list[dict[str, Any]], path: Path, first_columns: list[str]) -> None:
    """Write the ordered queue as CSV, XLSX or JSONL (through a temporary file and a rename)."""
    seen = dict.fromkeys(first_columns)
    for row in rows:
        seen.update(dict.fromkeys(row))
    columns = [*ADDED[:3], *(k for k in seen if k not in ADDED), *ADDED[3:]]
    tmp = path.with_name(path.name + ".tmp")
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        with tmp.open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
    elif suffix == ".csv":
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            for row in rows:
                writer.writerow({k: _neutralise(v) for k, v in row.items()})
    else:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("triage")
        sheet.append(columns)
        for row in rows:
            sheet.append([_neutralise(row.get(c, "")) for c in columns])
        book.save(tmp)
    tmp.replace(path)


def run_queue(
    clf: Classifier,
    input_path: Path,
    output_path: Path | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> list[tuple[dict[str, Any], TriageResult]]:
    """Triage every application of INPUT, write the ordered queue to OUTPUT (when given); TableError for
    bad usage (unknown format, no description column, output over the input)."""
    if output_path is not None:
        if output_path.suffix.lower() not in FORMATS:
            raise TableError(f"{output_path.name}: unsupported output format; use one of {', '.join(FORMATS)}")
        if output_path.resolve() == input_path.resolve():
            raise TableError("the output must not overwrite the input")
    columns, rows = read_rows(input_path)
    column = description_column(columns) if input_path.suffix.lower() != ".jsonl" or columns else "description"
    ordered = triage_rows(clf, rows, column, on_progress)
    if output_path is not None:
        write_queue([queue_row(row, r, i) for i, (row, r) in enumerate(ordered, 1)], output_path, columns)
    return ordered
