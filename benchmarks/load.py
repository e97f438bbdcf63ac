"""Load test of the page: ``python -m benchmarks.load [--clients 20 --seconds 60]``.

Starts ``app.py`` on 127.0.0.1 (a free port; loopback only), drives N concurrent API clients calling
``/classify`` with a mix of ordinary, empty and hostile descriptions for the given time, and prints
requests, failures (an exception, or a missing answer), latency percentiles and the server's resident
memory before and after. The test suite runs a few seconds of the same driver (``tests/test_load.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# what a mixed crowd sends: ordinary products, an empty one, and the hostile inputs of issue 14
REQUESTS: list[dict[str, Any]] = [
    {"description": "Dual-band Wi-Fi 6 home router with WPA3, sold in electronics stores"},
    {"description": "Uncooled thermal imaging camera core, 640x512, 30 Hz", "destination": "China"},
    {"description": "Ceramic coffee mug", "destination": "Germany"},
    {"description": "rocket, payload 5 x 10^100000000 kg"},
    {"description": "\u200b\u200b\u200b"},
    {"description": "VPN gateway, IPsec AES-256", "destination": "<img src=x onerror=alert(1)>"},
    {"description": "Garden hose", "top_k": "abc"},
    {"description": "Hydraulic pump " * 1000},
]


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def report(self) -> dict[str, Any]:
        ordered = sorted(self.latencies)

        def pct(p: float) -> float:
            return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))], 3) if ordered else 0.0

        return {
            "requests": len(ordered) + len(self.failures),
            "failures": len(self.failures),
            "first_failures": self.failures[:3],
            "p50_s": pct(0.50),
            "p99_s": pct(0.99),
            "max_s": round(ordered[-1], 3) if ordered else 0.0,
            "mean_s": round(statistics.fmean(ordered), 3) if ordered else 0.0,
        }


def _client_loop(url: str, deadline: float, offset: int, stats: Stats) -> None:
    from gradio_client import Client

    client = Client(url, verbose=False)
    i = offset
    while time.time() < deadline:
        request = REQUESTS[i % len(REQUESTS)]
        i += 1
        started = time.perf_counter()
        try:
            answer = client.predict(**request, api_name="/classify")
            ok = isinstance(answer, dict) and ("suggestions" in answer or "error" in answer)
            problem = "" if ok else f"unexpected answer {str(answer)[:100]}"
        except Exception as err:  # a failed request is what this test counts
            problem = f"{type(err).__name__}: {str(err)[:200]}"
        elapsed = time.perf_counter() - started
        with stats.lock:
            if problem:
                stats.failures.append(problem)
            else:
                stats.latencies.append(elapsed)


def drive(url: str, clients: int, seconds: float) -> dict[str, Any]:
    """Run ``clients`` concurrent API clients against ``url`` for ``seconds``; the report of what happened."""
    stats = Stats()
    deadline = time.time() + seconds
    threads = [threading.Thread(target=_client_loop, args=(url, deadline, n, stats)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    return {"clients": clients, "seconds": seconds, **stats.report()}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def start_app(port: int, timeout: float = 600) -> subprocess.Popen[str]:
    env = {**os.environ, "GRADIO_SERVER_NAME": "127.0.0.1", "GRADIO_SERVER_PORT": str(port)}
    env["GRADIO_ANALYTICS_ENABLED"] = "False"
    proc = subprocess.Popen(
        [sys.executable, "app.py"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True
    )
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"app.py exited with {proc.returncode}") from None
            time.sleep(1)
    proc.kill()
    raise RuntimeError(f"app.py did not start within {timeout:.0f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args(argv)
    port = free_port()
    proc = start_app(port)
    try:
        before = rss_mb(proc.pid)
        report = drive(f"http://127.0.0.1:{port}/", args.clients, args.seconds)
        report |= {"server_rss_mb_before": before, "server_rss_mb_after": rss_mb(proc.pid)}
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print(json.dumps(report, indent=1))
    return 0 if report["failures"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
