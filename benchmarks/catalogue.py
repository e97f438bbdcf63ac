"""A generated catalogue for the batch benchmarks: ``write_catalogue(path, rows)``.

Rows cycle through the labelled descriptions (as exporters write them) with a SKU, a destination from a short
list and, every 500th row, an empty description, so that error rows travel through the pipeline too. Written
as CSV, JSONL or Parquet by the path's suffix, streamed: a million rows never sit in memory.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from training.labelled import labelled

DESTINATIONS = ("Germany", "China", "", "Japan", "Brazil", "India", "")
PARQUET_GROUP = 10_000


def catalogue_rows(count: int) -> Iterator[dict[str, Any]]:
    texts = [e.text for e in labelled()]
    for i in range(count):
        description = "" if i % 500 == 499 else texts[i % len(texts)]
        yield {"sku": f"SKU-{i:07d}", "description": description, "destination": DESTINATIONS[i % len(DESTINATIONS)]}


def write_catalogue(path: Path, count: int) -> Path:
    rows = catalogue_rows(count)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=["sku", "description", "destination"])
            writer.writeheader()
            writer.writerows(rows)
    elif suffix == ".jsonl":
        with path.open("w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(row) + "\n" for row in rows)
    elif suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        writer = None
        while group := [row for _, row in zip(range(PARQUET_GROUP), rows, strict=False)]:
            table = pa.Table.from_pylist(group)
            writer = writer or pq.ParquetWriter(path, table.schema)
            writer.write_table(table)
        if writer is not None:
            writer.close()
    else:
        raise ValueError(f"{path.name}: write .csv, .jsonl or .parquet")
    return path
