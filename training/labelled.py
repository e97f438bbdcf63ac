"""The labelled descriptions and the real-world test sets, read the same way for training and evaluation."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from classifier.eccn import ECCN

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Example:
    id: str
    text: str
    gold: str  # normalized ECCN or EAR99
    split: str
    rationale: str = ""


def labelled(split: str | None = None) -> list[Example]:
    """The project's labelled set (``training/data/labelled.csv``); ``split`` = "train" or "test"."""
    with (DATA / "labelled.csv").open(encoding="utf-8", newline="") as fh:
        rows = [
            Example(r["id"], r["description"], ECCN.normalize(r["eccn"]), r["split"], r["rationale"])
            for r in csv.DictReader(fh)
        ]
    return [r for r in rows if split is None or r.split == split]


def advantech() -> list[Example]:
    """54 Advantech EKI products with the maker's declared US ECCN (real-world, self-declared labels)."""
    path = DATA / "advantech-eki-eccn-labels" / "advantech_eki_products_eccn.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            Example(r["mpn"], r["description"], ECCN.normalize(r["us_eccn"]), "advantech")
            for r in csv.DictReader(fh)
            if r["us_eccn"].strip()
        ]


def caddy_drone_parts() -> list[Example]:
    """9 drone components with declared ECCNs (a smoke test; the upstream calls them planning assertions)."""
    path = DATA / "caddy-drone-parts-declared-eccn" / "drone_parts_declared_eccn.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            Example(r["mpn"], r["description"], ECCN.normalize(r["declared_eccn"]), "caddy") for r in csv.DictReader(fh)
        ]
