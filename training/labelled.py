"""The labelled descriptions and the real-world test sets, read the same way for training and evaluation."""

from __future__ import annotations

import csv
import hashlib
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
    family: str = ""  # vendor and product family: the unit of the real-world train/test split
    source: str = ""  # "published" (with its address) or "reading"


TEST_FAMILY_SHARE = 5  # one family in five (by a hash of its name) is held out for testing


def family_split(family: str) -> str:
    """Whole product families go to one split, so no test family is ever seen in training."""
    digest = hashlib.sha1(family.strip().lower().encode("utf-8")).hexdigest()
    return "test" if int(digest, 16) % TEST_FAMILY_SHARE == 0 else "train"


def realworld(split: str | None = None) -> list[Example]:
    """Real products as their makers describe them (``training/data/realworld/*.csv``), split by family."""
    rows = []
    for path in sorted((DATA / "realworld").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                rows.append(
                    Example(
                        r["id"],
                        r["description"],
                        ECCN.normalize(r["eccn"]),
                        family_split(r["family"]),
                        r["deciding"],
                        r["family"],
                        r["source"] + (f" {r['source_url']}" if r.get("source_url") else ""),
                    )
                )
    return [r for r in rows if split is None or r.split == split]


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
