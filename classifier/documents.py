"""Retrieval units: what the retrievers search and what a suggestion points to.

One document per CCL paragraph that says something (reserved paragraphs are left out), written as
the paragraph, then its ancestors nearest first, then the ECCN heading, then its notes, so the words
that decide a match come before the encoder's length limit. ECCNs whose items are their heading get
one entry-level document, and every MTCR Annex item gets one too, so a missile description also finds
its MTCR item.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from typing import Any

from classifier.corpus import Corpus

NOTE_CHARS = 600
REFERENCE_CHARS = 300


@dataclass(frozen=True)
class Document:
    id: str  # paragraph id, ECCN, or "MTCR 2.c"
    eccn: str  # the ECCN head the document belongs to ("" for MTCR items)
    kind: str  # "paragraph", "entry" or "mtcr"
    text: str  # what the retrievers read
    paragraph: str  # the regulation text to show a person
    heading: str
    depth: int
    leaf: bool
    reserved: bool = False
    subject_to_itar: bool = False


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _notes_text(notes: list[dict[str, str]]) -> str:
    joined = " ".join(f"{n['heading']}: {n['text']}" for n in notes if n["text"] and n["heading"] != "Table")
    return joined[:NOTE_CHARS]


def _referenced_text(corpus: Corpus, pid: str) -> str:
    """The text of the paragraphs a paragraph points to ("controlled by 6A002.a.3.f"), so that the item it
    describes by reference ("a microbolometer focal plane array") can be found by its own words."""
    conditions = corpus.conditions.paragraphs.get(pid, {}).get("conditions", [])
    targets = [c["target"] for c in conditions if c["type"] == "reference"]
    return " ".join(corpus.conditions.text(t) for t in targets)[:REFERENCE_CHARS]


def _paragraph_documents(corpus: Corpus, entry: dict[str, Any]) -> list[Document]:
    docs = []
    paragraphs = {p["id"]: p for p in entry["paragraphs"]}
    parents = {pid.rsplit(".", 1)[0] for pid in paragraphs}
    for para in entry["paragraphs"]:
        if para["reserved"]:
            continue
        parts = para["id"].split(".")
        ancestors = [
            paragraphs[".".join(parts[:i])]["text"]
            for i in range(len(parts) - 1, 1, -1)
            if ".".join(parts[:i]) in paragraphs
        ]
        tables = " ".join(n["text"] for n in para["notes"] if n["heading"] == "Table")[:NOTE_CHARS]
        referenced = _referenced_text(corpus, para["id"])
        text = " | ".join(
            t
            for t in (para["text"], referenced, tables, *ancestors, entry["heading"], _notes_text(para["notes"]))
            if t
        )
        docs.append(
            Document(
                id=para["id"],
                eccn=entry["eccn"],
                kind="paragraph",
                text=_clean(text),
                paragraph=para["text"],
                heading=entry["heading"],
                depth=len(parts) - 1,
                leaf=para["id"] not in parents,
                subject_to_itar=bool(para["subject_to_itar"] or entry["subject_to_itar"]),
            )
        )
    return docs


def build_documents(corpus: Corpus) -> list[Document]:
    docs: list[Document] = []
    for entry in corpus.ccl["entries"]:
        paragraph_docs = _paragraph_documents(corpus, entry)
        if not paragraph_docs:
            notes = _notes_text(entry["technical_notes"] + entry["notes"])
            text = " | ".join(t for t in (entry["heading"], entry["items_text"], notes) if t)
            docs.append(
                Document(
                    id=entry["eccn"],
                    eccn=entry["eccn"],
                    kind="entry",
                    text=_clean(text),
                    paragraph=entry["heading"],
                    heading=entry["heading"],
                    depth=0,
                    leaf=True,
                    reserved="[Reserved]" in entry["heading"],
                    subject_to_itar=entry["subject_to_itar"],
                )
            )
        docs.extend(paragraph_docs)
    for item in corpus.mtcr_annex["items"]:
        if not item["text"]:
            continue
        docs.append(
            Document(
                id=f"MTCR {item['id']}",
                eccn="",
                kind="mtcr",
                text=_clean(f"{item['text']} | MTCR Annex Item {item['item']}"),
                paragraph=item["text"],
                heading=f"MTCR Annex {item['annex_reference']} (Category {item['category']})",
                depth=item["id"].count("."),
                leaf=True,
                subject_to_itar="121.1" in item["text"],
            )
        )
    return docs


def documents_fingerprint(docs: list[Document]) -> str:
    """A hash of every document, so an index built from other documents is seen as stale."""
    digest = hashlib.sha256()
    for doc in docs:
        digest.update(json.dumps(asdict(doc), sort_keys=True).encode())
    return digest.hexdigest()
