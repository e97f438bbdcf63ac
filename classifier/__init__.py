"""ECCN classification assistant: ``from classifier import Classifier``; ``from classifier import screen``
(screening a party); ``from classifier.triage import Application, triage`` (triage of applications).

Suggestions support, and do not replace, a person's classification decision under the EAR.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Classifier", "Classification", "ECCN", "screen"]


def __getattr__(name: str) -> Any:
    """Import the engine (torch, FAISS) only when it is asked for, so the CLI's lookups stay fast."""
    if name == "Classifier":
        from classifier.engine import Classifier

        return Classifier
    if name == "Classification":
        from classifier.result import Classification

        return Classification
    if name == "ECCN":
        from classifier.eccn import ECCN

        return ECCN
    if name == "screen":
        from classifier.screening import screen

        return screen
    raise AttributeError(name)
