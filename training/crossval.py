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

from classifier.engine import EAR99_MARGIN, Classifier
from classifier.result import Classification
from training.labelled import Example, labelled, realworld
from training.metrics import COLUMNS, graded, report
from training.train_ranker import _groups, train


def crossval(
    clf: Classifier, examples: list[Example], folds: int = 5, ear99_margins: tuple[float, ...] = (EAR99_MARGIN,)
) -> list[dict[str, object]]:
    groups = _groups(examples)
    rows: list[dict[str, object]] = []
    for fold, (train_q, test_q) in enumerate(GroupKFold(n_splits=folds).split(examples, groups=groups)):
        ranker, _ = train(clf, [examples[i] for i in train_q], folds=3)
        fold_clf = copy.copy(clf)
        fold_clf.ranker = ranker
        held_out = [examples[i] for i in test_q]
        for margin in ear99_margins:
            fold_clf.ear99_margin = margin
            results = fold_clf.classify_many([e.text for e in held_out], top_k=5)
            rows += [_row(fold, margin, example, result) for example, result in zip(held_out, results, strict=True)]
        print(f"fold {fold}: {len(held_out)} rows", file=sys.stderr)
    return rows


def _row(fold: int, margin: float, example: Example, result: Classification) -> dict[str, object]:
    first = result.suggestions[0]
    return {
        "fold": fold,
        "ear99_margin": margin,
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.crossval", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write one JSON line per row here")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument(
        "--ear99-margins",
        default=str(EAR99_MARGIN),
        help="comma-separated margins by which EAR99 must beat the first entry to come first (one report each)",
    )
    args = parser.parse_args(argv)
    margins = tuple(float(m) for m in args.ear99_margins.split(","))
    clf = Classifier.load()
    examples = realworld("train") + labelled("train")
    all_rows = crossval(clf, examples, args.folds, margins)
    if args.out:
        args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in all_rows), encoding="utf-8")
    print(f"{'rows':<24}" + "".join(f"{c:>18}" for c in COLUMNS))
    for margin in margins:
        rows = [r for r in all_rows if r["ear99_margin"] == margin]
        for name, keep in (("real-world", lambda r: bool(r["family"])), ("authored", lambda r: not r["family"])):
            chosen = [r for r in rows if keep(r)]
            rep = report(
                [str(r["gold"]) for r in chosen],
                [list(cast(list[str], r["ranked"])) for r in chosen],
                [float(cast(float, r["confidence"])) for r in chosen],
            )
            print(f"{f'{name}, margin {margin:g}':<24}" + "".join(f"{v:>18}" for v in rep.row()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
