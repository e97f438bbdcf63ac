"""What the page shows for triage and screening, as plain data (tables and Markdown); ``app.py`` only
wires these to Gradio components, so the page layout can change without touching this logic."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from classifier.result import Classification, percent
from classifier.triage.model import TriageResult
from classifier.triage.queue import queue_row, run_queue, write_queue

if TYPE_CHECKING:
    from classifier.engine import Classifier

QUEUE_COLUMNS = ["rank", "priority", "score", "id", "destination", "claimed ECCN", "first suggestion", "reasons"]
SCREENING_COLUMNS = ["party", "name", "result", "listed party", "list", "score", "license requirement", "citation"]


def queue_table(ordered: list[tuple[dict[str, Any], TriageResult]]) -> list[list[Any]]:
    """One row per application, in queue order: what a reviewer scans before opening one."""
    rows = []
    for rank, (_, r) in enumerate(ordered, 1):
        c = r.classification
        first = f"{c.suggestions[0].eccn} ({percent(c.suggestions[0].confidence)})" if c else ""
        titles = "; ".join(dict.fromkeys(x.title for x in r.reasons)) or (r.error and f"error: {r.error}")
        app = r.application
        rows.append([rank, r.priority, r.score, app.id, app.destination, app.claimed_eccn, first, titles])
    return rows


def choices(ordered: list[tuple[dict[str, Any], TriageResult]]) -> list[str]:
    """Labels to open one application: "3. row 7 — high"."""
    return [f"{i}. {r.application.id} — {r.priority}" for i, (_, r) in enumerate(ordered, 1)]


def detail_markdown(result: TriageResult) -> str:
    """One application: its reasons with citations, then the classification behind them."""
    app = result.application
    lines = [f"## {app.id}: {result.priority.upper()} (score {result.score:g})", ""]
    if result.error:
        return "\n".join([*lines, f"**Error:** {result.error}"])
    facts = [("Item", app.description), ("Destination", app.destination), ("Claimed ECCN", app.claimed_eccn)]
    facts += [("End user", app.end_user), ("Consignee", app.consignee), ("End use", app.end_use)]
    lines += [f"- **{k}:** {v}" for k, v in facts if v]
    lines += ["", "### Reasons" if result.reasons else "### Reasons: none", ""]
    for r in result.reasons:
        lines.append(f"- **[{r.severity}] {r.title}** — {r.detail}  \n  _{r.citation}_")
    c = result.classification
    if c is not None:
        lines += ["", "### Classification behind them", ""]
        lines += [f"{i}. `{s.eccn}` ({percent(s.confidence)}) — {s.heading}" for i, s in enumerate(c.suggestions, 1)]
        lines += ["", "**Findings:**", ""]
        lines += [f"- {'⚠️' if f.triggered else '✓'} `{f.rule}`: {f.outcome} — _{f.citation}_" for f in c.findings]
    if result.list_date:
        lines += ["", f"Screening list of {result.list_date}."]
    lines += ["", f"_{result.notice}_"]
    return "\n".join(lines)


def triage_file(clf: Classifier, upload: str | Path) -> tuple[list[tuple[dict[str, Any], TriageResult]], Path]:
    """Triage an uploaded file; returns the ordered queue and the exported CSV (TableError on bad input)."""
    source = Path(upload)
    ordered = run_queue(clf, source)
    export = Path(tempfile.mkdtemp(prefix="eccn-triage-")) / f"{source.stem}-triaged.csv"
    write_queue([queue_row(row, r, i) for i, (row, r) in enumerate(ordered, 1)], export, [])
    return ordered, export


def screening_rows(result: Classification) -> list[list[Any]]:
    """The Classify tab's screening table: one row per named party and match (or no match)."""
    rows = []
    for f in result.findings:
        if f.rule != "screening":
            continue
        party, name = f.facts.get("party", ""), f.facts.get("name", "")
        matches = f.facts.get("matches") or []
        if not matches:
            rows.append([party, name, f.outcome, "", "", "", "", f.citation])
        for m in matches:
            rows.append(
                [party, name, "match", m["name"], m["list"], m["score"], m["license_requirement"], m["citation"]]
            )
    return rows
