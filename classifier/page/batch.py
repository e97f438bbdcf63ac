"""The Batch tab's review: file-wide facts, a template, a summary, a filterable table and the XLSX.

The upload is staged as JSONL with the file-wide facts (a default destination, end use, end user) filled
into the rows that leave them empty, classified by ``batch.run_batch`` (every row kept, in order; a row
that cannot be read gets its ``error``), then written as a well-formed XLSX (``writers``: frozen header,
filters, booleans as booleans, confidence as a percentage). The page shows counts (classified, needs an
answer, license required, review, errors) and the rows, filterable by those counts, so that a reviewer
starts with the rows that need a person.
"""

from __future__ import annotations

import csv
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from classifier.batch import ADDED, run_batch
from classifier.inputs import short_text
from classifier.result import percent
from classifier.tables import description_column, read_rows
from classifier.writers import columns_of, write_final

if TYPE_CHECKING:
    from classifier.engine import Classifier

FILE_FACTS = {"destination": "Destination", "end_use": "End use", "end_user": "End user"}
TEMPLATE_COLUMNS = [
    "id", "description", "destination", "end_user", "consignee", "end_use",
    "total_value", "us_content_value", "us_content_eccns", "mass_market",
]  # fmt: skip
TEMPLATE_ROWS = [
    ["router-1", "Dual-band Wi-Fi 6 home router with WPA3, sold in electronics stores", "Germany", "", "", "", "", "",
     "", "yes"],
    ["mug-1", "Ceramic coffee mug, 350 ml", "", "", "", "", "", "", "", ""],
]  # fmt: skip
SHOWN_COLUMNS = ["row", "id", "description", "eccn", "confidence", "license", "needs answer", "screening", "error"]
FILTERS = ["all rows", "needs an answer", "license required", "review", "errors"]
MAX_SHOWN_ROWS = 1000


class Cancelled(Exception):
    """The user pressed Cancel: the run stops after the chunk in progress."""


@dataclass
class Review:
    """What the Batch tab shows after a run."""

    rows: list[dict[str, Any]]
    output: Path
    counts: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        c = self.counts
        text = (
            f"{c['rows']} rows: {c['classified']} classified, {c['needs answer']} need an answer, "
            f"{c['license required']} license required, {c['review']} review, {c['errors']} errors."
        )
        if c["errors"]:
            text += " Rows with errors say why in the 'error' column (filter: errors)."
        return text


def template(folder: Path) -> Path:
    """A CSV with every column the batch reads and two example rows."""
    path = folder / "batch-template.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(TEMPLATE_COLUMNS)
        writer.writerows(TEMPLATE_ROWS)
    return path


def file_facts(values: dict[str, Any]) -> dict[str, str]:
    """The file-wide facts that were given, checked like any short field (InputError names the field)."""
    return {name: short_text(str(v), FILE_FACTS[name]) for name, v in values.items() if v and str(v).strip()}


def stage(upload: Path, defaults: dict[str, str], folder: Path) -> Path:
    """The upload as JSONL, each row with the file-wide facts it leaves empty (TableError on a bad file)."""
    columns, rows = read_rows(upload)
    if upload.suffix.lower() != ".jsonl" or columns:
        description_column(columns)  # TableError naming the columns found
    staged = folder / f"{upload.stem[:80]}.jsonl"
    with staged.open("w", encoding="utf-8") as fh:
        for row in rows:
            for name, value in defaults.items():
                if not str(row.get(name) or "").strip():
                    row[name] = value
            fh.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
    return staged


def counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {
        "rows": len(rows),
        "classified": sum(not r.get("error") for r in rows),
        "needs answer": sum(r.get("needs_answer") is True for r in rows),
        "license required": sum(r.get("license_required") is True for r in rows),
        "review": sum(r.get("license") == "review" for r in rows),
        "errors": sum(bool(r.get("error")) for r in rows),
    }


def _keep(row: dict[str, Any], shown: str) -> bool:
    return {
        "needs an answer": row.get("needs_answer") is True,
        "license required": row.get("license_required") is True,
        "review": row.get("license") == "review",
        "errors": bool(row.get("error")),
    }.get(shown, True)


def table(rows: list[dict[str, Any]], shown: str = "all rows") -> list[list[Any]]:
    """The rows for the page's table, filtered by one of FILTERS (at most MAX_SHOWN_ROWS)."""
    out = []
    for number, row in enumerate(rows, 1):
        if not _keep(row, shown):
            continue
        confidence = row.get("confidence")
        out.append(
            [
                number,
                str(row.get("id", "")),
                str(row.get("description", ""))[:120],
                row.get("eccn", ""),
                percent(confidence) if isinstance(confidence, (int, float)) and not row.get("error") else "",
                row.get("license", ""),
                "yes" if row.get("needs_answer") is True else "",
                row.get("screening", ""),
                row.get("error", ""),
            ]
        )
        if len(out) >= MAX_SHOWN_ROWS:
            break
    return out


def run(
    clf: Classifier,
    upload: Path,
    defaults: dict[str, str],
    folder: Path,
    on_progress: Callable[[int, int | None], None] | None = None,
    cancel: threading.Event | None = None,
) -> Review:
    """Classify an uploaded file into ``folder``; Cancelled when ``cancel`` is set, TableError on a bad file."""
    staged = stage(upload, defaults, folder)
    results = folder / f"{upload.stem[:80]}-classified.jsonl"

    def progress(done: int, total: int | None) -> None:
        if cancel is not None and cancel.is_set():
            raise Cancelled(f"cancelled after {done} rows")
        if on_progress is not None:
            on_progress(done, total)

    run_batch(clf, staged, results, progress=None, on_progress=progress, chunk_size=32)
    with results.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    output = results.with_suffix(".xlsx")
    write_final(results, output, columns_of(results, list(rows[0]) if rows else ["description"], ADDED))
    return Review(rows, output, counts(rows))
