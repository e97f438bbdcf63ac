"""Batch classification on a Ray cluster: ``python -m classifier batch IN --output OUT --engine ray``.

The same rows, columns, order, ``error`` cells and resume as the one-process batch (``batch.py``); only the
classifying is spread over a pool of Ray actors, on one machine or many:

- read: one Ray task, on the driver's node (where the file is), reads INPUT with the batch's own reader
  (``tables.read_rows``: CSV, XLSX, JSONL, Parquet), so every row, unreadable line and warning is what the
  local batch sees, and cuts it into the local batch's chunks (``--chunk-size`` rows). A chunk is one row of
  the Ray Dataset and one block of its own, so the pool is fed chunk by chunk while the file is read.
- classify: ``map_batches(ClassifyChunks, compute=ActorPoolStrategy(size=N))``. Each actor loads the
  Classifier once, from its own disk (corpus, search index, ranker, past decisions: nothing large travels
  in a task), and classifies each chunk with the local batch's ``_classify_chunk``, into the JSON lines the
  local batch writes. A chunk is one encoder call in both engines, so the numbers are the same.
- write: the driver takes the chunks back in input order (``preserve_order``) and appends them to
  ``OUTPUT.part.jsonl`` with the same progress file, so ``--resume`` (also after the driver or the whole
  cluster died) and the final CSV/XLSX/JSONL are the local batch's own (``writers.write_final``).

Ray is imported in this module only: the rest of the package never loads it.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import sys
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from classifier import batch
from classifier.batch import CHUNK, Summary
from classifier.dense import DEFAULT_INDEX_DIR, DEVICE_ENV
from classifier.rank import DEFAULT_PATH as RANKER_PATH
from classifier.tables import TableError, read_rows

BLOCK_BYTES = 4096  # smaller than any chunk: each chunk the reader yields becomes a block of its own
CHUNKS_PER_TASK = 2  # chunks an actor is handed at a time; small keeps every actor fed to the end
NODE_ID_LABEL = "ray.io/node-id"  # the label every Ray node carries with its id


class ClusterError(TableError):
    """Ray cannot be started or reached: bad usage the user fixes (the CLI exits with code 2)."""


@dataclass(frozen=True)
class WorkerSettings:
    """What every actor needs to load its Classifier and classify as the local batch does (paths on its disk)."""

    corpus_dir: str
    index_dir: str
    ranker_path: str
    decisions: str | None
    column: str
    top_k: int
    records: str | None
    device: str | None  # ECCN_DEVICE for the actor's encoder ("cuda" when it is given a GPU)


def _chunk_row(first: int, rows: list[dict[str, Any]]) -> dict[str, np.ndarray]:
    return {
        "first": np.array([first], dtype=np.int64),
        "rows": np.array([pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL)], dtype=object),
    }


def read_chunks(seed: dict[str, np.ndarray], path: str, chunk_size: int) -> Iterator[dict[str, np.ndarray]]:
    """The read stage: INPUT's rows after the first ``seed["start"]`` (those a resumed run has), in chunks
    numbered by their first row, as ``batch.run_batch`` cuts them."""
    start = int(seed["start"][0])
    _, rows = read_rows(Path(path))
    number = 0
    chunk: list[dict[str, Any]] = []
    for row in rows:
        number += 1
        if number <= start:
            continue
        chunk.append(row)
        if len(chunk) == chunk_size:
            yield _chunk_row(number - chunk_size + 1, chunk)
            chunk = []
    if chunk:
        yield _chunk_row(number - len(chunk) + 1, chunk)


class ClassifyChunks:
    """The classify stage, one instance per actor: the Classifier is loaded once, then chunk after chunk is
    turned into the part-file lines of its rows."""

    def __init__(self, settings: WorkerSettings) -> None:
        if settings.device:
            os.environ[DEVICE_ENV] = settings.device
        from classifier.engine import Classifier

        self.clf = Classifier.load(
            settings.corpus_dir, settings.index_dir, ranker_path=settings.ranker_path, decisions=settings.decisions
        )
        self.settings = settings
        self.records = Path(settings.records) if settings.records else None

    def __call__(self, chunks: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        lines, counts, errors = [], [], []
        for first, blob in zip(chunks["first"].tolist(), chunks["rows"], strict=True):
            rows = pickle.loads(blob)
            outputs = batch._classify_chunk(
                self.clf, rows, self.settings.column, self.settings.top_k, self.records, first
            )
            lines.append("".join(json.dumps(out, ensure_ascii=False, default=str) + "\n" for out in outputs))
            counts.append(len(rows))
            errors.append(sum(bool(out["error"]) for out in outputs))
        return {
            "first": chunks["first"],
            "rows": np.array(counts, dtype=np.int64),
            "errors": np.array(errors, dtype=np.int64),
            "lines": np.array(lines, dtype=object),
        }


def connect(address: str | None = None) -> bool:
    """Join the cluster at ``address`` (or ``RAY_ADDRESS``), or start a local one when neither is given.
    True when this call started or joined Ray (and the caller should shut it down); False when this process
    was already connected."""
    import ray

    if ray.is_initialized():
        return False
    # Ray's C++ log would print a benign notice per actor pool on the terminal; errors still come as exceptions
    os.environ.setdefault("RAY_BACKEND_LOG_LEVEL", "fatal")
    try:
        ray.init(address=address, include_dashboard=False, logging_level=logging.WARNING, log_to_driver=False)
    except (ConnectionError, ValueError, RuntimeError) as err:
        where = address or os.environ.get("RAY_ADDRESS") or "a new local cluster"
        raise ClusterError(
            f"cannot start or reach Ray at {where} ({err}); start a cluster with `ray start --head` "
            "and pass its address (--address or RAY_ADDRESS), or leave both out for a local one"
        ) from err
    import ray.data  # noqa: F401  (configures its loggers when first imported)

    logging.getLogger("ray.data").setLevel(logging.ERROR)  # no per-run INFO lines on the terminal
    return True


def _pool_size(workers: int | None, cpus: float, gpus: float) -> int:
    import ray

    if workers is not None:
        return workers
    resources = ray.cluster_resources()
    if gpus:
        return max(1, int(resources.get("GPU", 0) // gpus))
    return max(1, int(resources.get("CPU", 1) // cpus))


def build_dataset(
    input_path: Path, start: int, chunk_size: int, settings: WorkerSettings, pool: int, cpus: float, gpus: float
) -> Any:
    """INPUT's rows after ``start`` as a Ray Dataset of classified chunks (lazy: nothing runs until iterated)."""
    import ray
    from ray.data import ActorPoolStrategy

    seed = ray.data.from_items([{"start": start}])
    context = seed.context  # this dataset's own copy, inherited by the stages below
    context.execution_options.preserve_order = True
    context.target_max_block_size = BLOCK_BYTES
    context.enable_progress_bars = False
    chunks = seed.map_batches(
        partial(read_chunks, path=str(input_path.resolve()), chunk_size=chunk_size),
        batch_size=1,
        batch_format="numpy",
        num_cpus=0,  # reading is light; all CPUs stay with the actors
        label_selector={NODE_ID_LABEL: ray.get_runtime_context().get_node_id()},  # where the file is
    )
    return chunks.map_batches(
        ClassifyChunks,
        batch_size=CHUNKS_PER_TASK,
        batch_format="numpy",
        compute=ActorPoolStrategy(size=pool),
        fn_constructor_args=(settings,),
        num_cpus=cpus,
        num_gpus=gpus or None,
    )


@lru_cache(maxsize=4)
def _ensure_index(corpus_dir: Path, index_dir: Path) -> None:
    """Build the search index here, once per process, if it is missing or stale, so that actors sharing
    this disk never build it at the same time."""
    from classifier.corpus import Corpus
    from classifier.dense import Encoder
    from classifier.engine import SearchIndex

    SearchIndex.open(Corpus(corpus_dir), Encoder(), index_dir)


def run_ray_batch(
    input_path: Path,
    output_path: Path,
    *,
    corpus_dir: Path,
    top_k: int = 5,
    records: Path | None = None,
    resume: bool = False,
    chunk_size: int = CHUNK,
    decisions: Path | None = None,
    address: str | None = None,
    workers: int | None = None,
    cpus_per_worker: float = 1.0,
    gpus_per_worker: float | None = None,
    index_dir: Path = DEFAULT_INDEX_DIR,
    ranker_path: Path = RANKER_PATH,
    progress: TextIO | None = sys.stderr,
    on_progress: Callable[[int, int | None], None] | None = None,
) -> Summary:
    """Classify every row of INPUT into OUTPUT on Ray, exactly as ``batch.run_batch`` would. BatchError
    (ClusterError) for bad usage; Ray's own exception when the cluster fails mid-run (``--resume`` then
    continues from the last chunk written)."""
    run = batch.start_run(input_path, output_path, records, resume)
    gpus = gpus_per_worker or 0.0
    column, part, state_path, fingerprint, summary = run.column, run.part, run.state_path, run.fingerprint, run.summary
    done, offset, total = run.done, run.offset, run.total
    settings = WorkerSettings(
        corpus_dir=str(Path(corpus_dir).resolve()),
        index_dir=str(Path(index_dir).resolve()),
        ranker_path=str(Path(ranker_path).resolve()),
        decisions=str(decisions.resolve()) if decisions else None,
        column=column,
        top_k=top_k,
        records=str(records.resolve()) if records else None,
        device=os.environ.get(DEVICE_ENV) or ("cuda" if gpus else None),
    )
    _ensure_index(Path(corpus_dir).resolve(), Path(index_dir).resolve())
    joined = connect(address)
    try:
        pool = _pool_size(workers, cpus_per_worker, gpus)
        dataset = build_dataset(input_path, done, chunk_size, settings, pool, cpus_per_worker, gpus)
        bar = batch._progress(total, progress, done)
        blocks = iter(dataset.iter_batches(batch_size=None, batch_format="numpy"))
        with part.open("r+b" if done else "wb") as fh, closing(blocks):  # closing stops the actors at once
            fh.truncate(offset)
            fh.seek(offset)
            for block in blocks:
                for first, count, errors, lines in zip(
                    block["first"].tolist(),
                    block["rows"].tolist(),
                    block["errors"].tolist(),
                    block["lines"],
                    strict=True,
                ):
                    if first != done + 1:
                        raise RuntimeError(f"chunk from row {first} arrived after row {done}: order lost")
                    fh.write(lines.encode("utf-8"))
                    fh.flush()
                    os.fsync(fh.fileno())
                    done, offset = done + count, fh.tell()
                    summary.errors += errors
                    batch._save_state(state_path, fingerprint, done, offset, summary)
                    bar.update(count)
                    if on_progress:
                        on_progress(done, total)
        bar.close()
    finally:
        if joined:
            import ray

            ray.shutdown()
    run.done = done
    return batch.finish_run(run, output_path)
