"""The saved index knows what built it and is never served stale."""

from __future__ import annotations

from pathlib import Path

import pytest

from classifier.dense import DenseIndex, Encoder, StaleIndex
from tests.index_helpers import entry_docs


def test_an_index_is_saved_with_its_metadata_and_reloaded(tmp_path: Path, encoder: Encoder) -> None:
    small = entry_docs(["night vision goggles", "hydraulic pump", "encryption appliance"])
    built = DenseIndex.open(tmp_path, small, encoder, "corpus-1")
    assert built.metadata["model_hash"] == encoder.fingerprint and built.metadata["dimension"] == 384
    assert {"faiss", "sentence_transformers", "torch"} <= set(built.metadata["versions"])
    reloaded = DenseIndex.open(tmp_path, small, encoder, "corpus-1")
    assert reloaded.metadata["built_at"] == built.metadata["built_at"]
    scores, positions = reloaded.search(encoder.encode(["VPN encryptor"]), 1)
    assert positions[0][0] == 2


def test_a_corpus_change_makes_the_index_stale_and_it_is_rebuilt(tmp_path: Path, encoder: Encoder) -> None:
    small = entry_docs(["night vision goggles", "hydraulic pump"])
    DenseIndex.open(tmp_path, small, encoder, "corpus-1")
    with pytest.raises(StaleIndex, match="corpus_manifest_hash"):
        DenseIndex.load(tmp_path, {"corpus_manifest_hash": "corpus-2"})
    rebuilt = DenseIndex.open(tmp_path, small, encoder, "corpus-2")
    assert rebuilt.metadata["corpus_manifest_hash"] == "corpus-2"


def test_changed_documents_make_the_index_stale(tmp_path: Path, encoder: Encoder) -> None:
    DenseIndex.open(tmp_path, entry_docs(["a", "b"]), encoder, "c")
    rebuilt = DenseIndex.open(tmp_path, entry_docs(["a", "b", "c"]), encoder, "c")
    assert rebuilt.metadata["count"] == 3


def test_a_folder_that_is_not_a_model_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="not a sentence-transformers model"):
        Encoder(str(tmp_path))
