"""Every metric the README reports comes from here (one place, as in sentence-transformers' evaluators).

A prediction is a ranked list of ECCN strings (paragraph ids or "EAR99") with the top answer's
confidence. Exact: the answer is the gold id or lies under it (gold given at a coarser level).
Graded: exact 1.0, same ECCN head 0.7, same category and group 0.4, same category 0.2; EAR99 only
matches EAR99.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from classifier.eccn import ECCN


def exact(pred: str, gold: str) -> bool:
    p, g = ECCN.parse(pred), ECCN.parse(gold)
    if p.is_ear99 or g.is_ear99:
        return p.is_ear99 and g.is_ear99
    return p == g or p.is_descendant_of(g)


def same_head(pred: str, gold: str) -> bool:
    p, g = ECCN.parse(pred), ECCN.parse(gold)
    return p.head == g.head


def graded(pred: str, gold: str) -> float:
    p, g = ECCN.parse(pred), ECCN.parse(gold)
    if p.is_ear99 or g.is_ear99:
        return 1.0 if p.is_ear99 and g.is_ear99 else 0.0
    if exact(pred, gold):
        return 1.0
    if p.head == g.head:
        return 0.7
    if p.category == g.category and p.group == g.group:
        return 0.4
    if p.category == g.category:
        return 0.2
    return 0.0


def expected_calibration_error(confidences: list[float], correct: list[bool], bins: int = 10) -> float:
    """Mean |accuracy - confidence| over equal-width confidence bins, weighted by bin size."""
    conf = np.asarray(confidences, dtype=float)
    hit = np.asarray(correct, dtype=float)
    if conf.size == 0:
        return 0.0
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(conf, edges[1:-1]), 0, bins - 1)
    error = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            error += mask.mean() * abs(hit[mask].mean() - conf[mask].mean())
    return float(error)


@dataclass
class Report:
    n: int
    top1_exact: float
    top1_head: float
    top1_graded: float
    top5_head_recall: float
    mrr: float
    ear99_precision: float
    ear99_recall: float
    ece: float
    overconfident: float = 0.0  # share of items whose wrong first answer (wrong entry) shows confidence >= 0.8

    def row(self) -> list[str]:
        return [
            f"{self.n}",
            *(
                f"{v:.3f}"
                for v in (
                    self.top1_exact,
                    self.top1_head,
                    self.top1_graded,
                    self.top5_head_recall,
                    self.mrr,
                    self.ear99_precision,
                    self.ear99_recall,
                    self.ece,
                    self.overconfident,
                )
            ),
        ]


COLUMNS = [
    "n",
    "top-1 exact",
    "top-1 head",
    "top-1 graded",
    "top-5 head recall",
    "MRR",
    "EAR99 P",
    "EAR99 R",
    "ECE",
    "overconfident",
]
OVERCONFIDENT = 0.8


def report(golds: list[str], rankings: list[list[str]], confidences: list[float]) -> Report:
    """Metrics for ranked predictions (at least one answer each) against gold labels."""
    n = len(golds)
    top1 = [r[0] for r in rankings]
    heads = [[ECCN.parse(p).head for p in r] for r in rankings]
    gold_heads = [ECCN.parse(g).head for g in golds]
    rr = []
    for hs, g in zip(heads, gold_heads, strict=True):
        unique = list(dict.fromkeys(hs))
        rr.append(1.0 / (unique.index(g) + 1) if g in unique else 0.0)
    predicted_ear99 = [p == "EAR99" for p in top1]
    gold_ear99 = [g == "EAR99" for g in golds]
    tp = sum(p and g for p, g in zip(predicted_ear99, gold_ear99, strict=True))
    head_hits = [same_head(p, g) for p, g in zip(top1, golds, strict=True)]
    return Report(
        n=n,
        top1_exact=float(np.mean([exact(p, g) for p, g in zip(top1, golds, strict=True)])) if n else 0.0,
        top1_head=float(np.mean(head_hits)) if n else 0.0,
        top1_graded=float(np.mean([graded(p, g) for p, g in zip(top1, golds, strict=True)])) if n else 0.0,
        top5_head_recall=float(
            np.mean([g in list(dict.fromkeys(h))[:5] for h, g in zip(heads, gold_heads, strict=True)])
        )
        if n
        else 0.0,
        mrr=float(np.mean(rr)) if n else 0.0,
        ear99_precision=tp / sum(predicted_ear99) if sum(predicted_ear99) else 0.0,
        ear99_recall=tp / sum(gold_ear99) if sum(gold_ear99) else 0.0,
        ece=expected_calibration_error(confidences, head_hits),
        overconfident=float(
            np.mean([not hit and c >= OVERCONFIDENT for hit, c in zip(head_hits, confidences, strict=True)])
        )
        if n
        else 0.0,
    )
