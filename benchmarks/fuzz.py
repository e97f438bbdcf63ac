"""Bounded fuzz run: ``python -m benchmarks.fuzz [--n 50000] [--seed 0]``.

Generates hostile inputs (exponent bombs, 20,000-digit numbers, NaN and infinity, control, zero-width and
lookalike characters, lone surrogates, 80 KB ids, wrong types) for each input class and feeds them to the
real entry points: the fact parser, the ECCN type and CCL lookup, de minimis, the license view, explicit
facts, the command line (in process, cheap verbs), whole descriptions through the classifier, and batch
rows. Every input must be either answered or refused with the documented error of its class; anything
else is a crash, and an input that takes longer than ``--hang-s`` is a hang. Prints one line per class
and exits 1 when any crash or hang was seen.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import random
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

HOSTILE = [
    "5 x 10^400 kg", "10^100000000", "5 × 10^−99999 km", "1" * 20_000, "9" * 400 + " kg", "1," * 3000, "nan", "inf",
    "-inf", "1e400", "\x00", "\u200b", "\ufeff", "\u202e", "\x1b[2J", "\x1b]0;x\x07", "\x9b", "\ud800", "\udcff",
    "а", "о", "е", "Α", "🚀", "<img src=x onerror=alert(1)>", "=cmd|' /C calc'!A0", "'", '"', "\\", "\n", "\r\n",
    "\t", " ", "..", "5A002", "5a002a1", "EAR99", "EAR 99", "3A001.a.5.b.2", ".a" * 50, "payload", "range",
    "300 nm", "AES-256", "RSA-99999", "150 WT", "-5 kg", "0 kg", "500 kg", "1,000 km", "x", "×", "^", "−",
]  # fmt: skip
COUNTRIES = ["Germany", "China", "Iran", "Cuba", "DE", "cn", "Atlantis", "", " ", "Germany" * 5000]


def hostile_text(rng: random.Random, max_pieces: int = 12) -> str:
    pieces = [rng.choice(HOSTILE) if rng.random() < 0.7 else chr(rng.randrange(0, 0x3000)) for _ in range(max_pieces)]
    text = "".join(rng.sample(pieces, rng.randint(0, len(pieces))))
    if rng.random() < 0.02:
        text *= rng.randint(100, 5000)
    return text


def hostile_value(rng: random.Random) -> Any:
    return rng.choice(
        [
            float("nan"), float("inf"), -float("inf"), 1e308, -1.0, 0, 10, 25.5, 10**30, "12", "nan", "abc", "",
            [1], {"a": 1}, True, None, hostile_text(rng, 3),
        ]
    )  # fmt: skip


class Hang(Exception):
    pass


@dataclass
class Tally:
    tried: int = 0
    answered: int = 0
    refused: int = 0
    crashes: list[str] = field(default_factory=list)
    hangs: list[str] = field(default_factory=list)
    slowest_s: float = 0.0


def _alarm(signum: int, frame: Any) -> None:
    raise Hang


def attempt(
    tally: Tally, refusals: tuple[type[BaseException], ...], call: Callable[[], Any], shown: str, hang_s: float
) -> None:
    tally.tried += 1
    signal.setitimer(signal.ITIMER_REAL, hang_s * 5)  # a hard stop well past the hang threshold
    started = time.perf_counter()
    try:
        call()
        tally.answered += 1
    except refusals:
        tally.refused += 1
    except Hang:
        tally.hangs.append(shown)
    except Exception as err:  # what the run is looking for
        tally.crashes.append(f"{type(err).__name__}: {str(err)[:120]} <- {shown}")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    elapsed = time.perf_counter() - started
    tally.slowest_s = max(tally.slowest_s, elapsed)
    if elapsed > hang_s and shown not in tally.hangs:
        tally.hangs.append(f"{elapsed:.1f} s <- {shown}")


def run(n: int, seed: int, hang_s: float, with_classifier: bool) -> dict[str, Tally]:
    from classifier import cli
    from classifier.corpus import Corpus, UnknownId
    from classifier.countries import UnknownCountry
    from classifier.eccn import InvalidECCN
    from classifier.engine import check_text
    from classifier.facts import read_facts
    from classifier.inputs import InputError, check_facts
    from classifier.rules.de_minimis import DeMinimisInputError, decide
    from classifier.rules.license import license_view

    rng = random.Random(seed)
    corpus = Corpus()
    corpus.verify()
    signal.signal(signal.SIGALRM, _alarm)
    # the classes through the model are the slow ones (about 0.1-0.5 s a description on 2 cores)
    share = {"facts": 0.32, "eccn": 0.32, "de_minimis": 0.1, "license": 0.1, "explicit_facts": 0.1, "cli": 0.04}
    share |= {"descriptions": 0.01, "batch_rows": 0.01}
    tallies = {name: Tally() for name in share}
    count = {name: max(1, int(n * weight)) for name, weight in share.items()}

    for _ in range(count["facts"]):  # as the engine reads them: checked (length, invisible characters) first
        text = hostile_text(rng)
        read = partial(_read_checked, read_facts, check_text, text)
        attempt(tallies["facts"], (InputError,), read, repr(text[:80]), hang_s)
    for _ in range(count["eccn"]):
        text = hostile_text(rng, 4)
        attempt(tallies["eccn"], (InvalidECCN, UnknownId), partial(corpus.lookup, text), repr(text[:80]), hang_s)
    for _ in range(count["de_minimis"]):
        values = (hostile_value(rng), hostile_value(rng), rng.choice(COUNTRIES), [hostile_text(rng, 2)])
        attempt(
            tallies["de_minimis"],
            (DeMinimisInputError, UnknownCountry, InvalidECCN),
            partial(decide, corpus, *values),
            repr(values)[:80],
            hang_s,
        )
    for _ in range(count["license"]):
        pair = (hostile_text(rng, 3), rng.choice([*COUNTRIES, hostile_text(rng, 3)]))
        attempt(
            tallies["license"],
            (UnknownId, UnknownCountry, InvalidECCN),
            partial(license_view, corpus, *pair),
            repr(pair)[:80],
            hang_s,
        )
    names = ["total_value", "us_content_value", "payload_kg", "range_km", "destination", "us_content_eccns"]
    for _ in range(count["explicit_facts"]):
        facts = {rng.choice(names): hostile_value(rng) for _ in range(3)}
        attempt(tallies["explicit_facts"], (InputError,), partial(check_facts, facts), repr(facts)[:80], hang_s)
    verbs = [["show", "ID"], ["show", "ID", "--json"], ["license", "ID", "--destination", "C"]]
    verbs += [["de-minimis", "--total-value", "V", "--us-content-value", "V", "--destination", "C"]]
    for _ in range(count["cli"]):
        argv = [
            hostile_text(rng, 3) if a == "ID" else str(hostile_value(rng)) if a == "V" else a
            for a in rng.choice(verbs)
        ]
        argv = [rng.choice(COUNTRIES) if a == "C" else a for a in argv]
        attempt(tallies["cli"], (), partial(_cli, cli.main, argv), repr(argv)[:80], hang_s)
    if with_classifier:
        _classifier_classes(rng, count, tallies, hang_s)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    return tallies


def _read_checked(read: Callable[[str], Any], check: Callable[[str], tuple[str, list[str]]], text: str) -> Any:
    return read(check(text)[0])


def _cli(main: Callable[[list[str]], int], argv: list[str]) -> None:
    """One in-process CLI call; any exit code from 0 to 3 is a documented outcome, anything else a crash."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exit_:  # argparse's usage errors
            code = int(exit_.code or 0)
    if code not in (0, 1, 2, 3) or "Traceback" in err.getvalue():
        raise RuntimeError(f"exit {code}: {err.getvalue()[-200:]}")
    if "\x1b" in out.getvalue() + err.getvalue():
        raise RuntimeError("an escape sequence reached the terminal")


def _classifier_classes(rng: random.Random, count: dict[str, int], tallies: dict[str, Tally], hang_s: float) -> None:
    from classifier.batch import run_batch
    from classifier.engine import Classifier, InputError

    clf = Classifier.load()
    for _ in range(count["descriptions"]):
        text = rng.choice(["Wi-Fi router ", "rocket ", "mug ", ""]) + hostile_text(rng)
        attempt(tallies["descriptions"], (InputError,), partial(clf.classify, text), repr(text[:80]), hang_s)
    tally = tallies["batch_rows"]
    with tempfile.TemporaryDirectory() as folder:
        src = Path(folder) / "in.jsonl"
        rows = [
            {
                "id": i,
                "description": rng.choice([hostile_text(rng), hostile_value(rng)]),
                "total_value": hostile_value(rng),
            }
            for i in range(count["batch_rows"])
        ]
        with src.open("w", encoding="utf-8", errors="surrogatepass") as fh:
            for row in rows:
                fh.write(json.dumps(row) + "\n")
        started = time.perf_counter()
        try:
            summary = run_batch(clf, src, Path(folder) / "out.jsonl", progress=None)
            out = [json.loads(line) for line in (Path(folder) / "out.jsonl").read_text().splitlines()]
            ids = [r.get("id") for r in out]
            if ids != list(range(len(rows))):
                tally.crashes.append(f"rows lost or reordered: {len(out)} of {len(rows)} came back")
            tally.tried, tally.refused = len(rows), summary.errors
            tally.answered = len(rows) - summary.errors
        except Exception as err:  # the whole batch failing is the crash this class looks for
            tally.tried = len(rows)
            tally.crashes.append(f"batch failed: {type(err).__name__}: {err}")
        tally.slowest_s = time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fuzz", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50_000, help="inputs in all (default 50,000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--hang-s", type=float, default=5.0, help="an input taking longer is a hang (default 5)")
    parser.add_argument("--no-classifier", action="store_true", help="skip the classes that load the model")
    args = parser.parse_args(argv)
    started = time.time()
    tallies = run(args.n, args.seed, args.hang_s, not args.no_classifier)
    print(f"{'class':<16}{'tried':>8}{'answered':>10}{'refused':>9}{'crashes':>9}{'hangs':>7}{'slowest s':>11}")
    for name, t in tallies.items():
        print(
            f"{name:<16}{t.tried:>8}{t.answered:>10}{t.refused:>9}{len(t.crashes):>9}{len(t.hangs):>7}"
            f"{t.slowest_s:>11.2f}"
        )
    crashes = sum(len(t.crashes) for t in tallies.values())
    hangs = sum(len(t.hangs) for t in tallies.values())
    print(f"total: {sum(t.tried for t in tallies.values())} inputs, {crashes} crashes, {hangs} hangs, "
          f"{time.time() - started:.0f} s")  # fmt: skip
    for name, t in tallies.items():
        for line in (t.crashes + t.hangs)[:5]:
            print(f"  {name}: {line}")
    return 1 if crashes or hangs else 0


if __name__ == "__main__":
    sys.exit(main())
