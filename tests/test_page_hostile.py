"""The page under abuse: what users type is escaped before it reaches gr.HTML, the API refuses bad
arguments with a message, and a few seconds of 8 concurrent clients mixing ordinary and hostile requests
(the short form of ``python -m benchmarks.load``) all get answers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import gradio as gr
import pytest

from app import build_app, launch_options
from benchmarks.load import drive, free_port
from classifier.engine import Classifier

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def page(classifier: Classifier) -> gr.Blocks:
    return build_app(classifier)


def handler(app: gr.Blocks, name: str) -> Any:
    return next(f.fn for f in app.fns.values() if getattr(f.fn, "__name__", "") == name)


def test_a_script_typed_into_destination_is_shown_as_text(page: gr.Blocks) -> None:
    classify_page = handler(page, "classify_page")
    facts = [XSS, XSS, "", "", "", "", "", "not stated", "", ""]  # destination, end user, ... range
    shown, *_ = classify_page("VPN gateway", "", *facts, *[""] * 5, [], {})
    assert "<img" not in shown and "&lt;img src=x onerror=alert(1)&gt;" in shown
    card, *_ = classify_page("VPN gateway", "", "Germany", XSS, *[""] * 5, "not stated", "", "", *[""] * 5, [], {})
    assert "<img" not in card and "&lt;img src=x onerror=alert(1)&gt;" in card  # the end user, screened


def test_the_api_refuses_a_top_k_that_is_not_a_number(page: gr.Blocks) -> None:
    classify_api = handler(page, "classify_api")
    assert "top_k" in classify_api("Garden hose", top_k="abc")["error"]
    assert "too large" in classify_api("rocket, payload 5 x 10^400 kg")["error"]


def test_every_event_is_queued_with_a_concurrency_limit(page: gr.Blocks) -> None:
    limits = {getattr(f.fn, "__name__", ""): f.concurrency_limit for f in page.fns.values()}
    assert limits["classify_page"] == limits["classify_api"] == 4 and limits["batch_run"] == 1
    assert page._queue.max_size == 64 and launch_options()["max_file_size"] == "50mb"


@pytest.fixture(scope="module")
def served(page: gr.Blocks) -> Iterator[str]:
    port = free_port()
    page.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, max_file_size="50mb")
    yield f"http://127.0.0.1:{port}/"
    page.close()


def test_concurrent_clients_with_hostile_requests_all_get_answers(served: str) -> None:
    report = drive(served, clients=8, seconds=4)
    assert report["failures"] == 0, report["first_failures"]
    assert report["requests"] >= 8
