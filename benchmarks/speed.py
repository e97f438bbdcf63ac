"""Speed of the pipeline against its encoder: ``python -m benchmarks.speed [--n 512] [--index]``.

Every ratio is measured within this one run against a baseline taken in the same run:
- batch: ``classify_many`` against raw ``model.encode`` on the same texts, best of interleaved rounds
  (goal: at least 0.90 of raw encode), and the CPU time per text the pipeline adds to the encoder;
- single: ``classify`` of one text, 50th and 99th percentile, against ``encode`` of one text;
- cold start: import to first answer in a fresh process with a built index, and its peak resident memory;
- index build (``--index``): encoding and indexing every CCL paragraph and heading, in a fresh process,
  into a temporary folder.

``ECCN_DEVICE=cuda`` measures the same on a GPU (with a CUDA build of torch).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

from training.labelled import labelled

FIRST_ANSWER = """
import json, resource, time
t0 = time.perf_counter()
from classifier.engine import Classifier
clf = Classifier.load()
clf.classify("Dual-band Wi-Fi router with WPA3")
print(json.dumps({"seconds": time.perf_counter() - t0,
                  "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

INDEX_BUILD = """
import json, sys, tempfile, time
from pathlib import Path
from classifier.corpus import Corpus
from classifier.dense import Encoder
from classifier.engine import SearchIndex
corpus, encoder = Corpus(), Encoder()
encoder.encode(["warm up"])
with tempfile.TemporaryDirectory() as folder:
    t0 = time.perf_counter()
    index = SearchIndex.open(corpus, encoder, Path(folder))
    seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "documents": len(index.docs), "headings": len(index.heading_ids)}))
"""


def _fresh(code: str) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.speed", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=512, help="texts in the batch measurement")
    parser.add_argument("--repeats", type=int, default=100, help="single-text measurements")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved batch measurements (best of)")
    parser.add_argument("--index", action="store_true", help="also time a full index build (minutes on a CPU)")
    args = parser.parse_args(argv)

    from classifier.engine import Classifier

    clf = Classifier.load()
    base = [e.text for e in labelled()]
    texts = (base * (args.n // len(base) + 1))[: args.n]
    clf.classify_many(texts[:16])  # warm up
    clf.encoder.encode(texts[:16])

    encode_runs, batch_runs, batch_cpu, encode_cpu = [], [], [], []
    for _ in range(args.rounds):  # interleaved, best of each: the machine's noise hits both alike
        t, c = time.perf_counter(), time.process_time()
        clf.encoder.encode(texts)
        encode_runs.append(time.perf_counter() - t)
        encode_cpu.append(time.process_time() - c)
        t, c = time.perf_counter(), time.process_time()
        clf.classify_many(texts)
        batch_runs.append(time.perf_counter() - t)
        batch_cpu.append(time.process_time() - c)
    encode_s, batch_s = min(encode_runs), min(batch_runs)
    added_cpu_ms = (min(batch_cpu) - min(encode_cpu)) / args.n * 1000

    singles, encodes = [], []
    for text in (texts * (args.repeats // len(texts) + 1))[: args.repeats]:
        t = time.perf_counter()
        clf.encoder.encode([text])
        encodes.append(time.perf_counter() - t)
        t = time.perf_counter()
        clf.classify(text)
        singles.append(time.perf_counter() - t)
    enc50, enc99 = (float(np.percentile(encodes, p)) * 1000 for p in (50, 99))
    one50, one99 = (float(np.percentile(singles, p)) * 1000 for p in (50, 99))

    first = _fresh(FIRST_ANSWER)
    device = os.environ.get("ECCN_DEVICE") or "cpu"
    rows = [
        ("device", device, ""),
        ("raw encode throughput (texts/s)", f"{args.n / encode_s:.1f}", f"{args.n} texts, best of {args.rounds}"),
        ("classify_many throughput (texts/s)", f"{args.n / batch_s:.1f}", f"{encode_s / batch_s:.2f} of raw encode"),
        ("CPU time the pipeline adds (ms/text)", f"{added_cpu_ms:.2f}", "classify_many CPU minus encode CPU"),
        ("encode of one text, p50 / p99 (ms)", f"{enc50:.1f} / {enc99:.1f}", ""),
        ("classify of one text, p50 / p99 (ms)", f"{one50:.1f} / {one99:.1f}", f"{one50 / enc50:.2f}× encode (p50)"),
        ("import to first answer (s)", f"{first['seconds']:.2f}", "fresh process, built index"),
        ("peak resident memory (MB)", f"{first['max_rss_mb']:.0f}", "of that process"),
    ]
    if args.index:
        built = _fresh(INDEX_BUILD)
        count = int(built["documents"] + built["headings"])
        rows.append(("index build (s)", f"{built['seconds']:.1f}", f"{count:,} documents and headings"))
    for name, value, note in rows:
        print(f"{name:<40}{value:>16}   {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
