"""The command line as a user runs it: `python -m classifier ...`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "classifier", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_help_lists_the_subcommands() -> None:
    out = run("--help")
    assert out.returncode == 0
    for command in ("show", "corpus-info"):
        assert command in out.stdout


def test_corpus_info_json_has_edition_counts_and_sources() -> None:
    out = run("corpus-info", "--json")
    data = json.loads(out.stdout)
    assert out.returncode == 0
    assert data["edition"] and data["eccns"] >= 630 and data["paragraphs"] >= 3300
    assert {s["id"] for s in data["sources"]} >= {"ccl", "country_chart", "mtcr_annex"}


def test_show_prints_the_paragraph_with_its_controls() -> None:
    out = run("show", "5a002a1")
    assert out.returncode == 0
    assert "5A002.a.1" in out.stdout and "information security" in out.stdout
    assert "NS 1" in out.stdout and "ENC" in out.stdout


def test_show_json_has_text_and_controls() -> None:
    data = json.loads(run("show", "9A012.a.2", "--json").stdout)
    assert "'endurance' of 1 hour or greater" in data["text"]
    assert data["ancestors"][0]["id"] == "9A012.a"
    assert data["citation"].startswith("15 CFR part 774")


def test_show_entry_lists_reasons_and_exceptions() -> None:
    data = json.loads(run("show", "5A002", "--json").stdout)
    assert {"NS", "AT"} <= set(data["reasons_for_control"])
    assert "ENC" in {e["symbol"] for e in data["license_exceptions"]}


def test_unknown_id_exits_2_and_suggests_neighbours() -> None:
    out = run("show", "5A002.a.9")
    assert out.returncode == 2
    assert "5A002.a" in out.stderr and "Traceback" not in out.stderr
