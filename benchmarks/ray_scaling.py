"""Ray engine throughput and scaling: ``python -m benchmarks.ray_scaling [--rows 2000] [--workers 1 2]``.

Generates one catalogue (``benchmarks.catalogue``), classifies it with the one-process batch and with the
Ray engine at each pool size, on a local Ray cluster with every CPU of this machine, all in this run, and
prints for each: wall time including start-up (actors load the classifier), steady throughput (rows per
second from the first finished chunk to the last), speed-up over one worker, and whether the output is
byte for byte the local batch's.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.catalogue import write_catalogue

ROOT = Path(__file__).resolve().parent.parent


class Clock:
    """on_progress callback: when each chunk finished."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.marks: list[tuple[float, int]] = []

    def __call__(self, done: int, total: int | None) -> None:
        self.marks.append((time.perf_counter(), done))

    def steady(self) -> float:
        """Rows per second between the first and the last finished chunk (start-up excluded)."""
        (t0, n0), (t1, n1) = self.marks[0], self.marks[-1]
        return (n1 - n0) / (t1 - t0) if t1 > t0 else float("nan")


def timed(run: Callable[[Clock], object]) -> tuple[float, float]:
    clock = Clock()
    run(clock)
    return time.perf_counter() - clock.started, clock.steady()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ray_scaling", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--chunk-size", type=int, default=64)
    parser.add_argument("--format", choices=("csv", "jsonl", "parquet"), default="csv")
    args = parser.parse_args(argv)

    import ray

    from classifier.batch import run_batch
    from classifier.corpus import DEFAULT_DIR
    from classifier.engine import Classifier
    from classifier.ray_batch import run_ray_batch

    cpus = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as folder:
        source = write_catalogue(Path(folder) / f"catalogue.{args.format}", args.rows)
        local_out = Path(folder) / "local.csv"
        clf = Classifier.load()
        wall, steady = timed(
            lambda clock: run_batch(
                clf, source, local_out, chunk_size=args.chunk_size, progress=None, on_progress=clock
            )
        )
        expected = local_out.read_bytes()
        results = [("local batch (1 process)", wall, steady, True)]
        ray.init(num_cpus=cpus, include_dashboard=False, log_to_driver=False)
        try:
            for workers in args.workers:
                out = Path(folder) / f"ray-{workers}.csv"

                def on_ray(clock: Clock, workers: int = workers, out: Path = out) -> object:
                    return run_ray_batch(
                        source,
                        out,
                        corpus_dir=DEFAULT_DIR,
                        workers=workers,
                        chunk_size=args.chunk_size,
                        progress=None,
                        on_progress=clock,
                    )

                wall, steady = timed(on_ray)
                results.append((f"ray, {workers} worker(s)", wall, steady, out.read_bytes() == expected))
        finally:
            ray.shutdown()
    print(f"{args.rows:,} rows ({args.format}), chunk {args.chunk_size}, {cpus} CPUs on this machine")
    one = next((steady for name, _, steady, _ in results if name.startswith("ray, 1 ")), None)
    for name, wall, steady, same in results:
        scale = f"{steady / one:.2f}× one worker" if one and name.startswith("ray") else ""
        print(
            f"{name:<26} wall {wall:7.1f} s   steady {steady:7.1f} rows/s   {scale:<18}"
            f" output {'identical to the local batch' if same else 'DIFFERS from the local batch'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
