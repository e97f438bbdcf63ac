"""Exit codes that scripts can trust: 0 classified, 1 some rows carry errors, 2 bad usage, 3 the tool cannot
run (one line on stderr naming the log file or the rebuild command; never a traceback on the terminal)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from classifier import cli
from classifier.corpus import DEFAULT_DIR, Corpus

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str | bytes, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "classifier", *args], cwd=ROOT, capture_output=True, timeout=300, env=env
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("de-minimis", "--total-value", "nan", "--us-content-value", "10", "--destination", "Germany"), "finite"),
        (("de-minimis", "--total-value", "100", "--us-content-value", "inf", "--destination", "Germany"), "finite"),
        (("de-minimis", "--total-value", "1e400", "--us-content-value", "1", "--destination", "Germany"), "finite"),
        (
            ("de-minimis", "--total-value", "100", "--us-content-value", "1", "--destination", "Germany")
            + ("--us-content-eccn", "garbage"),
            "not a valid ECCN",
        ),
        (("classify", "router", "--payload-kg", "nan"), "finite"),
        (("classify", "router", "--top-k", "abc"), "whole number"),
        (("classify", "router", "--top-k", "100000"), "from 1 to 50"),
        (("license", "", "--destination", "Germany"), "not a valid ECCN"),
        (("license", "5A002", "--destination", "x" * 5000), "5,000 characters"),
        (("show", "5A002." + "a." * 40_000), "80,006 characters"),
        (("show", b"5A002\xff"), "not valid UTF-8"),
        (("batch", "missing.csv", "--output", "o.csv"), "does not exist"),
    ],
)
def test_bad_usage_exits_2_with_a_message_and_no_traceback(args: tuple[str | bytes, ...], message: str) -> None:
    out = run(*args)
    stderr = out.stderr.decode("utf-8", "replace")
    assert out.returncode == 2, stderr
    assert message in stderr and "Traceback" not in stderr


def test_unusable_batch_paths_exit_2(tmp_path: Path) -> None:
    src = tmp_path / "x.jsonl.part.jsonl"
    src.write_text(json.dumps({"description": "Garden hose"}) + "\n")
    clobber = run("batch", str(src), "--output", str(tmp_path / "x.jsonl"))
    assert clobber.returncode == 2 and b"would overwrite the input" in clobber.stderr and src.exists()
    (tmp_path / "dir.csv").mkdir()
    assert run("batch", str(src), "--output", str(tmp_path / "dir.csv")).returncode == 2
    assert run("batch", str(src), "--output", str(tmp_path / "no" / "o.csv")).returncode == 2
    (tmp_path / "rec").write_text("")
    records = run("batch", str(src), "--output", str(tmp_path / "o.csv"), "--records", str(tmp_path / "rec"))
    assert records.returncode == 2 and b"is a file" in records.stderr
    classify = run("classify", "router", "--records", str(tmp_path / "rec"))
    assert classify.returncode == 2 and b"is a file" in classify.stderr


def test_terminal_escapes_in_what_the_user_typed_do_not_reach_the_terminal() -> None:
    out = run("show", "\x1b]0;pwned\x07\x1b[2J5A002.z")
    assert out.returncode == 2 and b"\x1b" not in out.stderr and b"\x07" not in out.stderr


def test_an_internal_failure_exits_3_with_one_line_and_the_log(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def broken(args, corpus):  # type: ignore[no-untyped-def]
        raise ZeroDivisionError("a bug deep inside")

    monkeypatch.setenv("ECCN_LOG_DIR", str(tmp_path))
    monkeypatch.setattr(cli, "cmd_corpus_info", broken)
    try:
        assert cli.main(["corpus-info"]) == 3
    finally:
        import logging

        logging.getLogger().handlers = []
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal failure (ZeroDivisionError)" in err and "Traceback" not in err
    (log,) = tmp_path.glob("eccn-*.log")
    assert "Traceback" in log.read_text() and "a bug deep inside" in log.read_text()


def test_a_tampered_corpus_exits_3_with_the_rebuild_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    copy = tmp_path / "corpus"
    shutil.copytree(DEFAULT_DIR, copy, ignore=shutil.ignore_patterns("sources"))
    path = copy / "countries.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["countries"]["China"]["marks"] = []
    path.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(cli, "Corpus", lambda: Corpus(copy))
    try:
        assert cli.main(["license", "5A002.a", "--destination", "China"]) == 3
    finally:
        import logging

        logging.getLogger().handlers = []
    err = capsys.readouterr().err
    assert "python -m training.build_corpus" in err and "no license" not in err.lower()
