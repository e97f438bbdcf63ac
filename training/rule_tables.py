"""Check the hand-made rule tables in ``corpus/rules/`` against the regulation they transcribe.

Each table names its sources; every ``quote`` in it must appear verbatim (tags stripped, entities
decoded, whitespace collapsed) in the named source, so a table cannot drift from the text it claims
to follow. A failed check stops the corpus build and says which quote was not found where.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from training.xml_text import SourceError


@cache
def _plain(path: Path) -> str:
    text = re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))
    return re.sub(r"\s+", " ", html.unescape(text))


def _quotes(node: Any, inherited: str | None = None) -> Iterator[tuple[str, str]]:
    """(source key, quote) pairs anywhere in a table; a node's ``source`` applies to quotes below it."""
    if isinstance(node, dict):
        source = node.get("source", inherited)
        if "quote" in node:
            yield source or "", node["quote"]
        for key, value in node.items():
            if key not in ("quote", "sources"):
                yield from _quotes(value, source)
    elif isinstance(node, list):
        for value in node:
            yield from _quotes(value, inherited)


def check_rule_tables(corpus_dir: Path) -> dict[str, Any]:
    """Validate every table; return {file: {"sha256", "quotes"}} for the manifest."""
    checked = {}
    for path in sorted((corpus_dir / "rules").glob("*.json")):
        table = json.loads(path.read_text(encoding="utf-8"))
        sources = table.get("sources", {})
        count = 0
        for key, quote in _quotes(table):
            if key not in sources:
                raise SourceError(
                    path, None, None, f"quote {quote[:60]!r} names source {key!r}, expected one of {list(sources)}"
                )
            source = corpus_dir / "sources" / sources[key]
            if re.sub(r"\s+", " ", quote) not in _plain(source):
                raise SourceError(path, None, None, f"quote {quote[:80]!r} not found verbatim in {sources[key]}")
            count += 1
        checked[f"rules/{path.name}"] = {"sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "quotes": count}
    return checked
