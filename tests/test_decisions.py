"""Past decisions: read and checked against the CCL, weighed like labelled examples, quoted with results."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from classifier.batch import run_batch
from classifier.corpus import Corpus
from classifier.decisions import DecisionError, read_decisions
from classifier.engine import Classifier
from classifier.record import memo_markdown
from classifier.report import render_classification

ROOT = Path(__file__).resolve().parent.parent
SWITCHES = [  # a company that has always decided its small fast-Ethernet switches are EAR99
    ("SW-5", "5-port 10/100 unmanaged desktop Ethernet switch, plastic case", "EAR99"),
    ("SW-8", "8-port 10/100 unmanaged desktop Ethernet switch, metal case", "ear 99"),
    ("SW-8P", "8-port 10/100 unmanaged desktop Ethernet switch with 4 PoE ports", "EAR99"),
    ("SW-16", "16-port 10/100 unmanaged rackmount Ethernet switch", "EAR99"),
    ("RT-1", "Dual-band Wi-Fi router with WPA3, sold at retail", "5a992c"),
]
QUERY = "8-port 10/100 unmanaged desktop Ethernet switch, black plastic case"


def write_csv(path: Path, rows: list[tuple[str, str, str]], eccn_column: str = "eccn") -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["part", "description", eccn_column])
        writer.writerows(rows)
    return path


def test_decisions_are_read_and_normalized(tmp_path: Path, corpus: Corpus) -> None:
    found = read_decisions(write_csv(tmp_path / "past.csv", SWITCHES), corpus)
    assert [d.eccn for d in found.decisions] == ["EAR99", "EAR99", "EAR99", "EAR99", "5A992.c"]
    assert found.decisions[1].source == "past.csv row 3"
    assert len(found.sha256) == 64 and found.provenance()["rows"] == 5


def test_jsonl_decisions_with_a_us_eccn_column(tmp_path: Path, corpus: Corpus) -> None:
    path = tmp_path / "past.jsonl"
    path.write_text(json.dumps({"description": "Fiber optic gyro", "us_eccn": "7A001.a.1"}) + "\n", encoding="utf-8")
    found = read_decisions(path, corpus)
    assert found.decisions[0].eccn == "7A001.a.1" and found.decisions[0].source == "past.jsonl row 1"


def test_a_file_with_bad_rows_is_refused_naming_every_bad_row(tmp_path: Path, corpus: Corpus) -> None:
    rows = [("a", "Widget", "5A999"), ("b", "", "EAR99"), ("c", "Gadget", ""), ("d", "Gizmo", "not an eccn")]
    with pytest.raises(DecisionError) as err:
        read_decisions(write_csv(tmp_path / "bad.csv", rows), corpus)
    message = str(err.value)
    assert "bad.csv row 2" in message and "5A999" in message and "Did you mean" in message
    assert "bad.csv row 3: empty description" in message
    assert "bad.csv row 4: no ECCN" in message
    assert "bad.csv row 5" in message


def test_a_file_without_an_eccn_column_is_refused(tmp_path: Path, corpus: Corpus) -> None:
    with pytest.raises(DecisionError, match="no ECCN column.*part, description, verdict"):
        read_decisions(write_csv(tmp_path / "past.csv", SWITCHES, eccn_column="verdict"), corpus)


def test_past_decisions_are_weighed_and_quoted(tmp_path: Path, corpus: Corpus, classifier: Classifier) -> None:
    with_past = classifier.with_decisions(read_decisions(write_csv(tmp_path / "past.csv", SWITCHES), corpus))
    before, after = classifier.classify(QUERY), with_past.classify(QUERY)

    def ear99(result):  # type: ignore[no-untyped-def]
        return next((s.confidence for s in result.suggestions if s.eccn == "EAR99"), 0.0)

    assert ear99(after) > ear99(before)  # four close EAR99 decisions move the answer towards EAR99
    assert [p.description for p in after.precedents][:1] == [SWITCHES[1][1]]
    assert all(p.similarity >= 0.75 for p in after.precedents)
    quoted = [r for s in after.suggestions for r in s.reasons if r.startswith("past decision EAR99")]
    assert quoted and "past.csv row" in quoted[0]
    assert after.provenance["decisions"]["file"] == "past.csv"
    assert "Close past decisions" in render_classification(after)
    assert "Close past decisions (past.csv" in memo_markdown(after)
    # the classifier it came from is unchanged
    assert before.precedents == [] and "decisions" not in before.provenance
    assert len(with_past.ranker.memory.labels) == len(classifier.ranker.memory.labels) + len(SWITCHES)


def test_unrelated_descriptions_quote_no_past_decision(tmp_path: Path, corpus: Corpus, classifier: Classifier) -> None:
    with_past = classifier.with_decisions(read_decisions(write_csv(tmp_path / "past.csv", SWITCHES), corpus))
    assert with_past.classify("Hydrazine monopropellant for satellite thrusters").precedents == []


def test_batch_output_lists_past_decisions(tmp_path: Path, corpus: Corpus, classifier: Classifier) -> None:
    with_past = classifier.with_decisions(read_decisions(write_csv(tmp_path / "past.csv", SWITCHES), corpus))
    source = tmp_path / "in.csv"
    source.write_text(f"id,description\n1,\"{QUERY}\"\n2,Leather sofa\n", encoding="utf-8")  # quoted: it holds a comma
    run_batch(with_past, source, tmp_path / "out.csv", progress=None)
    with (tmp_path / "out.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert "EAR99 (past.csv row" in rows[0]["past_decisions"]
    assert rows[1]["past_decisions"] == ""


def test_cli_refuses_a_bad_decisions_file_with_exit_2(tmp_path: Path) -> None:
    bad = write_csv(tmp_path / "bad.csv", [("a", "Widget", "5A999")])
    out = subprocess.run(
        [sys.executable, "-m", "classifier", "classify", "Widget", "--decisions", str(bad)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 2 and "bad.csv row 2" in out.stderr
