"""Train the ranker: ``python -m training.train_ranker``.

For every training description the retrievers propose candidates; each candidate is labelled 1 when
its ECCN entry is the gold entry. A gradient-boosted classifier learns to score them. Five-fold
cross-validation by description gives honest scores for calibration (isotonic, top answer's score →
probability it is right) and for the EAR99 threshold (the confidence below which EAR99 is the better
answer, chosen to maximise the graded score). The final model is fitted on all training rows and
saved to ``models/ranker.joblib`` with a card (``models/ranker_card.json`` and ``.md``).
"""

from __future__ import annotations

import argparse
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

from classifier.decide import held_back
from classifier.dense import DEFAULT_INDEX_DIR
from classifier.eccn import ECCN
from classifier.engine import RANKED, Classifier, Scored
from classifier.examples import ExampleMemory
from classifier.facts import read_facts
from classifier.features import FEATURE_NAMES, HEAD_FEATURE_NAMES
from classifier.rank import DEFAULT_PATH, RANKER_VERSION, Ranker, card_path, new_estimator, record_sha256
from training.labelled import Example, labelled, realworld
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
    head_w: list[float] = []
    para_y: list[float] = []
    para_w: list[float] = []
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
        head_w.extend([_weight(example)] * len(order))
        heads.extend(order)
        groups.extend([qi] * len(order))
        in_gold = [i for i, h in enumerate(doc_heads) if h == gold_head]
        labels = [float(exact(clf.index.docs[pool.eccn[i].doc].id, example.gold)) for i in in_gold]
        if 0 < sum(labels) < len(labels):  # only entries where the choice of paragraph matters
            para_x.append(doc_rows[in_gold])
            para_y.extend(labels)
            para_w.extend([_weight(example)] * len(labels))
    return {
        "X": np.concatenate(head_x),
        "y": np.asarray(head_y),
        "w": np.asarray(head_w),
        "groups": np.asarray(groups),
        "heads": heads,
        "paragraph_X": np.concatenate(para_x) if para_x else np.zeros((0, len(FEATURE_NAMES))),
        "paragraph_y": np.asarray(para_y),
        "paragraph_w": np.asarray(para_w),
    }


REALWORLD_WEIGHT = 1.0  # a real product weighs as much as an authored description (2.0 measured slightly worse in CV)


def _weight(example: Example) -> float:
    return REALWORLD_WEIGHT if example.family else 1.0


def _groups(examples: list[Example]) -> list[str]:
    """The unit of cross-validation: a product family for real-world rows, the row itself for authored ones."""
    return [f"family:{e.family}" if e.family else f"row:{e.id}" for e in examples]


def _leave_family_out(groups: list[str]) -> list[list[int]]:
    """For each row, the memory rows it must not see: itself and the rest of its family."""
    members: dict[str, list[int]] = {}
    for i, g in enumerate(groups):
        members.setdefault(g, []).append(i)
    return [members[g] for g in groups]


def first_answer(scored: Scored) -> tuple[str, float]:
    """The first ranked entry whose conditions let it come first (``decide.held_back``), with its score."""
    for head, score in scored.ranked:
        verdict = scored.verdicts.get(head)
        if verdict is None or not held_back(verdict, head):
            return head, score
    return "", 0.0


def train(clf: Classifier, examples: list[Example], folds: int = 5) -> tuple[Ranker, dict[str, Any]]:
    vectors = clf.encoder.encode([e.text for e in examples])
    memory = ExampleMemory(vectors, [e.gold for e in examples])
    golds = [e.gold for e in examples]
    groups = _groups(examples)
    unseen = _leave_family_out(groups)
    everything = dataset(clf, examples, vectors, memory.neighbours(vectors, exclude=unseen))
    oof: list[Scored | None] = [None] * len(examples)
    splitter = GroupKFold(n_splits=folds)
    for train_q, test_q in splitter.split(np.arange(len(examples)), groups=groups):
        fold_memory = memory.subset(train_q)
        fold_groups = [groups[i] for i in train_q]
        fold_train = dataset(
            clf,
            [examples[i] for i in train_q],
            vectors[train_q],
            fold_memory.neighbours(vectors[train_q], exclude=_leave_family_out(fold_groups)),
        )
        model = new_estimator().fit(fold_train["X"], fold_train["y"], sample_weight=fold_train["w"])
        paragraph_model = (
            new_estimator().fit(
                fold_train["paragraph_X"], fold_train["paragraph_y"], sample_weight=fold_train["paragraph_w"]
            )
            if len(set(fold_train["paragraph_y"].tolist())) > 1
            else None
        )
        fold_ranker = Ranker(model, paragraph_model, IsotonicRegression(), None, fold_memory)
        scored = clf.score_candidates(
            [read_facts(examples[i].text) for i in test_q],
            vectors[test_q],
            keep=RANKED,
            ranker=fold_ranker,
            neighbours=fold_memory.neighbours(vectors[test_q]),
        )
        for local, one in zip(test_q, scored, strict=True):
            oof[local] = one
    decided = [s for s in oof if s is not None]
    assert len(decided) == len(examples)
    tops = [first_answer(s) for s in decided]
    correct = [bool(h) and ECCN.parse(g).head == h for (h, _), g in zip(tops, golds, strict=True)]
    calibrator = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit([s for _, s in tops], correct)
    confidences = np.asarray(calibrator.predict([s for _, s in tops]))
    query_rows = np.stack([s.query_row for s in decided if s.query_row is not None])
    is_ear99 = np.asarray([g == "EAR99" for g in golds])
    ear99_model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000)).fit(query_rows, is_ear99)
    p_ear99 = cross_val_predict(
        make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000)),
        query_rows,
        is_ear99,
        cv=splitter,
        groups=groups,
        method="predict_proba",
    )[:, 1]
    answers = ["EAR99" if p > c else (h or "EAR99") for p, c, (h, _) in zip(p_ear99, confidences, tops, strict=True)]
    positives = {int(g) for y, g in zip(everything["y"], everything["groups"], strict=True) if y}
    recall_at_pool = len(positives) / max(1, sum(e.gold != "EAR99" for e in examples))
    realworld_rows = [i for i, e in enumerate(examples) if e.family]
    cv = {
        "folds": f"{folds}-fold GroupKFold by product family (real-world rows) or row (authored rows)",
        "cv_top1_head_accuracy_before_ear99": float(np.mean(correct)),
        "cv_mean_graded_head_level": float(np.mean([graded(a, g) for a, g in zip(answers, golds, strict=True)])),
        "cv_mean_graded_head_level_realworld": float(
            np.mean([graded(answers[i], golds[i]) for i in realworld_rows]) if realworld_rows else 0.0
        ),
        "cv_ear99_accuracy": float(
            np.mean([(a == "EAR99") == (g == "EAR99") for a, g in zip(answers, golds, strict=True)])
        ),
        "candidate_pool_head_recall": recall_at_pool,
    }
    model = new_estimator().fit(everything["X"], everything["y"], sample_weight=everything["w"])
    paragraph_model = (
        new_estimator().fit(
            everything["paragraph_X"], everything["paragraph_y"], sample_weight=everything["paragraph_w"]
        )
        if len(everything["paragraph_y"])
        else None
    )
    card = {
        "ranker_version": RANKER_VERSION,
        "estimator": "sklearn HistGradientBoostingClassifier (entries, paragraphs) + IsotonicRegression (first "
        "answer after the condition check) + LogisticRegression (EAR99, against the entries that may come first)",
        "features": list(HEAD_FEATURE_NAMES),
        "paragraph_training_rows": int(len(everything["paragraph_y"])),
        "training_examples": len(examples),
        "realworld_training_examples": len(realworld_rows),
        "training_families": len({e.family for e in examples if e.family}),
        "training_candidates": int(len(everything["y"])),
        "positive_candidates": int(everything["y"].sum()),
        "ear99_examples": sum(g == "EAR99" for g in golds),
        "ear99_decision": "EAR99 first when the EAR99 model's probability exceeds the confidence of the first "
        "entry whose deciding conditions let it come first",
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
        f"- Trained on: {card['training_examples']} labelled descriptions (train splits of "
        f"`training/data/labelled.csv` and of `training/data/realworld/` — {card['realworld_training_examples']} "
        f"real products from {card['training_families']} families; {card['ear99_examples']} EAR99), "
        f"{card['training_candidates']} candidates ({card['positive_candidates']} positive)\n"
        f"- Corpus edition: {card['corpus_edition']} (ccl.json sha256 {card['corpus_manifest_sha256'][:16]}…)\n"
        f"- Embedding model: {card['model_name']} (sha256 {card['model_hash'][:16]}…)\n"
        f"- EAR99 decision: {card['ear99_decision']}\n"
        f"- {cv['folds']}: top-1 entry accuracy {cv['cv_top1_head_accuracy_before_ear99']:.3f} before the "
        f"EAR99 decision; with it, mean graded score at entry level {cv['cv_mean_graded_head_level']:.3f} "
        f"({cv['cv_mean_graded_head_level_realworld']:.3f} on real-world rows) and EAR99 "
        f"yes/no accuracy {cv['cv_ear99_accuracy']:.3f}; the candidate pool holds the gold entry for "
        f"{cv['candidate_pool_head_recall']:.3f} of non-EAR99 descriptions\n"
        "- Held-out and real-world metrics: `python -m training.evaluate` (README table)\n"
        f"- Trained at: {card['trained_at']}\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.train_ranker", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--model-path", help="sentence-transformers folder (default: ECCN_MODEL_PATH or the packaged one)"
    )
    parser.add_argument("--index-dir", type=Path, default=DEFAULT_INDEX_DIR, help="search index folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_PATH, help="where to save the ranker (card beside it)")
    args = parser.parse_args(argv)
    clf = Classifier.unranked(index_dir=args.index_dir, model_path=args.model_path)
    ranker, card = train(clf, labelled("train") + realworld("train"))
    ranker.save(args.out)
    write_card(card, card_path(args.out))
    record_sha256(args.out)  # Ranker.load refuses a file whose bytes differ from these
    print(json.dumps({k: card[k] for k in ("training_examples", "cross_validation")}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
