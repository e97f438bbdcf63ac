"""Integrity on load: a data or model file is used only when its sha256 is the one recorded when it was built.

The corpus files and rule tables are checked against ``corpus/MANIFEST.json``, the FAISS index against the
``dense.json`` written beside it, and the ranker against ``models/ranker_card.json`` *before* it is
unpickled (a pickle can run code). A file changed or damaged since it was built, by accident or on
purpose, is refused with the command that rebuilds it: a tampered country table must never answer
"no license required".
"""

from __future__ import annotations

import hashlib
from pathlib import Path


class IntegrityError(RuntimeError):
    """A file whose bytes are not the ones recorded when it was built; says how to rebuild it."""


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def read_verified(path: Path, expected: object, recorded_in: str, rebuild: str) -> bytes:
    """The bytes of ``path`` when their sha256 is ``expected``; IntegrityError otherwise (or when none is recorded)."""
    data = path.read_bytes()
    if not isinstance(expected, str) or not expected:
        raise IntegrityError(f"{path} has no sha256 recorded in {recorded_in}; {rebuild}.")
    if sha256_bytes(data) != expected:
        raise IntegrityError(
            f"{path} does not match the sha256 recorded in {recorded_in} (changed or damaged since it was built); "
            f"{rebuild}."
        )
    return data
