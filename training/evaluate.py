"""Evaluate the classifier and its baselines: ``python -m training.evaluate [--markdown]``.

For every test set (the held-out split of the labelled data, the Advantech products, the drone
parts) it prints top-1 exact, top-1 head, top-1 graded, top-5 head recall, MRR, EAR99 precision and
recall and expected calibration error, for the full classifier and, in the same run, for three
baselines that rank ECCN entries by their best document: BM25 only, dense only, and the two fused by
reciprocal rank without the ranker. Each baseline answers EAR99 below a score threshold tuned on the
training split (so every row competes on the same terms).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

from classifier.dense import DEFAULT_INDEX_DIR
from classifier.engine import Classifier
from classifier.facts import read_facts
from classifier.rank import DEFAULT_PATH as RANKER_PATH
from classifier.retrieve import Candidate
from training.labelled import Example, advantech, caddy_drone_parts, labelled, realworld
from training.metrics import COLUMNS, Report, graded, report

Baseline = Callable[[Candidate], float]
BASELINES: dict[str, Baseline] = {
    "BM25 only": lambda c: c.lexical_score / c.lexical_max if c.lexical_max > 0 else 0.0,
    "dense only": lambda c: c.dense_score if c.dense_rank < 1000 else -1.0,
    "fused (RRF), no ranker": lambda c: c.fused,
}


def baseline_rankings(clf: Classifier, examples: list[Example], key: Baseline) -> list[tuple[list[str], float]]:
    """ECCN entries ordered by their best document under ``key``, with the top score."""
    vectors = clf.encoder.encode([e.text for e in examples])
    out = []
    for cands in clf.retriever.candidates([read_facts(e.text) for e in examples], vectors):
        best: dict[str, tuple[float, str]] = {}
        for c in cands:
            doc = clf.index.docs[c.doc]
            if doc.kind == "mtcr":
                continue
            score = key(c)
            if doc.eccn not in best or score > best[doc.eccn][0]:
                best[doc.eccn] = (score, doc.id)
        ordered = sorted(best.values(), key=lambda v: -v[0])
        out.append(([d for _, d in ordered] or ["EAR99"], ordered[0][0] if ordered else 0.0))
    return out


def tune_threshold(rankings: list[tuple[list[str], float]], golds: list[str]) -> float:
    """Score below which answering EAR99 maximises the mean graded score."""
    scores = np.asarray([s for _, s in rankings])
    grid = np.unique(np.quantile(scores, np.linspace(0, 1, 41))) if len(scores) else np.zeros(1)

    def mean_graded(t: float) -> float:
        return float(
            np.mean([graded("EAR99" if s < t else r[0], g) for (r, s), g in zip(rankings, golds, strict=True)])
        )

    return float(max(grid, key=mean_graded))


def baseline_report(rankings: list[tuple[list[str], float]], golds: list[str], threshold: float) -> Report:
    ranked = [(["EAR99", *r] if s < threshold else r) for r, s in rankings]
    spread = max((s for _, s in rankings), default=1.0) or 1.0
    confidences = [min(max(s / spread, 0.0), 1.0) for _, s in rankings]
    return report(golds, ranked, confidences)


def classifier_report(clf: Classifier, examples: list[Example], rules: bool = True) -> Report:
    results = clf.classify_many([e.text for e in examples], top_k=5, rules=rules)
    rankings = [[s.eccn for s in r.suggestions] for r in results]
    confidences = [r.suggestions[0].confidence for r in results]
    return report([e.gold for e in examples], rankings, confidences)


def evaluate(clf: Classifier) -> dict[str, dict[str, Report]]:
    train = labelled("train") + realworld("train")
    thresholds = {
        name: tune_threshold(baseline_rankings(clf, train, key), [e.gold for e in train])
        for name, key in BASELINES.items()
    }
    test_sets = {
        "real-world test split (unseen product families)": realworld("test"),
        "authored held-out split": labelled("test"),
        "Advantech EKI (real, self-declared)": advantech(),
        "drone parts (smoke test)": caddy_drone_parts(),
    }
    results: dict[str, dict[str, Report]] = {}
    for set_name, examples in test_sets.items():
        golds = [e.gold for e in examples]
        rows = {
            "classifier (ranker + rules)": classifier_report(clf, examples),
            "ranker without rules": classifier_report(clf, examples, rules=False),
        }
        for name, key in BASELINES.items():
            rows[name] = baseline_report(baseline_rankings(clf, examples, key), golds, thresholds[name])
        results[set_name] = rows
    return results


def render(results: dict[str, dict[str, Report]], markdown: bool) -> str:
    lines = []
    for set_name, rows in results.items():
        if markdown:
            lines += [
                f"**{set_name}**",
                "",
                "| system | " + " | ".join(COLUMNS) + " |",
                "|---|" + "---|" * len(COLUMNS),
            ]
            lines += [f"| {name} | " + " | ".join(rep.row()) + " |" for name, rep in rows.items()]
            lines.append("")
        else:
            lines.append(f"== {set_name}")
            lines.append(f"{'system':<26}" + "".join(f"{c:>18}" for c in COLUMNS))
            lines += [f"{name:<26}" + "".join(f"{v:>18}" for v in rep.row()) for name, rep in rows.items()]
            lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables (for the README)")
    parser.add_argument(
        "--model-path", help="sentence-transformers folder (default: ECCN_MODEL_PATH or the packaged one)"
    )
    parser.add_argument("--index-dir", type=Path, default=DEFAULT_INDEX_DIR, help="search index folder")
    parser.add_argument("--ranker", type=Path, default=RANKER_PATH, help="ranker file")
    args = parser.parse_args(argv)
    clf = Classifier.load(index_dir=args.index_dir, model_path=args.model_path, ranker_path=args.ranker)
    print(render(evaluate(clf), args.markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
