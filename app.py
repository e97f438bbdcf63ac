"""Gradio page: ``python app.py`` serves on 127.0.0.1:7860 (GRADIO_SERVER_NAME / GRADIO_SERVER_PORT honoured).

Nothing is exposed to other hosts unless GRADIO_SERVER_NAME says so. Set ECCN_APP_AUTH="user:password"
to require a login; set ECCN_DECISIONS=past.csv to weigh and quote your past decisions (a CSV, XLSX or
JSONL table with description and eccn columns). Tabs: Classify (the end user is screened), Batch, Triage,
CCL browser. Scripts can call the running app:
``gradio_client.Client("http://127.0.0.1:7860").predict("VPN gateway, IPsec", api_name="/classify")``.

Under load: every event runs in Gradio's queue with its own concurrency limit (``CONCURRENCY``) and a
bounded queue (``QUEUE_SIZE``), so a slow batch upload never holds up single classifications; uploads are
limited to ``MAX_UPLOAD``, text fields are checked for length before any work (``classifier.inputs``),
and rationale records and batch outputs older than ``KEEP_FILES_S`` are deleted as new ones are written.
"""

from __future__ import annotations

import html
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import gradio as gr

from classifier import screening
from classifier.batch import BatchError, run_batch
from classifier.corpus import UnknownId
from classifier.engine import Classifier
from classifier.html_view import CSS, findings_html, license_html, suggestions_html
from classifier.inputs import MAX_FIELD_CHARS, MAX_TEXT_CHARS
from classifier.inputs import top_k as checked_top_k
from classifier.record import write_record
from classifier.result import NOTICE
from classifier.show import describe, render_text
from classifier.tables import TableError
from classifier.triage import page as triage_page

MASS_MARKET_CHOICES = ["not stated", "yes", "no"]
CONCURRENCY = {"classify": 4, "batch": 1, "browse": 4}  # workers per event; the rest wait in the queue
QUEUE_SIZE = 64  # requests waiting beyond this are turned away at once rather than piling up
MAX_UPLOAD = "50mb"
KEEP_FILES_S = 3600
MAX_QUERY_CHARS = 500


def prune(folder: Path, older_than_s: float = KEEP_FILES_S) -> None:
    """Delete what this page wrote into ``folder`` longer than ``older_than_s`` ago (records, batch outputs)."""
    cutoff = time.time() - older_than_s
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                shutil.rmtree(path) if path.is_dir() else path.unlink()
        except FileNotFoundError:  # a concurrent request pruned it first
            continue


def notice_html(message: object) -> str:
    """An error or warning shown on the page; what the user typed is in it, so it is escaped."""
    return f'<p class="notice">{html.escape(str(message))}</p>'


def _facts(
    destination: str,
    end_user: str,
    total_value: float | None,
    us_value: float | None,
    us_eccns: str,
    mass_market: str,
    payload_kg: float | None,
    range_km: float | None,
) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "destination": destination or None,
        "end_user": end_user or None,
        "total_value": total_value,
        "us_content_value": us_value,
        "payload_kg": payload_kg,
        "range_km": range_km,
        "us_content_eccns": [e.strip() for e in (us_eccns or "").split(",") if e.strip()] or None,
        "mass_market": {"yes": True, "no": False}.get(mass_market or "not stated"),
    }
    return {k: v for k, v in facts.items() if v is not None}


def build_app(clf: Classifier | None = None) -> gr.Blocks:
    clf = clf or Classifier.load()
    try:  # the list is read once here rather than on the first screened end user
        screening.load(clf.corpus.directory)
    except screening.ListMissing:
        pass  # every named party then says "not screened"
    corpus = clf.corpus
    countries = corpus.country_table.names()
    work_dir = Path(tempfile.mkdtemp(prefix="eccn-page-"))
    records_dir, batches_dir = work_dir / "records", work_dir / "batches"
    records_dir.mkdir()
    batches_dir.mkdir()

    def classify_page(
        description: str,
        destination: str,
        end_user: str,
        total_value: float | None,
        us_value: float | None,
        us_eccns: str,
        mass_market: str,
        payload_kg: float | None,
        range_km: float | None,
    ) -> tuple[str, str, str, list[list[Any]], list[str] | None, dict[str, Any]]:
        try:
            facts = _facts(destination, end_user, total_value, us_value, us_eccns, mass_market, payload_kg, range_km)
            result = clf.classify(description or "", **facts)
        except ValueError as err:  # InputError and the ECCN/number checks: the message names the field
            return notice_html(err), "", "", [], None, {"error": str(err)}
        prune(records_dir)
        record = write_record(result, records_dir, "rationale", facts)
        return (
            "".join(notice_html(f"Warning: {w}") for w in result.warnings) + suggestions_html(result),
            findings_html(result),
            license_html(result.license),
            triage_page.screening_rows(result),
            [str(record), str(record.with_suffix(".md"))],
            result.to_dict(),
        )

    def classify_api(
        description: str,
        destination: str = "",
        end_user: str = "",
        total_value: float | None = None,
        us_content_value: float | None = None,
        top_k: int = 5,
    ) -> dict[str, Any]:
        """Classify a description; returns the full result (suggestions, findings, license view, provenance)."""
        try:
            facts = _facts(destination, end_user, total_value, us_content_value, "", "not stated", None, None)
            return clf.classify(description, top_k=checked_top_k(top_k), **facts).to_dict()
        except ValueError as err:
            return {"error": str(err)}

    def batch_page(upload: str | None, progress: gr.Progress = gr.Progress()) -> tuple[str | None, str]:  # noqa: B008
        if not upload:
            return None, "Upload a CSV, XLSX or JSONL file with a 'description' column."
        source = Path(upload)
        prune(batches_dir)
        output = Path(tempfile.mkdtemp(dir=batches_dir)) / f"{source.stem[:80]}-classified{source.suffix}"
        try:
            summary = run_batch(
                clf,
                source,
                output,
                progress=None,
                on_progress=lambda done, total: progress((done, total) if total else done, desc="classifying rows"),
            )
        except (BatchError, OSError) as err:
            return None, f"Error: {html.escape(str(err))}"
        return str(output), f"{summary.rows} rows classified, {summary.errors} with errors (see the 'error' column)."

    def triage_upload(upload: str | None) -> tuple[list[list[Any]], Any, str | None, str, Any]:
        if not upload:
            note = "Upload a CSV, XLSX or JSONL file of applications (description, destination, claimed_eccn, ...)."
            return [], gr.update(choices=[], value=None), None, note, []
        try:
            ordered, export = triage_page.triage_file(clf, upload)
        except TableError as err:
            return [], gr.update(choices=[], value=None), None, f"Error: {err}", []
        counts = {p: sum(r.priority == p for _, r in ordered) for p in ("high", "medium", "low", "error")}
        note = f"{len(ordered)} applications: " + ", ".join(f"{n} {p}" for p, n in counts.items() if n)
        labels = triage_page.choices(ordered)
        return triage_page.queue_table(ordered), gr.update(choices=labels, value=None), str(export), note, ordered

    def triage_open(choice: str | None, ordered: list[Any]) -> str:
        if not choice or not ordered:
            return ""
        return triage_page.detail_markdown(ordered[int(choice.split(".")[0]) - 1][1])

    def browse(query: str) -> tuple[str, Any]:
        query = (query or "").strip()
        if not query:
            return "Type an ECCN, a paragraph id or words to search.", gr.update(choices=[], value=None)
        if len(query) > MAX_QUERY_CHARS:
            return f"Shorten the search to at most {MAX_QUERY_CHARS} characters.", gr.update(choices=[], value=None)
        try:
            return "```\n" + render_text(describe(corpus, query)) + "\n```", gr.update(choices=[], value=None)
        except UnknownId:
            pass
        scores = clf.index.lexical.scores(query)
        top = [
            clf.index.docs[i] for i in scores.argsort()[::-1][:15] if scores[i] > 0 and clf.index.docs[i].kind != "mtcr"
        ]
        choices = [f"{d.id} — {d.paragraph[:90]}" for d in top]
        note = f"{len(choices)} paragraphs match; pick one." if choices else "Nothing matches; try other words."
        return note, gr.update(choices=choices, value=None)

    def open_choice(choice: str | None) -> str:
        if not choice:
            return ""
        try:
            return "```\n" + render_text(describe(corpus, choice.split(" — ")[0][:MAX_QUERY_CHARS])) + "\n```"
        except UnknownId:
            return "Pick one of the listed paragraphs."

    info = corpus.info()
    with gr.Blocks(title="ECCN classification assistant", delete_cache=(KEEP_FILES_S, KEEP_FILES_S)) as app:
        gr.Markdown(
            f"# ECCN classification assistant\n<div class='notice'><b>{NOTICE}</b></div>\n\n"
            f"Commerce Control List edition {info['edition']}: {info['eccns']} ECCNs, "
            f"{info['paragraphs']} paragraphs. Offline; every suggestion shows its evidence and citation."
        )
        with gr.Tab("Classify"):
            description = gr.Textbox(
                label="Product description",
                lines=3,
                max_length=MAX_TEXT_CHARS,
                elem_id="description",
                placeholder="e.g. Dual-band Wi-Fi 6 home router with WPA3, sold in electronics stores",
            )
            with gr.Accordion("Optional facts", open=False):
                with gr.Row():
                    destination = gr.Dropdown(countries, label="Destination", allow_custom_value=True, value=None)
                    end_user = gr.Textbox(label="End user", max_length=MAX_FIELD_CHARS)
                with gr.Row():
                    total_value = gr.Number(label="Value of the foreign-made item (de minimis)", value=None)
                    us_value = gr.Number(label="U.S.-origin controlled content value", value=None)
                    us_eccns = gr.Textbox(label="ECCNs of U.S. content (comma separated)")
                with gr.Row():
                    mass_market = gr.Radio(
                        MASS_MARKET_CHOICES,
                        value="not stated",
                        label="Sold openly to the public, crypto not changeable (Cryptography Note)?",
                    )
                    payload = gr.Number(label="Payload (kg)", value=None)
                    range_km = gr.Number(label="Range (km)", value=None)
            run = gr.Button("Classify", variant="primary", elem_id="classify-button")
            suggestions = gr.HTML(elem_id="suggestions")
            with gr.Row():
                findings = gr.HTML(label="Findings")
                license_view = gr.HTML(label="License")
            screening_table = gr.Dataframe(
                headers=triage_page.SCREENING_COLUMNS,
                label="Screening of the named parties (Consolidated Screening List)",
                interactive=False,
                elem_id="screening",
            )
            record = gr.File(label="Rationale record (JSON audit record and Markdown memo)", file_count="multiple")
            with gr.Accordion("Raw result (JSON)", open=False):
                raw = gr.JSON()
            inputs = [
                description,
                destination,
                end_user,
                total_value,
                us_value,
                us_eccns,
                mass_market,
                payload,
                range_km,
            ]
            outputs = [suggestions, findings, license_view, screening_table, record, raw]
            for trigger in (run.click, description.submit):
                trigger(
                    classify_page,
                    inputs,
                    outputs,
                    api_visibility="private",
                    concurrency_limit=CONCURRENCY["classify"],
                    concurrency_id="classify",
                )
        with gr.Tab("Batch"):
            gr.Markdown(
                "Upload CSV, XLSX or JSONL with a `description` column (optional `destination`, `id`). "
                "Every row is kept in order; rows that fail get an `error`."
            )
            upload = gr.File(label="Input file", file_types=[".csv", ".xlsx", ".jsonl"], type="filepath")
            start = gr.Button("Classify file", variant="primary")
            result_file = gr.File(label="Results")
            status = gr.Markdown()
            start.click(
                batch_page,
                upload,
                [result_file, status],
                api_visibility="private",
                concurrency_limit=CONCURRENCY["batch"],
            )
        with gr.Tab("Triage"):
            gr.Markdown(
                "Upload applications (CSV, XLSX or JSONL with `description`, `destination`, and optional "
                "`claimed_eccn`, `end_user`, `consignee`, `end_use`, `value`, `id`). The queue is ordered by "
                "priority and score; open an application to see its reasons and the classification behind them."
            )
            triage_input = gr.File(
                label="Applications", file_types=[".csv", ".xlsx", ".jsonl"], type="filepath", elem_id="triage-file"
            )
            triage_start = gr.Button("Triage file", variant="primary", elem_id="triage-button")
            triage_status = gr.Markdown()
            queue = gr.Dataframe(
                headers=triage_page.QUEUE_COLUMNS, label="Queue", interactive=False, wrap=True, elem_id="queue"
            )
            opened = gr.Dropdown(label="Open an application", choices=[], interactive=True, elem_id="triage-open")
            detail = gr.Markdown(elem_id="triage-detail")
            exported = gr.File(label="Export (ordered queue, CSV)")
            queue_state = gr.State([])
            triage_start.click(
                triage_upload,
                triage_input,
                [queue, opened, exported, triage_status, queue_state],
                api_visibility="private",
                concurrency_limit=CONCURRENCY["batch"],
            )
            opened.change(triage_open, [opened, queue_state], detail, api_visibility="private")
        with gr.Tab("CCL browser"):
            with gr.Row():
                query = gr.Textbox(
                    label="ECCN, paragraph id or words", placeholder="5A002.a.1, or: thermal camera", scale=4
                )
                search = gr.Button("Search", scale=1)
            matches = gr.Dropdown(label="Matching paragraphs", choices=[], interactive=True)
            shown = gr.Markdown()
            for trigger in (query.submit, search.click):
                trigger(
                    browse,
                    query,
                    [shown, matches],
                    api_visibility="private",
                    concurrency_limit=CONCURRENCY["browse"],
                    concurrency_id="browse",
                )
            matches.change(open_choice, matches, shown, api_visibility="private")
        gr.api(classify_api, api_name="classify", concurrency_limit=CONCURRENCY["classify"], concurrency_id="classify")
    app.queue(max_size=QUEUE_SIZE, default_concurrency_limit=CONCURRENCY["browse"])
    return app


def launch_options() -> dict[str, Any]:
    """How the page is served: loopback unless GRADIO_SERVER_NAME says otherwise, optional login, upload limit."""
    user, _, password = os.environ.get("ECCN_APP_AUTH", "").partition(":")
    return {
        "server_name": os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"),
        "server_port": int(os.environ.get("GRADIO_SERVER_PORT", "7860")),
        "auth": (user, password) if user and password else None,
        "css": CSS,
        "max_file_size": MAX_UPLOAD,
    }


def main() -> None:
    decisions = os.environ.get("ECCN_DECISIONS") or None
    build_app(Classifier.load(decisions=decisions)).launch(**launch_options())


if __name__ == "__main__":
    main()
