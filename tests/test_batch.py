"""Batch classification: every row kept in order, errors per row, formats, encodings, resume, exit codes."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from classifier import batch as batch_module
from classifier.batch import BatchError, run_batch
from classifier.engine import Classifier
from tests.batch_helpers import interrupt_on_chunk

ROWS = [
    {
        "id": "a",
        "description": "Dual-band Wi-Fi router with WPA3 sold at retail",
        "destination": "Germany",
        "note": "=1+1",
    },
    {"id": "b", "description": "", "destination": "", "note": "empty"},
    {"id": "c", "description": "Ceramic coffee mug", "destination": "Iran", "note": "@x"},
    {"id": "d", "description": "GNSS receiver module for drones", "destination": "Atlantis", "note": "-y"},
    {"id": "e", "description": "x" * 25_000, "destination": "", "note": "+z"},
    {"id": "f", "description": "Fluxgate magnetometer for surveys", "destination": "", "note": "ok"},
]


def write_csv(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_rows_in_order_with_errors_per_row_and_formulas_neutralised(tmp_path: Path, classifier: Classifier) -> None:
    out = tmp_path / "out.csv"
    summary = run_batch(classifier, write_csv(tmp_path / "in.csv", ROWS), out, progress=None, chunk_size=2)
    rows = read_csv(out)
    assert [r["id"] for r in rows] == ["a", "b", "c", "d", "e", "f"]
    assert summary.rows == 6 and summary.errors == 3
    assert rows[0]["eccn"] == "5A992.c" and rows[0]["error"] == ""
    assert "empty" in rows[1]["error"]
    assert "Unknown destination" in rows[3]["error"]
    assert "shorten" in rows[4]["error"]
    assert rows[2]["license_required"] == "true" and rows[2]["license"] == "required"  # EAR99 to Iran (§ 746.7)
    assert rows[0]["license"] == "not required" and rows[0]["license_required"] == "false"
    assert [r["note"] for r in rows[:5]] == ["'=1+1", "empty", "'@x", "'-y", "'+z"]
    assert set(ROWS[0]) <= set(rows[0])  # every input column kept
    assert not list(tmp_path.glob("*.part*"))


def test_jsonl_in_and_out_keeps_structure_and_reports_bad_lines(tmp_path: Path, classifier: Classifier) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"description": "Hydrazine monopropellant", "lot": 7})
        + "\n{not json}\n"
        + json.dumps({"description": "Garden hose", "lot": 9})
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    summary = run_batch(classifier, src, out, progress=None)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 3 and rows[0]["lot"] == 7 and rows[2]["lot"] == 9
    assert "not valid JSON" in rows[1]["error"] and summary.errors == 1
    assert rows[2]["eccn"] == "EAR99"


def test_xlsx_in_and_out(tmp_path: Path, classifier: Classifier) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["description", "sku"])
    sheet.append(["Uncooled thermal camera core 640x512, 30 Hz", "=cmd"])
    sheet.append(["Plush toy bear", "T-1"])
    book.save(tmp_path / "in.xlsx")
    run_batch(classifier, tmp_path / "in.xlsx", tmp_path / "out.xlsx", progress=None)
    values = list(load_workbook(tmp_path / "out.xlsx").active.iter_rows(values_only=True))
    header = values[0]
    assert header[:2] == ("description", "sku") and "eccn" in header
    assert values[1][1] == "'=cmd" and values[2][header.index("eccn")] == "EAR99"


def test_latin1_and_bom_csv_are_read(tmp_path: Path, classifier: Classifier) -> None:
    rows = [{"description": "Café espresso machine for homes", "origin": "Besançon"}]
    latin = write_csv(tmp_path / "latin.csv", rows, encoding="latin-1")
    run_batch(classifier, latin, tmp_path / "o1.csv", progress=None)
    assert read_csv(tmp_path / "o1.csv")[0]["origin"] == "Besançon"
    bom = write_csv(tmp_path / "bom.csv", rows, encoding="utf-8-sig")
    run_batch(classifier, bom, tmp_path / "o2.csv", progress=None)
    assert "description" in read_csv(tmp_path / "o2.csv")[0]


def test_a_missing_description_column_names_the_columns_found(tmp_path: Path, classifier: Classifier) -> None:
    src = write_csv(tmp_path / "in.csv", [{"name": "router", "sku": "1"}])
    with pytest.raises(BatchError, match="columns found are: name, sku"):
        run_batch(classifier, src, tmp_path / "out.csv", progress=None)


def test_resume_after_a_crash_has_no_duplicates_or_gaps(
    tmp_path: Path, classifier: Classifier, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [
        {"id": str(i), "description": text}
        for i, text in enumerate(
            [
                "Wi-Fi router sold at retail",
                "Garden hose",
                "Fiber optic gyro",
                "Ceramic mug",
                "5-axis CNC mill",
                "Rad-hard SRAM for satellites",
                "Teddy bear",
            ]
        )
    ]
    src = write_csv(tmp_path / "in.csv", rows)
    out = tmp_path / "out.csv"
    real = batch_module._classify_chunk
    interrupt_on_chunk(monkeypatch, 3)
    with pytest.raises(KeyboardInterrupt):
        run_batch(classifier, src, out, chunk_size=2, progress=None)
    assert not out.exists() and (tmp_path / "out.csv.part.jsonl").exists()
    monkeypatch.setattr(batch_module, "_classify_chunk", real)
    summary = run_batch(classifier, src, out, chunk_size=2, progress=None, resume=True)
    assert summary.resumed_from == 4
    assert [r["id"] for r in read_csv(out)] == [str(i) for i in range(7)]


def test_records_are_written_per_row(tmp_path: Path, classifier: Classifier) -> None:
    src = write_csv(tmp_path / "in.csv", [{"id": "r1", "description": "VPN gateway, IPsec AES-256"}])
    run_batch(classifier, src, tmp_path / "out.csv", records=tmp_path / "rec", progress=None)
    record = json.loads((tmp_path / "rec" / "r1.json").read_text())
    assert record["provenance"]["model_hash"] and record["provenance"]["corpus_edition"]
    assert record["suggestions"][0]["eccn"].startswith("5A002")
    memo = (tmp_path / "rec" / "r1.md").read_text()
    assert "Order of review" in memo and "Citation:" in memo and "do not replace" in memo


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    root = Path(__file__).resolve().parent.parent
    return subprocess.run(
        [sys.executable, "-m", "classifier", *args], cwd=root, capture_output=True, text=True, timeout=600
    )


def test_cli_exit_codes(tmp_path: Path) -> None:
    good = write_csv(tmp_path / "good.csv", [{"description": "Garden hose"}])
    assert cli("batch", str(good), "--output", str(tmp_path / "o.csv")).returncode == 0
    mixed = write_csv(tmp_path / "mixed.csv", [{"description": "Garden hose"}, {"description": ""}])
    assert cli("batch", str(mixed), "--output", str(tmp_path / "o2.jsonl")).returncode == 1
    bad = cli("batch", str(good), "--output", str(tmp_path / "o.txt"))
    assert bad.returncode == 2 and "unsupported" in bad.stderr
    missing = cli("batch", str(tmp_path / "nope.csv"), "--output", str(tmp_path / "o3.csv"))
    assert missing.returncode == 2 and "does not exist" in missing.stderr


def test_the_license_column_is_three_valued_and_license_required_is_empty_for_review() -> None:
    from types import SimpleNamespace

    from classifier.result import Suggestion

    def result(verdict: str, required: bool | None) -> SimpleNamespace:
        top = Suggestion("9A104", 0.5, "9A104", "Sounding rockets", "Sounding rockets")
        return SimpleNamespace(
            suggestions=[top],
            findings=[],
            precedents=[],
            license={"verdict": verdict, "license_required": required},
            needs_answer=False,
            questions=[],
            warnings=[],
        )

    review = batch_module._output_row({"description": "x"}, result("review", None))
    assert review["license"] == "review" and review["license_required"] == ""
    required = batch_module._output_row({"description": "x"}, result("required", True))
    assert required["license_required"] is True  # a real boolean in JSONL and XLSX
