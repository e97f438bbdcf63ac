"""Speed and memory benchmark: ``python -m training.benchmark [--n 512]``.

Prints numbers and ratios measured in one run against baselines taken in the same run:
- batch throughput: ``classify_many`` vs raw ``model.encode`` on the same texts, best of interleaved
  rounds (target ≥ 80 %);
- single ``classify`` median vs the median of one ``encode`` call (target ≤ 2 × encode + 10 ms);
- import to first answer with a built index, in a fresh process (target ≤ 10 s);
- peak resident memory of that process (target ≤ 1.5 GB).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.benchmark", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=512, help="texts in the batch measurement")
    parser.add_argument("--repeats", type=int, default=50, help="single-text measurements")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved batch measurements (best of)")
    args = parser.parse_args(argv)

    from classifier.engine import Classifier

    clf = Classifier.load()
    base = [e.text for e in labelled()]
    texts = (base * (args.n // len(base) + 1))[: args.n]
    clf.classify_many(texts[:16])  # warm up
    clf.encoder.encode(texts[:16])

    encode_runs, batch_runs = [], []
    for _ in range(args.rounds):  # interleaved, best of each: the machine's noise hits both alike
        t = time.perf_counter()
        clf.encoder.encode(texts)
        encode_runs.append(time.perf_counter() - t)
        t = time.perf_counter()
        clf.classify_many(texts)
        batch_runs.append(time.perf_counter() - t)
    encode_s, batch_s = min(encode_runs), min(batch_runs)

    singles, encodes = [], []
    for text in texts[: args.repeats]:
        t = time.perf_counter()
        clf.encoder.encode([text])
        encodes.append(time.perf_counter() - t)
        t = time.perf_counter()
        clf.classify(text)
        singles.append(time.perf_counter() - t)
    encode_ms, single_ms = statistics.median(encodes) * 1000, statistics.median(singles) * 1000

    limit_ms = 2 * encode_ms + 10
    fresh = subprocess.run([sys.executable, "-c", FIRST_ANSWER], capture_output=True, text=True, check=True)
    first = json.loads(fresh.stdout.strip().splitlines()[-1])

    rows = [
        ("raw encode throughput (texts/s)", f"{args.n / encode_s:.1f}", ""),
        (
            "classify_many throughput (texts/s)",
            f"{args.n / batch_s:.1f}",
            f"{encode_s / batch_s:.0%} of raw encode (target ≥ 80%)",
        ),
        ("median encode of one text (ms)", f"{encode_ms:.1f}", ""),
        (
            "median classify of one text (ms)",
            f"{single_ms:.1f}",
            f"limit 2×encode+10 = {limit_ms:.1f} ms ({'met' if single_ms <= limit_ms else 'NOT met'})",
        ),
        ("import to first answer (s)", f"{first['seconds']:.2f}", "target ≤ 10 s"),
        ("peak resident memory (MB)", f"{first['max_rss_mb']:.0f}", "target ≤ 1536 MB"),
    ]
    for name, value, note in rows:
        print(f"{name:<38}{value:>10}   {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
