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
import threading
import time
from pathlib import Path
from typing import Any

import gradio as gr

from classifier import screening
from classifier.engine import Classifier
from classifier.html_view import findings_html, license_html, suggestions_html
from classifier.inputs import MAX_FIELD_CHARS, MAX_TEXT_CHARS, InputError
from classifier.inputs import top_k as checked_top_k
from classifier.page import batch as batch_page
from classifier.page import ccl
from classifier.page.card import answer_card, card_html
from classifier.page.form import MASS_MARKET_CHOICES, page_facts
from classifier.page.style import CSS, SCRIPT
from classifier.record import record_stem, write_record
from classifier.result import NOTICE
from classifier.rules.end_use import end_uses
from classifier.tables import TableError
from classifier.triage import page as triage_page

CONCURRENCY = {"classify": 4, "batch": 1, "browse": 4}  # workers per event; the rest wait in the queue
QUEUE_SIZE = 64  # requests waiting beyond this are turned away at once rather than piling up
MAX_UPLOAD = "50mb"
KEEP_FILES_S = 3600
MAX_QUESTIONS = 5  # answer boxes under the card (decide.MAX_QUESTIONS questions at most)
FACT_FIELDS = ("destination", "end_user", "consignee", "end_use", "total_value", "us_content_value",
               "us_content_eccns", "mass_market", "payload_kg", "range_km")  # fmt: skip


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
    return f'<p class="notice" role="alert">{html.escape(str(message))}</p>'


def _answer_boxes(result: Any) -> list[Any]:
    """The answer boxes under the card: one per open question, labelled with it; the rest hidden."""
    questions = result.questions[:MAX_QUESTIONS] if result is not None else []
    boxes = [
        gr.update(
            label=q.ask,
            value="",
            visible=True,
            placeholder="yes or no" if q.ask.split(" ")[0] in ("Is", "Does", "Has", "Are", "Do") else "a value",
            info=f"decides between {', '.join(q.paragraphs)} ({q.citation})",
        )
        for q in questions
    ]
    return boxes + [gr.update(value="", visible=False)] * (MAX_QUESTIONS - len(boxes))


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
    template = batch_page.template(work_dir)
    cancels: dict[str, threading.Event] = {}

    def classify_page(description: str, product_id: str, *values: Any) -> tuple[Any, ...]:
        """Card, answer boxes, asked parameters, given answers, suggestions, findings, license, screening,
        records, raw result. ``values``: the FACT_FIELDS, the answer boxes, the asked parameters and the
        answers given before (the last two empty for a fresh classification)."""
        fields = dict(zip(FACT_FIELDS, values[: len(FACT_FIELDS)], strict=True))
        boxes = values[len(FACT_FIELDS) : len(FACT_FIELDS) + MAX_QUESTIONS]
        asked, given = values[-2] or [], dict(values[-1] or {})
        given.update({name: value for name, value in zip(asked, boxes, strict=False) if value and str(value).strip()})
        try:
            facts, notes = page_facts({**fields, "answers": given})
            result = clf.classify(description or "", **facts)
        except ValueError as err:  # InputError and the ECCN/number checks: the message names the field
            empty: list[Any] = ["", "", "", [], None, {"error": str(err)}]
            return (notice_html(err), *_answer_boxes(None), gr.update(visible=False), [], given, *empty)
        prune(records_dir)
        stem = record_stem(product_id or "classification")
        record = write_record(result, records_dir, stem, facts, product_id=product_id or "")
        warnings = "".join(notice_html(w) for w in [*notes, *(f"Warning: {w}" for w in result.warnings)])
        return (
            warnings + card_html(answer_card(result)),
            *_answer_boxes(result),
            gr.update(visible=bool(result.questions)),
            [q.parameter for q in result.questions[:MAX_QUESTIONS]],
            facts.get("answers", {}),
            suggestions_html(result),
            findings_html(result),
            license_html(result.license),
            triage_page.screening_rows(result),
            [str(record.with_suffix(".pdf")), str(record.with_suffix(".md")), str(record)],
            result.to_dict(),
        )

    def classify_api(
        description: str,
        destination: str = "",
        end_user: str = "",
        total_value: float | None = None,
        us_content_value: float | None = None,
        top_k: int = 5,
        consignee: str = "",
        end_use: str = "",
        us_content_eccns: str = "",
        mass_market: str = "not stated",
        payload_kg: float | None = None,
        range_km: float | None = None,
        answers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """Classify a description with the page's facts (an empty one is not given); returns the full result
        (suggestions, findings, license view, questions, provenance) or {"error": a sentence naming the field}."""
        fields = {
            "destination": destination, "end_user": end_user, "consignee": consignee, "end_use": end_use,
            "total_value": total_value, "us_content_value": us_content_value, "us_content_eccns": us_content_eccns,
            "mass_market": mass_market, "payload_kg": payload_kg, "range_km": range_km, "answers": answers or {},
        }  # fmt: skip
        try:
            facts, notes = page_facts(fields)
            data = clf.classify(description, top_k=checked_top_k(top_k), **facts).to_dict()
        except ValueError as err:
            return {"error": str(err)}
        return {**data, "notes": notes}

    def batch_run(
        upload: str | None, destination: str, end_use: str, end_user: str, request: gr.Request,
        progress: gr.Progress = gr.Progress(),  # noqa: B008
    ) -> tuple[Any, ...]:  # fmt: skip
        nothing: tuple[Any, ...] = (None, [], [], "")
        if not upload:
            return (*nothing, "Upload a CSV, XLSX or JSONL file with a 'description' column (see the template).")
        prune(batches_dir)
        cancel = cancels.setdefault(request.session_hash or "", threading.Event())
        cancel.clear()
        try:
            defaults = batch_page.file_facts({"destination": destination, "end_use": end_use, "end_user": end_user})
            review = batch_page.run(
                clf, Path(upload), defaults, Path(tempfile.mkdtemp(dir=batches_dir)),
                on_progress=lambda done, total: progress((done, total), desc="classifying", unit="rows"),
                cancel=cancel,
            )  # fmt: skip
        except (TableError, InputError, OSError) as err:
            return (*nothing, notice_html(f"Error: {err}"))
        except batch_page.Cancelled as err:
            return (*nothing, notice_html(f"Stopped: {err}; nothing was written. Start again to classify the file."))
        table = batch_page.table(review.rows)
        return str(review.output), table, review.rows, review.summary(), ""

    def batch_cancel(request: gr.Request) -> str:
        cancels.setdefault(request.session_hash or "", threading.Event()).set()
        return "Cancelling after the rows in progress…"

    def batch_filter(shown: str, rows: list[dict[str, Any]]) -> list[list[Any]]:
        return batch_page.table(rows or [], shown)

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

    def triage_open(choice: str | None, ordered: list[Any]) -> Any:
        if not choice or not ordered:
            return gr.skip()  # the upload resets the choice: keep what is shown
        return triage_page.detail_markdown(ordered[int(choice.split(".")[0]) - 1][1])

    def browse(query: str, destination: str | None) -> str:
        return ccl.browse(clf, query, destination)

    info = corpus.info()
    with gr.Blocks(title="ECCN classification assistant", delete_cache=(KEEP_FILES_S, KEEP_FILES_S)) as app:
        gr.HTML(
            f'<h1 class="title">ECCN classification assistant</h1><p class="notice"><b>{NOTICE}</b> '
            f"CCL edition {info['edition']}: {info['eccns']} ECCNs, {info['paragraphs']} paragraphs; offline.</p>"
        )
        with gr.Tab("Classify"):
            card = gr.HTML(elem_id="answer-card")
            with gr.Group(elem_id="answers"):
                boxes = [gr.Textbox(visible=False, max_length=MAX_FIELD_CHARS) for _ in range(MAX_QUESTIONS)]
                again = gr.Button("Classify again with these answers", elem_id="answer-button", visible=False)
            description = gr.Textbox(
                label="Product description", lines=3, max_length=MAX_TEXT_CHARS, elem_id="description",
                placeholder="e.g. Dual-band Wi-Fi 6 home router with WPA3, sold in electronics stores",
            )  # fmt: skip
            run = gr.Button("Classify", variant="primary", elem_id="classify-button")
            with gr.Accordion("Optional facts", open=False, elem_id="facts"):
                with gr.Row():
                    product_id = gr.Textbox(label="Product id (names the memo)", max_length=80, elem_id="product-id")
                    destination = gr.Dropdown(countries, label="Destination", allow_custom_value=True, value=None,
                                              elem_id="destination")  # fmt: skip
                    end_use = gr.Dropdown(["", *end_uses(corpus)], label="End use (part 744)", value="")
                with gr.Row():
                    end_user = gr.Textbox(label="End user", max_length=MAX_FIELD_CHARS, elem_id="end-user")
                    consignee = gr.Textbox(label="Consignee", max_length=MAX_FIELD_CHARS)
                with gr.Row():
                    total_value = gr.Textbox(label="Value of the foreign-made item (de minimis)", elem_id="total-value")
                    us_value = gr.Textbox(label="U.S.-origin controlled content value", elem_id="us-value")
                    us_eccns = gr.Textbox(label="ECCNs of U.S. content (comma separated)", elem_id="us-eccns")
                with gr.Row():
                    mass_market = gr.Radio(
                        MASS_MARKET_CHOICES, value="not stated", elem_id="mass-market",
                        label="Sold openly to the public, crypto not changeable (Cryptography Note)?",
                    )  # fmt: skip
                    payload = gr.Textbox(label="Payload (kg)", elem_id="payload")
                    range_km = gr.Textbox(label="Range (km)", elem_id="range")
            suggestions = gr.HTML(elem_id="suggestions")
            findings = gr.HTML(elem_id="findings")
            license_view = gr.HTML(elem_id="license")
            screening_table = gr.Dataframe(
                headers=triage_page.SCREENING_COLUMNS,
                label="Screening of the named parties (Consolidated Screening List)",
                interactive=False,
                elem_id="screening",
                wrap=True,
            )
            record = gr.File(
                label="Memo (PDF, Markdown) and JSON audit record", file_count="multiple", elem_id="record"
            )
            with gr.Accordion("Raw result (JSON)", open=False):
                raw = gr.JSON()
            asked, given, no_answers = gr.State([]), gr.State({}), gr.State([])
            facts = [destination, end_user, consignee, end_use, total_value, us_value, us_eccns, mass_market, payload,
                     range_km]  # fmt: skip
            outputs = [card, *boxes, again, asked, given, suggestions, findings, license_view, screening_table, record]
            outputs.append(raw)
            options: dict[str, Any] = {"api_visibility": "private", "concurrency_limit": CONCURRENCY["classify"],
                                       "concurrency_id": "classify"}  # fmt: skip
            fresh = [description, product_id, *facts, *boxes, no_answers, no_answers]
            for trigger in (run.click, description.submit):
                trigger(classify_page, fresh, outputs, **options)
            again.click(classify_page, [description, product_id, *facts, *boxes, asked, given], outputs, **options)
        with gr.Tab("Batch"):
            gr.Markdown(
                "Upload CSV, XLSX or JSONL with a `description` column (optional `id`, `destination`, `end_user`, "
                "`consignee`, `end_use`, values for de minimis, ...). Every row is kept in order; rows that fail "
                "get an `error`. Facts for the whole file fill the rows that leave them empty."
            )
            gr.DownloadButton("Download a template (CSV)", value=str(template), elem_id="batch-template")
            upload = gr.File(label="Input file", file_types=[".csv", ".xlsx", ".jsonl"], type="filepath",
                             elem_id="batch-file")  # fmt: skip
            with gr.Row():
                file_destination = gr.Dropdown(countries, label="Destination for the whole file", value=None,
                                               allow_custom_value=True, elem_id="batch-destination")  # fmt: skip
                file_end_use = gr.Dropdown(["", *end_uses(corpus)], label="End use for the whole file", value="")
                file_end_user = gr.Textbox(label="End user for the whole file", max_length=MAX_FIELD_CHARS)
            with gr.Row():
                start = gr.Button("Classify file", variant="primary", elem_id="batch-button")
                stop = gr.Button("Cancel", elem_id="batch-cancel")
            status = gr.HTML(elem_id="batch-status")
            summary = gr.Markdown(elem_id="batch-summary")
            shown = gr.Radio(batch_page.FILTERS, value="all rows", label="Show", elem_id="batch-filter")
            results = gr.Dataframe(headers=batch_page.SHOWN_COLUMNS, interactive=False, wrap=True,
                                   show_search="filter", elem_id="batch-results")  # fmt: skip
            result_file = gr.File(label="Results (XLSX)", elem_id="batch-output")
            rows = gr.State([])
            clear = start.click(lambda: ("", ""), None, [status, summary], api_visibility="private")
            running = clear.then(
                batch_run, [upload, file_destination, file_end_use, file_end_user],
                [result_file, results, rows, summary, status], api_visibility="private",
                concurrency_limit=CONCURRENCY["batch"], show_progress_on=[status],
            )  # fmt: skip
            stop.click(batch_cancel, None, status, api_visibility="private", cancels=[running])
            shown.change(batch_filter, [shown, rows], results, api_visibility="private")
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
                query = gr.Textbox(label="ECCN, paragraph id or words", placeholder="5A002.a.1, or: thermal camera",
                                   scale=4, elem_id="ccl-query", max_length=ccl.MAX_QUERY_CHARS)  # fmt: skip
                chart_for = gr.Dropdown(countries, label="Country Chart row for", value=None, scale=2,
                                        allow_custom_value=True, elem_id="ccl-destination")  # fmt: skip
                search = gr.Button("Search", scale=1, elem_id="ccl-search")
            shown_entry = gr.HTML(elem_id="ccl-shown")
            for trigger in (query.submit, search.click, chart_for.change):
                trigger(browse, [query, chart_for], shown_entry, api_visibility="private",
                        concurrency_limit=CONCURRENCY["browse"], concurrency_id="browse")  # fmt: skip
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
        "js": SCRIPT,
        "max_file_size": MAX_UPLOAD,
    }


def main() -> None:
    decisions = os.environ.get("ECCN_DECISIONS") or None
    build_app(Classifier.load(decisions=decisions)).launch(**launch_options())


if __name__ == "__main__":
    main()
