"""Tampered or damaged data is refused with the command that rebuilds it, never used.

A country table with China's Country Chart marks emptied would answer "no license required" for 5A002 to
China; a crafted ranker file would run code as it is unpickled. Both must be stopped before use."""

from __future__ import annotations

import json
import pickle
import shutil
from pathlib import Path

import numpy as np
import pytest

from classifier.corpus import DEFAULT_DIR, Corpus, CorpusError
from classifier.dense import DenseIndex, Encoder
from classifier.integrity import IntegrityError, sha256_file
from classifier.rank import DEFAULT_PATH, Ranker, RankerError, card_path, record_sha256
from classifier.rules.license import license_view
from tests.index_helpers import entry_docs


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(DEFAULT_DIR, target, ignore=shutil.ignore_patterns("sources"))
    return target


def test_the_shipped_corpus_matches_its_manifest() -> None:
    Corpus().verify()


def test_a_country_table_with_chinas_marks_emptied_is_refused(corpus_copy: Path) -> None:
    path = corpus_copy / "countries.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["countries"]["China"]["marks"] = []
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CorpusError, match=r"countries.json does not match the sha256.*python -m training.build_corpus"):
        license_view(Corpus(corpus_copy), "5A002.a", "China")
    with pytest.raises(CorpusError, match="countries.json"):
        Corpus(corpus_copy).verify()


def test_a_corrupt_json_file_says_rebuild(corpus_copy: Path) -> None:
    (corpus_copy / "ccl.json").write_text("{ not json", encoding="utf-8")
    with pytest.raises(CorpusError, match="build_corpus"):
        _ = Corpus(corpus_copy).ccl


def test_a_changed_rule_table_and_an_unlisted_one_are_refused(corpus_copy: Path) -> None:
    table = corpus_copy / "rules" / "de_minimis.json"
    table.write_text(table.read_text(encoding="utf-8").replace('"percent": 25', '"percent": 95'), encoding="utf-8")
    with pytest.raises(CorpusError, match="de_minimis.json does not match"):
        Corpus(corpus_copy).rule_table("de_minimis")
    shutil.copy(DEFAULT_DIR / "rules" / "de_minimis.json", table)
    (corpus_copy / "rules" / "extra.json").write_text("{}", encoding="utf-8")
    with pytest.raises(CorpusError, match="extra.json has no sha256 recorded"):
        Corpus(corpus_copy).rule_table("de_minimis")


def test_a_manifest_without_hashes_is_refused(corpus_copy: Path) -> None:
    manifest = json.loads((corpus_copy / "MANIFEST.json").read_text(encoding="utf-8"))
    del manifest["files"]
    (corpus_copy / "MANIFEST.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(CorpusError, match="lists no file hashes"):
        _ = Corpus(corpus_copy).countries


# -- the ranker: nothing unpickled before its hash is checked -------------------------------------------
class _Exploit:
    """A pickle that writes a file when loaded (a stand-in for os.system)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Path.write_text, (self.marker, "ran"))


def test_a_crafted_ranker_file_is_refused_before_it_is_unpickled(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    model = tmp_path / "ranker.joblib"
    model.write_bytes(pickle.dumps(_Exploit(marker)))
    shutil.copy(card_path(DEFAULT_PATH), card_path(model))  # the real card: its sha256 is the real model's
    with pytest.raises(RankerError, match="does not match the sha256.*train_ranker"):
        Ranker.load(model)
    assert not marker.exists()


def test_a_ranker_without_a_recorded_hash_is_refused(tmp_path: Path) -> None:
    model = tmp_path / "ranker.joblib"
    shutil.copy(DEFAULT_PATH, model)
    card = json.loads(card_path(DEFAULT_PATH).read_text())
    del card["sha256"]
    card_path(model).write_text(json.dumps(card))
    with pytest.raises(RankerError, match="no sha256 recorded"):
        Ranker.load(model)


def test_training_records_the_hash_that_load_checks(tmp_path: Path) -> None:
    model = tmp_path / "ranker.joblib"
    shutil.copy(DEFAULT_PATH, model)
    assert record_sha256(model) == sha256_file(DEFAULT_PATH)
    assert Ranker.load(model).version == Ranker.load(DEFAULT_PATH).version


# -- the FAISS index: checked against its own metadata --------------------------------------------------
def test_a_damaged_faiss_file_is_refused_with_the_rebuild_command(tmp_path: Path, encoder: Encoder) -> None:
    docs = entry_docs(["night vision goggles", "hydraulic pump"])
    DenseIndex.open(tmp_path, docs, encoder, "c1")
    faiss_file = tmp_path / "dense.faiss"
    data = bytearray(faiss_file.read_bytes())
    data[-8:] = b"\x00" * 8
    faiss_file.write_bytes(bytes(data))
    with pytest.raises(IntegrityError, match=r"dense.faiss does not match.*build_index --force"):
        DenseIndex.open(tmp_path, docs, encoder, "c1")
    rebuilt = DenseIndex.open(tmp_path, docs, encoder, "c1", force=True)
    assert rebuilt.index.ntotal == 2


def test_an_index_whose_vectors_and_documents_disagree_is_refused(tmp_path: Path, encoder: Encoder) -> None:
    docs = entry_docs(["night vision goggles", "hydraulic pump"])
    DenseIndex.open(tmp_path, docs, encoder, "c1")
    meta = json.loads((tmp_path / "dense.json").read_text())
    meta["doc_ids"].append("0A009")
    (tmp_path / "dense.json").write_text(json.dumps(meta))
    with pytest.raises(IntegrityError, match="holds 2 vectors"):
        DenseIndex.load(tmp_path, {})
    (tmp_path / "dense.json").write_text("{broken")
    with pytest.raises(IntegrityError, match="not valid JSON"):
        DenseIndex.load(tmp_path, {})


def test_an_index_saved_before_hashes_were_kept_is_rebuilt(tmp_path: Path, encoder: Encoder) -> None:
    docs = entry_docs(["night vision goggles", "hydraulic pump"])
    DenseIndex.open(tmp_path, docs, encoder, "c1")
    meta = json.loads((tmp_path / "dense.json").read_text())
    del meta["faiss_sha256"]
    (tmp_path / "dense.json").write_text(json.dumps(meta))
    reopened = DenseIndex.open(tmp_path, docs, encoder, "c1")
    assert "faiss_sha256" in reopened.metadata
    assert np.allclose(np.linalg.norm(reopened.matrix(), axis=1), 1.0, atol=1e-5)
