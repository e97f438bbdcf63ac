"""The Ray engine gives, row for row and byte for byte, what the one-process batch gives.

One local Ray cluster (2 CPUs, the ``ray_cluster`` session fixture) serves every test here; each run starts its
own actor pool, which loads the classifier from disk, so the runs are few and small.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from classifier import cli
from classifier.batch import run_batch
from classifier.engine import Classifier
from classifier.ray_batch import run_ray_batch
from tests.test_batch import ROWS, write_csv

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def local_output(classifier: Classifier, src: Path, out: Path, chunk_size: int) -> bytes:
    run_batch(classifier, src, out, chunk_size=chunk_size, progress=None)
    return out.read_bytes()


def test_a_csv_catalogue_through_the_cli_on_two_workers_matches_the_local_batch_byte_for_byte(
    tmp_path: Path, classifier: Classifier, ray_cluster: None
) -> None:
    rows = [*ROWS, {"id": "g", "description": "VPN gateway appliance, IPsec AES-256", "destination": "China"}]
    src = write_csv(tmp_path / "catalogue.csv", rows)  # empty, too long, unknown country, formulas, facts
    code = cli.main(["batch", str(src), "--output", str(tmp_path / "ray.csv"), "--engine", "ray", "--workers", "2",
                     "--chunk-size", "2"])  # fmt: skip
    assert code == 1  # rows with errors, as the local batch says
    assert (tmp_path / "ray.csv").read_bytes() == local_output(classifier, src, tmp_path / "local.csv", 2)
    assert not list(tmp_path.glob("*.part*"))


def test_parquet_rows_with_nulls_and_numbers_match_the_local_batch(
    tmp_path: Path, classifier: Classifier, ray_cluster: None
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    src = tmp_path / "catalogue.parquet"
    table = pa.table(
        {
            "sku": [101, 102, 103, 104],
            "description": ["Garden hose", None, "Fiber optic gyro, bias stability 0.01 deg/h", "Teddy bear"],
            "total_value": [12.5, None, 30000.0, 8.0],
        }
    )
    pq.write_table(table, src, row_group_size=3)
    summary = run_ray_batch(src, tmp_path / "ray.jsonl", corpus_dir=CORPUS, workers=1, chunk_size=3, progress=None)
    assert summary.rows == 4 and summary.errors == 1  # the row without a description
    expected = local_output(classifier, src, tmp_path / "local.jsonl", 3)
    assert (tmp_path / "ray.jsonl").read_bytes() == expected
    assert [json.loads(line)["sku"] for line in expected.decode().splitlines()] == [101, 102, 103, 104]


def test_an_interrupted_ray_run_is_resumed_by_the_local_engine_without_duplicates_or_gaps(
    tmp_path: Path, classifier: Classifier, ray_cluster: None
) -> None:
    src = tmp_path / "catalogue.jsonl"
    lines = [
        json.dumps({"description": "Hydrazine monopropellant", "lot": 7}),
        "{not json}",
        json.dumps(["a list, not an object"]),
        json.dumps({"description": "Garden hose", "lot": 9}),
        json.dumps({"description": "Rad-hard SRAM for satellites", "lot": 11}),
    ]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"

    def stop_after_the_first_chunk(done: int, total: int | None) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_ray_batch(src, out, corpus_dir=CORPUS, workers=1, chunk_size=2, progress=None,
                      on_progress=stop_after_the_first_chunk)  # fmt: skip
    assert not out.exists()
    assert json.loads((tmp_path / "out.jsonl.part.json").read_text())["rows"] == 2
    summary = run_batch(classifier, src, out, chunk_size=2, progress=None, resume=True)
    assert summary.resumed_from == 2 and summary.rows == 5 and summary.errors == 2
    assert out.read_bytes() == local_output(classifier, src, tmp_path / "local.jsonl", 2)


def test_using_the_package_without_the_ray_engine_never_imports_ray() -> None:
    code = (
        "import sys; import classifier, classifier.batch, classifier.cli, classifier.engine, classifier.tables; "
        "print('ray' in sys.modules)"
    )
    root = Path(__file__).resolve().parent.parent
    shown = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "False"
