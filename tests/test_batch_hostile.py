"""Hostile batch files: one bad row never kills the batch, every row comes back, nothing is lost or
overwritten, and a spreadsheet never runs a cell or header as a formula."""

from __future__ import annotations

import csv
import datetime
import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from classifier import batch as batch_module
from classifier.batch import BatchError, run_batch
from classifier.engine import Classifier
from tests.batch_helpers import interrupt_on_chunk


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write_jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_a_csv_cell_over_the_csv_modules_limit_is_one_rows_error(tmp_path: Path, classifier: Classifier) -> None:
    src = tmp_path / "in.csv"
    with src.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "description"])
        writer.writerows([["1", "Garden hose"], ["2", "x" * 200_000], ["3", "Ceramic coffee mug"]])
    summary = run_batch(classifier, src, tmp_path / "out.csv", progress=None)
    rows = read_csv(tmp_path / "out.csv")
    assert [r["id"] for r in rows] == ["1", "2", "3"] and summary.errors == 1
    assert "shorten" in rows[1]["error"] and rows[2]["eccn"] == "EAR99"


def test_jsonl_values_of_the_wrong_kind_are_errors_of_their_rows(tmp_path: Path, classifier: Classifier) -> None:
    src = write_jsonl(
        tmp_path / "in.jsonl",
        [
            {"id": "list", "description": "Garden hose", "total_value": [1, 2], "us_content_value": 1},
            {"id": "object", "description": "Garden hose", "total_value": {"a": 1}, "us_content_value": 1},
            {"id": "eccns", "description": "Garden hose", "us_content_eccns": "garbage"},
            {"id": "bomb", "description": "rocket, payload 5 x 10^400 kg"},
            {"id": "nan", "description": "rocket", "payload_kg": "nan", "range_km": 300},
            {"id": "nested", "description": {"text": "Garden hose"}},
            {"id": "fine", "description": "Ceramic coffee mug"},
        ],
    )
    summary = run_batch(classifier, src, tmp_path / "out.jsonl", progress=None, chunk_size=3)
    rows = {r["id"]: r for r in map(json.loads, (tmp_path / "out.jsonl").read_text().splitlines())}
    assert list(rows) == ["list", "object", "eccns", "bomb", "nan", "nested", "fine"] and summary.errors == 6
    assert "total_value must be a number, got a list" in rows["list"]["error"]
    assert "total_value must be a number, got a dict" in rows["object"]["error"]
    assert "not a valid ECCN" in rows["eccns"]["error"]
    assert "too large" in rows["bomb"]["error"]
    assert "payload_kg must be a finite number" in rows["nan"]["error"]
    assert "must be text" in rows["nested"]["error"]
    assert rows["fine"]["eccn"] == "EAR99" and rows["fine"]["error"] == ""


def test_an_xlsx_date_in_total_value_is_an_error_of_its_row(tmp_path: Path, classifier: Classifier) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["description", "total_value", "us_content_value", "destination"])
    sheet.append(["Garden hose", datetime.datetime(2024, 1, 5), 10, "Germany"])
    sheet.append(["Garden hose", 100, 10, "Germany"])
    book.save(tmp_path / "in.xlsx")
    summary = run_batch(classifier, tmp_path / "in.xlsx", tmp_path / "out.xlsx", progress=None)
    values = list(load_workbook(tmp_path / "out.xlsx").active.iter_rows(values_only=True))
    error = values[0].index("error")
    assert summary.rows == 2 and summary.errors == 1
    assert "total_value must be a number, got a datetime" in values[1][error] and values[2][error] in ("", None)


def test_an_internal_failure_on_one_row_costs_that_row_only(
    tmp_path: Path, classifier: Classifier, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = Classifier.classify_many

    def fail_on_pump(self, texts, *args, **kwargs):  # type: ignore[no-untyped-def]
        if any("pump" in t for t in texts):
            raise KeyError("a bug")
        return real(self, texts, *args, **kwargs)

    monkeypatch.setattr(Classifier, "classify_many", fail_on_pump)
    src = write_jsonl(tmp_path / "in.jsonl", [{"description": d} for d in ("Garden hose", "Hydraulic pump", "Mug")])
    summary = run_batch(classifier, src, tmp_path / "out.jsonl", progress=None)
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert summary.errors == 1 and "internal failure (KeyError" in rows[1]["error"]
    assert rows[0]["eccn"] == rows[2]["eccn"] == "EAR99"


def test_resume_goes_on_past_a_bad_row(tmp_path: Path, classifier: Classifier, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [{"id": str(i), "description": d} for i, d in enumerate(["Garden hose", "x" * 200_000, "Mug", "Tent"])]
    src = tmp_path / "in.csv"
    with src.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["id", "description"])
        writer.writeheader()
        writer.writerows(rows)
    real = batch_module._classify_chunk
    interrupt_on_chunk(monkeypatch, 2)
    with pytest.raises(KeyboardInterrupt):
        run_batch(classifier, src, tmp_path / "out.csv", chunk_size=2, progress=None)
    monkeypatch.setattr(batch_module, "_classify_chunk", real)
    summary = run_batch(classifier, src, tmp_path / "out.csv", chunk_size=2, progress=None, resume=True)
    out = read_csv(tmp_path / "out.csv")
    assert summary.resumed_from == 2 and [r["id"] for r in out] == ["0", "1", "2", "3"] and summary.errors == 1


def test_xlsx_output_removes_control_characters_and_says_when_it_cuts_a_cell(
    tmp_path: Path, classifier: Classifier
) -> None:
    src = write_jsonl(
        tmp_path / "in.jsonl",
        [
            {"description": "Garden\x01 hose\x1b[31m", "note": "bell\x07"},
            {"description": "Ceramic mug", "note": "y" * 40_000},
        ],
    )
    summary = run_batch(classifier, src, tmp_path / "out.xlsx", progress=None)
    values = list(load_workbook(tmp_path / "out.xlsx").active.iter_rows(values_only=True))
    header = values[0]
    note, warnings = header.index("note"), header.index("warnings")
    assert values[1][note] == "bell" and "control characters removed from 'note'" in values[1][warnings]
    assert len(values[2][note]) == 32_767 and "'note' cut from 40,000 to 32,767" in values[2][warnings]
    assert summary.cut_cells == 1


def test_formula_headers_are_neutralised_in_csv_and_xlsx(tmp_path: Path, classifier: Classifier) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", [{"description": "Garden hose", "=HYPERLINK(\"x\")": "1", "@sum": "2"}])
    run_batch(classifier, src, tmp_path / "out.csv", progress=None)
    run_batch(classifier, src, tmp_path / "out.xlsx", progress=None)
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert "'=HYPERLINK(\"x\")" in header and "'@sum" in header
    xlsx_header = next(load_workbook(tmp_path / "out.xlsx").active.iter_rows(values_only=True))
    assert "'=HYPERLINK(\"x\")" in xlsx_header and not any(str(h).startswith(("=", "@")) for h in xlsx_header)


def test_an_input_column_named_like_an_added_one_is_kept(tmp_path: Path, classifier: Classifier) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", [{"description": "Garden hose", "eccn": "my guess", "error": "none"}])
    run_batch(classifier, src, tmp_path / "out.jsonl", progress=None)
    row = json.loads((tmp_path / "out.jsonl").read_text())
    assert row["input_eccn"] == "my guess" and row["input_error"] == "none" and row["eccn"] == "EAR99"


def test_the_input_is_never_overwritten_or_deleted(tmp_path: Path, classifier: Classifier) -> None:
    src = write_jsonl(tmp_path / "x.jsonl.part.jsonl", [{"description": "Garden hose"}])
    before = src.read_bytes()
    with pytest.raises(BatchError, match="would overwrite the input"):
        run_batch(classifier, src, tmp_path / "x.jsonl", progress=None)
    with pytest.raises(BatchError, match="would overwrite the input"):
        run_batch(classifier, src, src, progress=None)
    assert src.read_bytes() == before


@pytest.mark.parametrize(
    ("output", "message"),
    [("missing/out.csv", "does not exist"), ("folder.csv", "is a folder"), ("out.txt", "unsupported")],
)
def test_unusable_output_paths_are_refused_before_any_work(
    tmp_path: Path, classifier: Classifier, output: str, message: str
) -> None:
    (tmp_path / "folder.csv").mkdir()
    src = write_jsonl(tmp_path / "in.jsonl", [{"description": "Garden hose"}])
    with pytest.raises(BatchError, match=message):
        run_batch(classifier, src, tmp_path / output, progress=None)


def test_records_pointing_at_a_file_is_refused(tmp_path: Path, classifier: Classifier) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", [{"description": "Garden hose"}])
    (tmp_path / "records").write_text("a file")
    with pytest.raises(BatchError, match="is a file"):
        run_batch(classifier, src, tmp_path / "out.jsonl", records=tmp_path / "records", progress=None)


def test_a_header_only_input_gives_a_header_only_output(tmp_path: Path, classifier: Classifier) -> None:
    src = tmp_path / "in.csv"
    src.write_text("id,description\n", encoding="utf-8")
    summary = run_batch(classifier, src, tmp_path / "out.csv", progress=None)
    assert summary.rows == 0 and read_csv(tmp_path / "out.csv") == []
    assert not list(tmp_path.glob("out.csv.*"))


def test_one_latin1_byte_costs_one_line_not_the_whole_file(tmp_path: Path, classifier: Classifier) -> None:
    src = tmp_path / "in.csv"
    src.write_bytes(
        "id,description,origin\n1,Caf\u00e9 espresso machine,M\u00fcnchen\n".encode()
        + b"2,Garden hose,Besan\xe7on\n"
        + "3,Thermal camera \u2013 640x512,\u6771\u4eac\n".encode()
    )
    run_batch(classifier, src, tmp_path / "out.csv", progress=None)
    rows = read_csv(tmp_path / "out.csv")
    assert [r["origin"] for r in rows] == ["M\u00fcnchen", "Besan\u00e7on", "\u6771\u4eac"]
    assert rows[0]["warnings"] == "" and "line 3 is not valid UTF-8" in rows[1]["warnings"]
    assert "\u2013" in rows[2]["description"]


def test_audit_records_are_never_overwritten(tmp_path: Path, classifier: Classifier) -> None:
    ids = ["a", "a", "a/b", "a b", "a?b", "", "..", "a"]
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": i, "description": "Garden hose"} for i in ids])
    run_batch(classifier, src, tmp_path / "out.jsonl", records=tmp_path / "rec", progress=None)
    records = sorted((tmp_path / "rec").glob("*.json"))
    assert len(records) == len(ids) and len(list((tmp_path / "rec").glob("*.md"))) == len(ids)
    rows = sorted(json.loads(p.read_text())["inputs"]["row"] for p in records)
    assert rows == list(range(1, len(ids) + 1))


def test_a_jsonl_lone_surrogate_is_replaced_and_reported(tmp_path: Path, classifier: Classifier) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"description": "Garden hose", "note": "a\\ud800b"}\n{"description": "Mug"}\n', encoding="utf-8")
    run_batch(classifier, src, tmp_path / "out.jsonl", progress=None)
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rows[0]["note"] == "a?b" and "lone surrogates" in rows[0]["warnings"] and len(rows) == 2
