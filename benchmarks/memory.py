"""Resident memory of a streamed batch: ``python -m benchmarks.memory [--rows 1000000] [--baseline 10000]``.

Generates two catalogues (``benchmarks.catalogue``), runs ``python -m classifier batch`` on each in a
subprocess and samples its resident memory (VmRSS, every half second) from start to exit. Memory is flat
when the large run's peak stays within 10 % of the small run's: rows are read, classified and written a
chunk at a time, and the final output is written from the part file as a stream. Both runs are measured in
this one invocation; ``--engine ray`` measures the driver of the Ray engine instead (its actors are
separate processes).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.catalogue import write_catalogue

ROOT = Path(__file__).resolve().parent.parent
TARGET = 0.10  # the large run's peak may exceed the small run's by this share at most


def _rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


def measure(rows: int, folder: Path, engine: str, interval: float) -> dict[str, Any]:
    source = write_catalogue(folder / f"catalogue-{rows}.csv", rows)
    command = [sys.executable, "-m", "classifier", "batch", str(source), "--output", str(folder / f"out-{rows}.csv")]
    if engine == "ray":
        command += ["--engine", "ray"]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    samples: list[float] = []
    while process.poll() is None:
        rss = _rss_mb(process.pid)
        if rss is not None:
            samples.append(rss)
        time.sleep(interval)
    seconds = time.perf_counter() - started
    if process.returncode not in (0, 1):  # 1: some rows carry errors, as the catalogue means them to
        raise RuntimeError(f"the batch of {rows} rows failed with exit code {process.returncode}")
    late = samples[len(samples) // 2 :] or samples
    tenths = [samples[min(len(samples) - 1, len(samples) * k // 10)] for k in range(1, 11)]
    return {
        "tenths": tenths,
        "rows": rows,
        "seconds": seconds,
        "peak_mb": max(samples),
        "late_median_mb": statistics.median(late),
        "rows_per_s": rows / seconds,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.memory", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the large run")
    parser.add_argument("--baseline", type=int, default=10_000, help="rows of the small run")
    parser.add_argument("--engine", choices=("local", "ray"), default="local")
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between samples")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        small = measure(args.baseline, Path(folder), args.engine, args.interval)
        large = measure(args.rows, Path(folder), args.engine, args.interval)
    for run in (small, large):
        print(
            f"{int(run['rows']):>10,} rows: peak {run['peak_mb']:7.0f} MB, median of the second half "
            f"{run['late_median_mb']:7.0f} MB, {run['seconds']:8.0f} s ({run['rows_per_s']:.0f} rows/s)"
        )
        print(f"{'':>16}RSS at each tenth of the run (MB): {' '.join(f'{v:.0f}' for v in run['tenths'])}")
    growth = large["peak_mb"] / small["peak_mb"] - 1
    verdict = "flat" if growth <= TARGET else "NOT flat"
    print(f"peak growth {growth:+.1%} from {int(small['rows']):,} to {int(large['rows']):,} rows: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
