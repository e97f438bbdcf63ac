"""Batch classification of CSV, XLSX and JSONL files: streaming, ordered, resumable, nothing lost.

Rows are read lazily and classified in chunks (one encoder call per chunk), so memory stays flat for a
million rows. Every input column is kept, rows stay in order, and a row that cannot be classified
(empty, unreadable or absurdly long description) gets an ``error`` while the rest go on. Results go to
``OUTPUT.part.jsonl`` as they are made, with a small progress file; ``--resume`` continues from the
last finished chunk after a crash, without duplicates or gaps. At the end the part file is written in
the output's format to a temporary file and renamed over OUTPUT. Cells starting with = + - @ are
prefixed with an apostrophe in CSV and XLSX output (spreadsheet formula injection).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from classifier.engine import Classifier, InputError, check_text
from classifier.facts import EXPLICIT_FACTS
from classifier.record import write_record
from classifier.result import percent
from classifier.tables import FORMATS, description_column, read_rows
from classifier.tables import TableError as BatchError  # bad usage: exit code 2

ADDED = (
    "eccn",
    "confidence",
    "paragraph_id",
    "heading",
    "suggestions",
    "findings",
    "license",
    "license_required",
    "past_decisions",
    "error",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 64


@dataclass
class Summary:
    rows: int = 0
    errors: int = 0
    resumed_from: int = 0


# -- classifying --------------------------------------------------------------------------------------
def _row_facts(row: dict[str, Any]) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    for name in EXPLICIT_FACTS:
        value = row.get(name)
        if value in (None, ""):
            continue
        if name in ("total_value", "us_content_value", "payload_kg", "range_km"):
            value = float(value)
        elif name == "us_content_eccns":
            value = [v.strip() for v in str(value).replace(";", ",").split(",") if v.strip()]
        elif name in ("mass_market", "data_confidentiality"):
            value = str(value).strip().lower() in ("1", "true", "yes", "y")
        facts[name] = value
    return facts


def _license_required(view: dict[str, Any] | None) -> bool | str:
    """A real boolean for required / not required; empty for review (and when no destination was given)."""
    if view is None or view["license_required"] is None:
        return ""
    return bool(view["license_required"])


def _output_row(row: dict[str, Any], result: Any = None, error: str = "") -> dict[str, Any]:
    out = {k: v for k, v in row.items() if k != "_error"}
    if result is not None:
        top = result.suggestions[0]
        out.update(
            {
                "eccn": top.eccn,
                "confidence": round(top.confidence, 4),
                "paragraph_id": top.paragraph_id,
                "heading": top.heading,
                "suggestions": "; ".join(f"{s.eccn} ({percent(s.confidence)})" for s in result.suggestions),
                "findings": "; ".join(f"{f.rule}: {f.outcome}" for f in result.findings if f.triggered),
                "license": "" if result.license is None else result.license["verdict"],
                "license_required": _license_required(result.license),
                "past_decisions": "; ".join(
                    f"{p.eccn} ({p.source}, similarity {p.similarity:.2f})" for p in result.precedents
                ),
                "error": "",
            }
        )
    else:
        out.update({k: "" for k in ADDED})
        out["error"] = error
    return out


def _classify_chunk(
    clf: Classifier, rows: list[dict[str, Any]], column: str, top_k: int, records: Path | None, first_number: int
) -> list[dict[str, Any]]:
    """Output rows for one chunk; rows that fail get an error and do not stop the others."""
    outputs: list[dict[str, Any] | None] = [None] * len(rows)
    good: list[int] = []
    texts: list[str] = []
    facts: list[dict[str, Any]] = []
    for i, row in enumerate(rows):
        text = row.get(column)
        try:
            if "_error" in row:
                raise InputError(row["_error"])
            if not isinstance(text, str):
                text = "" if text is None else str(text)
            row_facts = _row_facts(row)
            check_text(text)
        except (InputError, ValueError) as err:
            outputs[i] = _output_row(row, error=str(err))
            continue
        good.append(i)
        texts.append(text)
        facts.append(row_facts)
    if good:
        results: list[Any]
        try:
            results = list(clf.classify_many(texts, top_k=top_k, facts_per_text=facts))
        except InputError:
            results = []
            for text, row_facts in zip(texts, facts, strict=True):  # find the row(s) at fault
                try:
                    results.append(clf.classify(text, top_k=top_k, **row_facts))
                except InputError as err:
                    results.append(err)
        for i, result in zip(good, results, strict=True):
            if isinstance(result, Exception):
                outputs[i] = _output_row(rows[i], error=str(result))
                continue
            outputs[i] = _output_row(rows[i], result)
            if records is not None:
                stem = str(rows[i].get("id") or f"row-{first_number + i:07d}")
                write_record(result, records, stem, {"row": first_number + i, **_row_facts(rows[i])})
    return [o for o in outputs if o is not None]


# -- writing ------------------------------------------------------------------------------------------
def _neutralise(value: Any) -> Any:
    """A cell a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _csv_cell(value: Any) -> Any:
    """CSV has no booleans: write them as true/false (JSONL and XLSX keep real booleans)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _neutralise(value)


def _columns(part: Path, first: list[str]) -> list[str]:
    """Every key of every row, input columns first and the added columns last (a first streaming pass)."""
    seen = dict.fromkeys(first)
    with part.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                seen.update(dict.fromkeys(json.loads(line)))
    keys = [k for k in seen if k not in ADDED]
    return [*keys, *ADDED]


def _write_final(part: Path, output: Path, first_columns: list[str]) -> None:
    """Turn the JSONL part file into OUTPUT's format through a temporary file and a rename."""
    columns = _columns(part, first_columns)
    tmp = output.with_name(output.name + ".tmp")
    suffix = output.suffix.lower()
    with part.open(encoding="utf-8") as src:
        rows = (json.loads(line) for line in src if line.strip())
        if suffix == ".jsonl":
            with tmp.open("w", encoding="utf-8") as fh:
                for row in rows:
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        elif suffix == ".csv":
            with tmp.open("w", encoding="utf-8", newline="") as fh:
                writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
                writer.writeheader()
                for row in rows:
                    writer.writerow({k: _csv_cell(v) for k, v in row.items()})
        else:
            from openpyxl import Workbook

            book = Workbook(write_only=True)
            sheet = book.create_sheet("classification")
            sheet.append(columns)
            for row in rows:
                sheet.append([_neutralise(row.get(c, "")) for c in columns])
            book.save(tmp)
    os.replace(tmp, output)


def _fingerprint(path: Path) -> str:
    stat = path.stat()
    digest = hashlib.sha256(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    with path.open("rb") as fh:
        digest.update(fh.read(1 << 20))
    return digest.hexdigest()


def _count_rows(path: Path) -> int | None:
    if path.suffix.lower() == ".xlsx":
        return None
    with path.open("rb") as fh:
        return max(
            0, sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 20), b"")) - (path.suffix == ".csv")
        )


def run_batch(
    clf: Classifier,
    input_path: Path,
    output_path: Path,
    *,
    top_k: int = 5,
    records: Path | None = None,
    resume: bool = False,
    chunk_size: int = CHUNK,
    progress: TextIO | None = sys.stderr,
    on_progress: Callable[[int, int | None], None] | None = None,
) -> Summary:
    """Classify every row of INPUT into OUTPUT (see the module docstring). BatchError for bad usage."""
    if output_path.suffix.lower() not in FORMATS:
        raise BatchError(f"{output_path.name}: unsupported output format; use one of {', '.join(FORMATS)}")
    if output_path.resolve() == input_path.resolve():
        raise BatchError("the output must not overwrite the input")
    columns, rows = read_rows(input_path)
    column = description_column(columns) if input_path.suffix.lower() != ".jsonl" or columns else "description"
    part = output_path.with_name(output_path.name + ".part.jsonl")
    state_path = output_path.with_name(output_path.name + ".part.json")
    fingerprint = _fingerprint(input_path)
    summary = Summary()
    done, offset = 0, 0
    if resume and part.exists() and state_path.exists():
        state = json.loads(state_path.read_text())
        if state.get("input") != fingerprint:
            raise BatchError("--resume: the input changed since the interrupted run; start again without --resume")
        done, offset, summary.errors = state["rows"], state["offset"], state["errors"]
        summary.resumed_from = done
    total = _count_rows(input_path)
    bar = _progress(total, progress, done)
    with part.open("r+b" if done else "wb") as fh:
        fh.truncate(offset)
        fh.seek(offset)
        number = 0
        chunk: list[dict[str, Any]] = []
        for row in rows:
            number += 1
            if number <= done:
                continue
            chunk.append(row)
            if len(chunk) >= chunk_size:
                done, offset = _flush(clf, chunk, column, top_k, records, done, fh, summary)
                _save_state(state_path, fingerprint, done, offset, summary)
                bar.update(len(chunk))
                if on_progress:
                    on_progress(done, total)
                chunk = []
        if chunk:
            done, offset = _flush(clf, chunk, column, top_k, records, done, fh, summary)
            _save_state(state_path, fingerprint, done, offset, summary)
            bar.update(len(chunk))
    bar.close()
    summary.rows = done
    _write_final(part, output_path, columns)
    part.unlink()
    state_path.unlink()
    return summary


def _flush(
    clf: Classifier,
    chunk: list[dict[str, Any]],
    column: str,
    top_k: int,
    records: Path | None,
    done: int,
    fh: Any,
    summary: Summary,
) -> tuple[int, int]:
    """Classify one chunk, append its rows to the part file and make them durable; returns (rows, offset)."""
    outputs = _classify_chunk(clf, chunk, column, top_k, records, done + 1)
    for out in outputs:
        summary.errors += bool(out["error"])
        fh.write((json.dumps(out, ensure_ascii=False, default=str) + "\n").encode("utf-8"))
    fh.flush()
    os.fsync(fh.fileno())
    return done + len(chunk), fh.tell()


def _save_state(path: Path, fingerprint: str, done: int, offset: int, summary: Summary) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({"input": fingerprint, "rows": done, "offset": offset, "errors": summary.errors}))
    os.replace(tmp, path)


def _progress(total: int | None, stream: TextIO | None, initial: int) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, initial=initial, unit="row", file=stream, disable=stream is None, dynamic_ncols=True)
