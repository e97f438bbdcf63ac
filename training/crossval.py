"""Cross-validate the whole classifier on the training data: ``python -m training.crossval [--out FILE]``.

Development happens here, never on the test split: the real-world and authored *training* rows are cut
into folds by product family; for each fold a ranker is trained on the other folds (``train_ranker.train``,
with its own inner cross-validation for calibration) and the full pipeline — ranker, condition check,
rules — classifies the held-out fold. It prints the same metrics as ``training.evaluate`` for the
real-world and authored rows, and ``--out`` writes one JSON line per row (gold, answer, confidence,
questions, the first checks) for error analysis.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path
from typing import cast

from sklearn.model_selection import GroupKFold

from classifier.engine import Classifier
from training.labelled import Example, labelled, realworld
from training.metrics import COLUMNS, graded, report
from training.train_ranker import _groups, train


def crossval(clf: Classifier, examples: list[Example], folds: int = 5) -> list[dict[str, object]]:
    groups = _groups(examples)
    rows: list[dict[str, object]] = []
    for fold, (train_q, test_q) in enumerate(GroupKFold(n_splits=folds).split(examples, groups=groups)):
        ranker, _ = train(clf, [examples[i] for i in train_q], folds=3)
        fold_clf = copy.copy(clf)
        fold_clf.ranker = ranker
        held_out = [examples[i] for i in test_q]
        for example, result in zip(held_out, fold_clf.classify_many([e.text for e in held_out], top_k=5), strict=True):
            first = result.suggestions[0]
            rows.append(
                {
                    "fold": fold,
                    "id": example.id,
                    "family": example.family,
                    "gold": example.gold,
                    "answer": first.eccn,
                    "confidence": first.confidence,
                    "graded": graded(first.eccn, example.gold),
                    "ranked": [s.eccn for s in result.suggestions],
                    "needs_answer": result.needs_answer,
                    "questions": [q.parameter for q in result.questions],
                    "checks": first.checks[:4],
                    "findings": [f.outcome for f in result.findings if f.triggered][:3],
                    "text": example.text,
                }
            )
        print(f"fold {fold}: {len(held_out)} rows", file=sys.stderr)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.crossval", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write one JSON line per row here")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    clf = Classifier.load()
    examples = realworld("train") + labelled("train")
    rows = crossval(clf, examples, args.folds)
    if args.out:
        args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{'rows':<12}" + "".join(f"{c:>18}" for c in COLUMNS))
    for name, keep in (("real-world", lambda r: bool(r["family"])), ("authored", lambda r: not r["family"])):
        chosen = [r for r in rows if keep(r)]
        rep = report(
            [str(r["gold"]) for r in chosen],
            [list(cast(list[str], r["ranked"])) for r in chosen],
            [float(cast(float, r["confidence"])) for r in chosen],
        )
        print(f"{name:<12}" + "".join(f"{v:>18}" for v in rep.row()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
