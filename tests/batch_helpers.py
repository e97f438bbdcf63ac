"""Interrupting a batch part-way, for the resume tests."""

from __future__ import annotations

from typing import Any

import pytest

from classifier import batch as batch_module


def interrupt_on_chunk(monkeypatch: pytest.MonkeyPatch, n: int) -> None:
    """Make the n-th chunk classified raise KeyboardInterrupt (a crash mid-run); ``monkeypatch.undo()`` or a
    new ``setattr`` restores the real function."""
    real = batch_module._classify_chunk
    calls = {"n": 0}

    def crash(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == n:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(batch_module, "_classify_chunk", crash)
