"""What the rules do to the first answers: ``python -m training.rule_effect [--split train] [--show worse]``.

Classifies the real-world rows twice, with the rules and without (``classify_many(rules=False)``), and
counts the first answers the rules change, how many of those they make better or worse by the graded score,
and lists the changed rows (gold, with rules, without, the rules that fired, the description). Development
reads the *training* rows (the default); the test split is for ``training.evaluate`` only.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

from classifier.engine import Classifier
from training.labelled import realworld
from training.metrics import graded


@dataclass
class Change:
    gold: str
    with_rules: str
    without: str
    delta: float  # graded score with the rules minus without
    rules: list[str]
    text: str


def changes(clf: Classifier, split: str) -> list[Change]:
    examples = realworld(split)
    texts = [e.text for e in examples]
    with_rules = clf.classify_many(texts, top_k=5)
    without = clf.classify_many(texts, top_k=5, rules=False)
    rows = []
    for example, a, b in zip(examples, with_rules, without, strict=True):
        first, plain = a.suggestions[0].eccn, b.suggestions[0].eccn
        if first != plain:
            delta = graded(first, example.gold) - graded(plain, example.gold)
            fired = sorted({f.rule for f in a.findings if f.triggered})
            rows.append(Change(example.gold, first, plain, delta, fired, example.text))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.rule_effect", description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("train", "test"), default="train")
    parser.add_argument("--show", choices=("worse", "better", "all", "none"), default="worse")
    args = parser.parse_args(argv)
    rows = changes(Classifier.load(), args.split)
    better = sum(1 for r in rows if r.delta > 0)
    worse = sum(1 for r in rows if r.delta < 0)
    print(f"real-world {args.split} rows: the rules change {len(rows)} first answers: {better} better, {worse} worse")
    shown = {"worse": lambda r: r.delta < 0, "better": lambda r: r.delta > 0, "all": lambda r: True}
    keep = shown.get(args.show, lambda r: False)
    for r in rows:
        if keep(r):
            print(f"{r.gold:<14} {r.with_rules:<14} {r.without:<14} {','.join(r.rules):<30} {r.text[:90]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
