"""Fine-tune the embedding model on (description, gold paragraph) pairs: ``python -m training.finetune_encoder``.

Product descriptions and regulation text are written in different languages; the nearest-paragraph search
improves when the encoder has seen how one maps onto the other. Pairs come from the training splits only
(the authored set and the real-world set, EAR99 rows left out); the loss is the in-batch contrastive loss of
sentence-transformers' MultipleNegativesRankingLoss, written out here so that no trainer package is needed.
Other descriptions of the same paragraph in a batch are not counted as negatives.

The model is saved under ``models/encoder-finetuned/`` with a card; use it with
``ECCN_MODEL_PATH=models/encoder-finetuned`` (the search index rebuilds itself for it) and retrain the ranker
(``python -m training.train_ranker --model-path models/encoder-finetuned``). It becomes the default only if
``training.evaluate`` shows it wins on the real-world test split.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

from classifier.corpus import Corpus
from classifier.dense import default_model_path
from classifier.documents import build_documents
from classifier.eccn import ECCN
from training.labelled import Example, labelled, realworld

OUT = Path(__file__).resolve().parent.parent / "models" / "encoder-finetuned"
SCALE = 20.0  # cosine similarities are multiplied by this before the softmax (MultipleNegativesRankingLoss)


def pairs(examples: list[Example], corpus: Corpus) -> list[tuple[str, str, str]]:
    """(description, paragraph document text, paragraph id) for every non-EAR99 example whose gold is in the CCL."""
    docs = {d.id: d for d in build_documents(corpus)}
    out = []
    for e in examples:
        if e.gold == "EAR99":
            continue
        gold = ECCN.parse(e.gold)
        doc = docs.get(str(gold))
        while doc is None and gold.path:  # a gold given below any document: use its nearest documented ancestor
            gold = gold.parent or ECCN.parse(gold.head)
            doc = docs.get(str(gold))
        if doc is None:
            doc = next((d for d in docs.values() if d.eccn == gold.head), None)
        if doc is not None:
            out.append((e.text, doc.text, doc.id))
    return out


def finetune(base: str, data: list[tuple[str, str, str]], epochs: int, batch_size: int, lr: float, seed: int) -> object:
    import torch
    from sentence_transformers import SentenceTransformer

    torch.manual_seed(seed)
    random.seed(seed)
    model = SentenceTransformer(base, device="cpu")
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    steps = 0
    for epoch in range(epochs):
        order = list(range(len(data)))
        random.shuffle(order)
        losses = []
        for start in range(0, len(order), batch_size):
            batch = [data[i] for i in order[start : start + batch_size]]
            if len(batch) < 2:
                continue
            queries = model(model.preprocess([b[0] for b in batch]))["sentence_embedding"]
            passages = model(model.preprocess([b[1] for b in batch]))["sentence_embedding"]
            queries = torch.nn.functional.normalize(queries, dim=-1)
            passages = torch.nn.functional.normalize(passages, dim=-1)
            scores = queries @ passages.T * SCALE
            ids = [b[2] for b in batch]
            same = torch.tensor([[a == b and i != j for j, b in enumerate(ids)] for i, a in enumerate(ids)])
            scores = scores.masked_fill(same, float("-inf"))  # another description of the same paragraph
            labels = torch.arange(len(batch))
            loss = torch.nn.functional.cross_entropy(scores, labels)
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            losses.append(float(loss.detach()))
            steps += 1
        print(f"epoch {epoch + 1}/{epochs}: mean loss {np.mean(losses):.4f} over {len(losses)} steps", file=sys.stderr)
    model.eval()
    return model


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.finetune_encoder", description=__doc__.splitlines()[0])
    parser.add_argument("--base", default=None, help="model to start from (default: the packaged all-MiniLM-L6-v2)")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=2e-5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    base = args.base or default_model_path()
    examples = labelled("train") + realworld("train")
    data = pairs(examples, Corpus())
    started = time.time()
    model = finetune(base, data, args.epochs, args.batch_size, args.lr, args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    model.save(str(args.out))  # type: ignore[attr-defined]
    card = {
        "base_model": str(base),
        "training_pairs": len(data),
        "training_examples": len(examples),
        "data": "train splits of training/data/labelled.csv and training/data/realworld/ (EAR99 rows left out)",
        "loss": f"in-batch contrastive (MultipleNegativesRankingLoss, scale {SCALE}), same-paragraph pairs masked",
        "epochs": args.epochs,
        "batch_size": args.batch_size,
        "learning_rate": args.lr,
        "seed": args.seed,
        "seconds": round(time.time() - started, 1),
        "trained_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    (args.out / "eccn_card.json").write_text(json.dumps(card, indent=1) + "\n")
    print(json.dumps(card, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
