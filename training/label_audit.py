"""How far the Advantech labels can be reached by reading the CCL: ``python -m training.label_audit``.

The Advantech set (``training/data/advantech-eki-eccn-labels``) holds a maker's self-declared ECCNs.
This script measures two things about it, so a score on it can be read for what it is:

1. **Label consistency.** Products are grouped by what the candidate entries decide on: the kind of
   product (Ethernet switch, media converter, extender, PoE injector or splitter) and whether it is
   managed. Operating temperature, power input, ATEX/IP ratings, connector (SC/ST), fibre mode and port
   count appear in no paragraph of 5A991, 5A992, 5A002 or 4A994 that could tell these products apart,
   and every data rate named (100 Mbit/s and up) is above all the 5A991.b.1/.c.10 limits (45/90 and
   33 Mbit/s). A classifier that reads the CCL gives one answer per group, so the best top-1 head
   accuracy any such classifier can reach is the share of the most common declared head per group.
2. **The maker's own decisions as past decisions.** Each product is classified with the maker's 53 other
   declared labels given as past decisions (``Classifier.with_decisions``, leave-one-out), which shows how
   much "classify the way this maker decided before" recovers.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict

import numpy as np

from classifier.decisions import Decision, DecisionSet
from classifier.eccn import ECCN
from classifier.engine import Classifier
from training.labelled import Example, advantech
from training.metrics import same_head

KINDS = (  # first match wins: "PoE injector" before "switch", "media converter" before "converter"
    ("PoE injector/splitter", re.compile(r"injector|splitter", re.I)),
    ("media converter", re.compile(r"media converter", re.I)),
    ("Ethernet extender", re.compile(r"extender", re.I)),
    ("Ethernet switch", re.compile(r"switch", re.I)),
)
MANAGED = re.compile(r"(?<!un)managed", re.I)
GIGABIT = re.compile(r"\d+\s*GE\b|\bgigabit\b|1000\s*Mbps|\+\s*\d*\s*G\b|\b1G\b|\bSFP\b", re.I)


def group_of(text: str, speed: bool = False) -> str:
    """The product kind and management, the attributes the candidate CCL entries decide on; with
    ``speed``, also whether any port is gigabit (a distinction the CCL does not make here)."""
    kind = next((name for name, pattern in KINDS if pattern.search(text)), "other")
    group = f"{kind}, {'managed' if MANAGED.search(text) else 'unmanaged'}"
    if speed:
        group += ", gigabit" if GIGABIT.search(text) else ", 100 Mbit/s only"
    return group


def consistency(examples: list[Example], speed: bool = False) -> tuple[list[tuple[str, Counter[str]]], float]:
    """Declared heads per group, and the best accuracy of one answer per group."""
    groups: dict[str, Counter[str]] = defaultdict(Counter)
    for e in examples:
        groups[group_of(e.text, speed)][ECCN.parse(e.gold).head] += 1
    ceiling = sum(c.most_common(1)[0][1] for c in groups.values()) / len(examples)
    return sorted(groups.items(), key=lambda g: -sum(g[1].values())), ceiling


def leave_one_out(clf: Classifier, examples: list[Example]) -> tuple[float, float]:
    """Top-1 head accuracy alone, and with the other examples given as past decisions (leave-one-out)."""
    texts = [e.text for e in examples]
    plain = [same_head(r.suggestions[0].eccn, e.gold) for r, e in zip(clf.classify_many(texts), examples, strict=True)]
    helped = []
    for i, e in enumerate(examples):
        others = tuple(Decision(o.text, o.gold, o.id) for j, o in enumerate(examples) if j != i)
        with_others = clf.with_decisions(DecisionSet(others, "the maker's other products", ""))
        helped.append(same_head(with_others.classify(e.text).suggestions[0].eccn, e.gold))
    return float(np.mean(plain)), float(np.mean(helped))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.label_audit", description=__doc__.splitlines()[0])
    parser.add_argument("--no-model", action="store_true", help="only the label consistency table (no classifier)")
    args = parser.parse_args(argv)
    examples = advantech()
    groups, ceiling = consistency(examples)
    print(f"Advantech EKI: {len(examples)} products, declared US ECCN heads per group\n")
    print(f"{'group':<36}{'n':>4}   declared heads")
    for name, heads in groups:
        spread = ", ".join(f"{h} {c}" for h, c in heads.most_common())
        print(f"{name:<36}{sum(heads.values()):>4}   {spread}")
    print(f"\nbest top-1 head accuracy with one answer per group (CCL-consistent ceiling): {ceiling:.3f}")
    _, split_ceiling = consistency(examples, speed=True)
    print(f"... if 100 Mbit/s and gigabit products could be told apart (the CCL does not): {split_ceiling:.3f}")
    if not args.no_model:
        plain, helped = leave_one_out(Classifier.load(), examples)
        print(f"classifier top-1 head accuracy: {plain:.3f}")
        print(f"... with the maker's 53 other declared labels as past decisions (leave-one-out): {helped:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
