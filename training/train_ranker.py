"""Train the ranker: ``python -m training.train_ranker``.

For every training description the retrievers propose candidates; each candidate is labelled 1 when
its ECCN entry is the gold entry. A gradient-boosted classifier learns to score them. Five-fold
cross-validation by description gives honest scores for calibration (isotonic, top answer's score →
probability it is right) and for the EAR99 threshold (the confidence below which EAR99 is the better
answer, chosen to maximise the graded score). The final model is fitted on all training rows and
saved to ``models/ranker.joblib`` with a card (``models/ranker_card.json`` and ``.md``).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from classifier.eccn import ECCN
from classifier.engine import Classifier
from classifier.examples import ExampleMemory
from classifier.facts import read_facts
from classifier.features import FEATURE_NAMES, HEAD_FEATURE_NAMES, QUERY_FEATURE_NAMES, query_features
from classifier.rank import DEFAULT_PATH, RANKER_VERSION, Ranker, new_estimator, record_sha256
from training.labelled import Example, labelled
from training.metrics import exact, graded

MODELS = DEFAULT_PATH.parent


def dataset(
    clf: Classifier, examples: list[Example], vectors: np.ndarray, neighbours: list[list[tuple[str, float]]]
) -> dict[str, Any]:
    """Entry rows (one per candidate ECCN entry) and paragraph rows (one per candidate paragraph) with
    their labels, grouped by description."""
    facts = [read_facts(e.text) for e in examples]
    pools = clf.eccn_candidates(clf.retriever.candidates(facts, vectors, neighbours))
    batch = clf.features(facts, pools, vectors, neighbours)
    head_x: list[np.ndarray] = []
    para_x: list[np.ndarray] = []
    head_y: list[float] = []
    para_y: list[float] = []
    groups: list[int] = []
    heads: list[str] = []
    for qi, (example, pool) in enumerate(zip(examples, pools, strict=True)):
        gold_head = ECCN.parse(example.gold).head
        (a, b), (ea, eb) = batch.row_spans[qi], batch.entry_spans[qi]
        doc_rows = batch.rows[a:b]
        doc_heads = batch.doc_heads(qi)
        order = batch.heads(qi)
        head_x.append(batch.entry_rows[ea:eb])
        head_y.extend(float(h == gold_head) for h in order)
        heads.extend(order)
        groups.extend([qi] * len(order))
        in_gold = [i for i, h in enumerate(doc_heads) if h == gold_head]
        labels = [float(exact(clf.index.docs[pool.eccn[i].doc].id, example.gold)) for i in in_gold]
        if 0 < sum(labels) < len(labels):  # only entries where the choice of paragraph matters
            para_x.append(doc_rows[in_gold])
            para_y.extend(labels)
    return {
        "X": np.concatenate(head_x),
        "y": np.asarray(head_y),
        "groups": np.asarray(groups),
        "heads": heads,
        "paragraph_X": np.concatenate(para_x) if para_x else np.zeros((0, len(FEATURE_NAMES))),
        "paragraph_y": np.asarray(para_y),
    }


def top_answers(scores: np.ndarray, data: dict[str, Any], n_queries: int) -> list[tuple[str, float]]:
    """Best entry and its score for every description."""
    best: dict[int, tuple[str, float]] = {}
    for score, group, head in zip(scores, data["groups"], data["heads"], strict=True):
        if group not in best or score > best[group][1]:
            best[group] = (head, float(score))
    return [best.get(q, ("", 0.0)) for q in range(n_queries)]


def train(clf: Classifier, examples: list[Example], folds: int = 5) -> tuple[Ranker, dict[str, Any]]:
    vectors = clf.encoder.encode([e.text for e in examples])
    memory = ExampleMemory(vectors, [e.gold for e in examples])
    golds = [e.gold for e in examples]
    # every training query sees the memory without itself, as a new description will
    everything = dataset(clf, examples, vectors, memory.neighbours(vectors, exclude=list(range(len(examples)))))
    oof_tops: list[tuple[str, float]] = [("", 0.0)] * len(examples)
    oof_query = np.zeros((len(examples), len(QUERY_FEATURE_NAMES)), dtype=np.float32)
    query_ids = np.arange(len(examples))
    for train_q, test_q in GroupKFold(n_splits=folds).split(query_ids, groups=query_ids):
        fold_memory = memory.subset(train_q)
        fold_train = dataset(
            clf,
            [examples[i] for i in train_q],
            vectors[train_q],
            fold_memory.neighbours(vectors[train_q], exclude=list(range(len(train_q)))),
        )
        fold_test = dataset(
            clf, [examples[i] for i in test_q], vectors[test_q], fold_memory.neighbours(vectors[test_q])
        )
        model = new_estimator().fit(fold_train["X"], fold_train["y"])
        scores = model.predict_proba(fold_test["X"])[:, 1]
        for local, answer in enumerate(top_answers(scores, fold_test, len(test_q))):
            oof_tops[test_q[local]] = answer
        for local in range(len(test_q)):
            rows = fold_test["groups"] == local
            oof_query[test_q[local]] = query_features(scores[rows], fold_test["X"][rows])
    data = everything
    tops = oof_tops
    correct = [bool(h) and ECCN.parse(g).head == h for (h, _), g in zip(tops, golds, strict=True)]
    calibrator = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit([s for _, s in tops], correct)
    confidences = np.asarray(calibrator.predict([s for _, s in tops]))
    is_ear99 = np.asarray([g == "EAR99" for g in golds])
    ear99_model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000)).fit(oof_query, is_ear99)
    p_ear99 = cross_val_predict(
        make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000)),
        oof_query,
        is_ear99,
        cv=folds,
        method="predict_proba",
    )[:, 1]
    answers = ["EAR99" if p > c else (h or "EAR99") for p, c, (h, _) in zip(p_ear99, confidences, tops, strict=True)]
    positives = {int(g) for y, g in zip(data["y"], data["groups"], strict=True) if y}
    recall_at_pool = len(positives) / max(1, sum(e.gold != "EAR99" for e in examples))
    cv = {
        "cv_top1_head_accuracy_before_ear99": float(np.mean(correct)),
        "cv_mean_graded_head_level": float(np.mean([graded(a, g) for a, g in zip(answers, golds, strict=True)])),
        "cv_ear99_accuracy": float(
            np.mean([(a == "EAR99") == (g == "EAR99") for a, g in zip(answers, golds, strict=True)])
        ),
        "candidate_pool_head_recall": recall_at_pool,
    }
    model = new_estimator().fit(data["X"], data["y"])
    paragraph_model = (
        new_estimator().fit(data["paragraph_X"], data["paragraph_y"]) if len(data["paragraph_y"]) else None
    )
    card = {
        "ranker_version": RANKER_VERSION,
        "estimator": "sklearn HistGradientBoostingClassifier (entries, paragraphs) + IsotonicRegression (top-1 "
        "calibration) + LogisticRegression (EAR99)",
        "features": list(HEAD_FEATURE_NAMES),
        "paragraph_training_rows": int(len(data["paragraph_y"])),
        "training_examples": len(examples),
        "training_candidates": int(len(data["y"])),
        "positive_candidates": int(data["y"].sum()),
        "ear99_examples": sum(g == "EAR99" for g in golds),
        "ear99_decision": "EAR99 first when the EAR99 model's probability exceeds the best entry's confidence",
        "corpus_edition": clf.corpus.edition,
        "corpus_manifest_sha256": clf.corpus.manifest["files"]["ccl.json"],
        "model_name": clf.encoder.name,
        "model_hash": clf.encoder.fingerprint,
        "trained_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "cross_validation": cv,
    }
    return Ranker(
        model, paragraph_model, calibrator, ear99_model, memory, HEAD_FEATURE_NAMES, FEATURE_NAMES, card
    ), card


def write_card(card: dict[str, Any], path: Path) -> None:
    path.with_suffix(".json").write_text(json.dumps(card, indent=1) + "\n")
    cv = card["cross_validation"]
    path.with_suffix(".md").write_text(
        "# Ranker card\n\n"
        f"- Estimator: {card['estimator']}\n"
        f"- Trained on: {card['training_examples']} labelled descriptions (train split of "
        f"`training/data/labelled.csv`, {card['ear99_examples']} EAR99), {card['training_candidates']} candidates "
        f"({card['positive_candidates']} positive)\n"
        f"- Corpus edition: {card['corpus_edition']} (ccl.json sha256 {card['corpus_manifest_sha256'][:16]}…)\n"
        f"- Embedding model: {card['model_name']} (sha256 {card['model_hash'][:16]}…)\n"
        f"- EAR99 decision: {card['ear99_decision']}\n"
        f"- 5-fold CV (by description): top-1 entry accuracy {cv['cv_top1_head_accuracy_before_ear99']:.3f} before the "
        f"EAR99 decision; with it, mean graded score at entry level {cv['cv_mean_graded_head_level']:.3f} and EAR99 "
        f"yes/no accuracy {cv['cv_ear99_accuracy']:.3f}; the candidate pool holds the gold entry for "
        f"{cv['candidate_pool_head_recall']:.3f} of non-EAR99 descriptions\n"
        "- Held-out and real-world metrics: `python -m training.evaluate` (README table)\n"
        f"- Trained at: {card['trained_at']}\n"
    )


def main() -> int:
    clf = Classifier.unranked()
    ranker, card = train(clf, labelled("train"))
    ranker.save(DEFAULT_PATH)
    write_card(card, MODELS / "ranker_card.json")
    record_sha256(DEFAULT_PATH)  # Ranker.load refuses a file whose bytes differ from these
    print(json.dumps({k: card[k] for k in ("training_examples", "cross_validation")}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
