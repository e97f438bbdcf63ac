"""Small search-index documents for the index tests (one entry-level document per text)."""

from __future__ import annotations

from classifier.documents import Document


def entry_docs(texts: list[str]) -> list[Document]:
    return [
        Document(id=f"0A00{i}", eccn=f"0A00{i}", kind="entry", text=t, paragraph=t, heading=t, depth=0, leaf=True)
        for i, t in enumerate(texts)
    ]
