"""Batch classification of CSV, XLSX and JSONL files: streaming, ordered, resumable, nothing lost.

Rows are read lazily and classified in chunks (one encoder call per chunk), so memory stays flat for a
million rows. Every input column is kept (one named like an added column is renamed ``input_NAME``), rows
stay in order, and a row that cannot be classified (empty, unreadable or absurdly long description, a
value that is not a number, an unknown ECCN or country, even an internal failure) gets an ``error`` while
the rest go on. Results go to ``OUTPUT.part.jsonl`` as they are made, with a small progress file;
``--resume`` continues from the last finished chunk after a crash, without duplicates or gaps. At the end
the part file is written in the output's format (``writers.py``: formula neutralising, XLSX limits) and
renamed over OUTPUT. The input is never written: an output (or its part file) that is the input is refused.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from classifier.engine import Classifier, InputError, check_text
from classifier.facts import EXPLICIT_FACTS
from classifier.inputs import check_facts
from classifier.record import write_record
from classifier.result import percent
from classifier.tables import FORMATS, INPUT_FORMATS, count_rows, description_column, read_rows
from classifier.tables import TableError as BatchError  # bad usage: exit code 2
from classifier.writers import XLSX_CELL_LIMIT, columns_of, write_final

log = logging.getLogger(__name__)
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
    "screening",
    "needs_answer",
    "questions",
    "warnings",
    "error",
)
CHUNK = 64


@dataclass
class Summary:
    rows: int = 0
    errors: int = 0
    resumed_from: int = 0
    cut_cells: int = 0  # XLSX cells cut at the cell limit (each noted in its row's warnings)
    cell_limit: int = XLSX_CELL_LIMIT


# -- classifying --------------------------------------------------------------------------------------
def _row_facts(row: dict[str, Any]) -> dict[str, Any]:
    """The row's explicit facts, checked (``inputs.check_facts``); InputError names the column at fault."""
    facts: dict[str, Any] = {}
    for name in EXPLICIT_FACTS:
        value = row.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if name in ("mass_market", "data_confidentiality") and not isinstance(value, bool):
            value = str(value).strip().lower() in ("1", "true", "yes", "y")
        facts[name] = value
    return check_facts(facts)


def _description(row: dict[str, Any], column: str) -> str:
    text = row.get(column)
    if text is None:
        return ""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return str(text)
    if not isinstance(text, str):
        raise InputError(f"the description must be text, got a {type(text).__name__}")
    return text


def _license_required(view: dict[str, Any] | None) -> bool | str:
    """A real boolean for required / not required; empty for review (and when no destination was given)."""
    if view is None or view["license_required"] is None:
        return ""
    return bool(view["license_required"])


def _output_row(row: dict[str, Any], result: Any = None, error: str = "") -> dict[str, Any]:
    out = {(f"input_{k}" if k in ADDED else k): v for k, v in row.items() if k not in ("_error", "_warning")}
    warnings = [row["_warning"]] if row.get("_warning") else []
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
                "screening": "; ".join(f.outcome for f in result.findings if f.rule == "screening"),
                "needs_answer": bool(result.needs_answer),
                "questions": "; ".join(f"{q.parameter}: {q.ask}" for q in result.questions),
                "warnings": "; ".join([*warnings, *result.warnings]),
                "error": "",
            }
        )
    else:
        out.update({k: "" for k in ADDED})
        out["warnings"] = "; ".join(warnings)
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
        try:
            if "_error" in row:
                raise InputError(row["_error"])
            text = _description(row, column)
            row_facts = _row_facts(row)
            check_text(text)
        except ValueError as err:  # InputError, InvalidECCN and the like: the row's own fault
            outputs[i] = _output_row(row, error=str(err))
            continue
        good.append(i)
        texts.append(text)
        facts.append(row_facts)
    if good:
        results: list[Any]
        try:
            results = list(clf.classify_many(texts, top_k=top_k, facts_per_text=facts))
        except Exception:  # one row at fault must not cost the chunk: find it row by row
            results = [_classify_one(clf, text, top_k, row_facts) for text, row_facts in zip(texts, facts, strict=True)]
        for n, (i, result) in enumerate(zip(good, results, strict=True)):
            if isinstance(result, Exception):
                outputs[i] = _output_row(rows[i], error=str(result))
                continue
            outputs[i] = _output_row(rows[i], result)
            if records is not None:
                stem = str(rows[i].get("id") or f"row-{first_number + i:07d}")[:200]
                write_record(result, records, stem, {"row": first_number + i, **facts[n]})
    return [o for o in outputs if o is not None]


def _classify_one(clf: Classifier, text: str, top_k: int, facts: dict[str, Any]) -> Any:
    """One row's result, or the exception that stops it (an unexpected one is logged with its traceback)."""
    try:
        return clf.classify(text, top_k=top_k, **facts)
    except ValueError as err:
        return err
    except Exception as err:  # a bug shown in one row's error cell beats a lost batch
        log.exception("internal failure on a batch row")
        return RuntimeError(f"internal failure ({type(err).__name__}: {str(err)[:200]}); please report it")


# -- running ------------------------------------------------------------------------------------------
def _side_files(output: Path) -> list[Path]:
    """The files a run writes besides OUTPUT: the part file, its progress file and the temporary output."""
    return [output.with_name(output.name + suffix) for suffix in (".part.jsonl", ".part.json", ".tmp")]


def check_paths(input_path: Path, output_path: Path, records: Path | None = None) -> None:
    """Refuse, before any work, an output that would overwrite the input or cannot be written (BatchError)."""
    if output_path.suffix.lower() not in FORMATS:
        raise BatchError(f"{output_path.name}: unsupported output format; use one of {', '.join(FORMATS)}")
    if input_path.suffix.lower() not in INPUT_FORMATS:
        raise BatchError(f"{input_path.name}: unsupported format; use one of {', '.join(INPUT_FORMATS)}")
    if not input_path.is_file():
        raise BatchError(f"{input_path} does not exist or is not a file")
    source = input_path.resolve()
    for path in (output_path, *_side_files(output_path)):
        if path.resolve() == source:
            raise BatchError(f"the output would overwrite the input ({path.name}); choose another --output")
    if output_path.is_dir():
        raise BatchError(f"--output {output_path} is a folder; give a file name ending in {', '.join(FORMATS)}")
    folder = output_path.resolve().parent
    if not folder.is_dir():
        raise BatchError(f"--output: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise BatchError(f"--output: the folder {folder} is not writable")
    if records is not None and records.exists() and not records.is_dir():
        raise BatchError(f"--records {records} is a file; give a folder (it is created when missing)")


def _fingerprint(path: Path) -> str:
    stat = path.stat()
    digest = hashlib.sha256(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    with path.open("rb") as fh:
        digest.update(fh.read(1 << 20))
    return digest.hexdigest()


def _count_rows(path: Path) -> int | None:
    if path.suffix.lower() in (".xlsx", ".parquet"):
        return count_rows(path)
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
    run = start_run(input_path, output_path, records, resume)
    column, part, state_path, fingerprint, summary = run.column, run.part, run.state_path, run.fingerprint, run.summary
    done, offset, total = run.done, run.offset, run.total
    bar = _progress(total, progress, done)
    with part.open("r+b" if done else "wb") as fh:
        fh.truncate(offset)
        fh.seek(offset)
        number = 0
        chunk: list[dict[str, Any]] = []
        for row in run.rows:
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
    run.done = done
    return finish_run(run, output_path)


@dataclass
class Run:
    """One batch run's input, side files and where it stands; the local and the Ray engine share it."""

    columns: list[str]
    rows: Iterator[dict[str, Any]]
    column: str  # the description column
    part: Path
    state_path: Path
    fingerprint: str
    summary: Summary
    done: int  # rows already in the part file (after --resume)
    offset: int  # the part file's length at ``done``
    total: int | None  # rows in the input, when they can be counted


def start_run(input_path: Path, output_path: Path, records: Path | None, resume: bool) -> Run:
    """Check the paths, open the input and, with ``resume``, pick up an interrupted run (BatchError)."""
    check_paths(input_path, output_path, records)
    columns, rows = read_rows(input_path)
    column = description_column(columns) if input_path.suffix.lower() != ".jsonl" or columns else "description"
    part, state_path, _ = _side_files(output_path)
    fingerprint = _fingerprint(input_path)
    summary = Summary()
    done, offset = 0, 0
    if resume and part.exists() and state_path.exists():
        done, offset, summary.errors = _resume_state(state_path, part, fingerprint)
        summary.resumed_from = done
    total = _count_rows(input_path)
    return Run(columns, rows, column, part, state_path, fingerprint, summary, done, offset, total)


def finish_run(run: Run, output_path: Path) -> Summary:
    """Write the final output from the part file and remove the side files."""
    run.summary.rows = run.done
    written = write_final(run.part, output_path, columns_of(run.part, run.columns, ADDED))
    run.summary.cut_cells = written.cut_cells
    run.part.unlink()
    run.state_path.unlink(missing_ok=True)  # a header-only input finishes without one
    return run.summary


def _resume_state(state_path: Path, part: Path, fingerprint: str) -> tuple[int, int, int]:
    """(rows done, part-file offset, errors so far) of an interrupted run; BatchError when it cannot be used."""
    try:
        state = json.loads(state_path.read_text(encoding="utf-8"))
        done, offset, errors = int(state["rows"]), int(state["offset"]), int(state["errors"])
        source = state["input"]
    except (ValueError, KeyError, TypeError) as err:
        raise BatchError(
            f"--resume: the progress file {state_path} is damaged ({err!r}); start again without --resume"
        ) from None
    if source != fingerprint:
        raise BatchError("--resume: the input changed since the interrupted run; start again without --resume")
    if offset > part.stat().st_size:
        raise BatchError(f"--resume: {part} is shorter than its progress file says; start again without --resume")
    return done, offset, errors


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
