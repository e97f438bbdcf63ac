"""Kill and resume, checked by id: ``python -m benchmarks.kill_resume [--rows 3000] [--kills 4]``.

Writes a CSV of ROWS descriptions with unique ids (a few of them hostile), runs ``python -m classifier
batch`` on it, kills it with SIGKILL when the part file has reached each of KILLS points spread over the
run, continues each time with ``--resume``, and checks the final output by id: every input id present,
none duplicated, in input order. Prints the counts and exits 1 on any loss, duplicate or reordering.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTS = [
    "Dual-band Wi-Fi router with WPA3 sold at retail",
    "Ceramic coffee mug",
    "Uncooled thermal camera core 640x512",
    "5-axis CNC milling machine",
    "Fiber optic gyroscope for navigation",
    "rocket, payload 5 x 10^400 kg",  # refused: an error row, still present
    "\u200b\u200b",  # empty once invisible characters are removed: an error row
    "Hydrazine monopropellant",
]


def part_rows(part: Path) -> int:
    try:
        with part.open("rb") as fh:
            return sum(1 for line in fh if line.endswith(b"\n"))
    except FileNotFoundError:
        return 0


def batch(src: Path, out: Path, resume: bool) -> subprocess.Popen[bytes]:
    args = [sys.executable, "-m", "classifier", "batch", str(src), "--output", str(out), "--chunk-size", "64"]
    return subprocess.Popen(
        [*args, *(["--resume"] if resume else [])],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.kill_resume", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--kills", type=int, default=4)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="eccn-kill-"))
    src, out = folder / "in.csv", folder / "out.csv"
    ids = [f"row-{i:05d}" for i in range(args.rows)]
    with src.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "description"])
        writer.writerows([i, PRODUCTS[n % len(PRODUCTS)]] for n, i in enumerate(ids))
    part = out.with_name(out.name + ".part.jsonl")
    points = [args.rows * (k + 1) // (args.kills + 1) for k in range(args.kills)]
    killed_at = []
    for k, point in enumerate(points):
        proc = batch(src, out, resume=k > 0)
        while part_rows(part) < point and proc.poll() is None:
            time.sleep(0.05)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            killed_at.append(part_rows(part))
    final = batch(src, out, resume=True)
    code = final.wait()
    with out.open(encoding="utf-8", newline="") as fh:
        got = [row["id"] for row in csv.DictReader(fh)]
    report = {
        "rows": args.rows,
        "killed_with_rows_done": killed_at,
        "final_exit_code": code,
        "rows_back": len(got),
        "missing": len(set(ids) - set(got)),
        "duplicated": len(got) - len(set(got)),
        "in_order": got == ids,
        "output": str(out),
    }
    print(json.dumps(report, indent=1))
    return 0 if report["in_order"] and code in (0, 1) else 1


if __name__ == "__main__":
    sys.exit(main())
