"""Build a rule context by hand: facts read from a description, suggestions taken from the CCL."""

from __future__ import annotations

from typing import Any

from classifier.corpus import Corpus
from classifier.facts import read_facts
from classifier.result import Suggestion
from classifier.rules.base import RuleContext


def context(
    corpus: Corpus, text: str, suggestions: list[str], destination: str | None = None, **facts: Any
) -> RuleContext:
    made = []
    for eccn in suggestions:
        if eccn == "EAR99":
            made.append(Suggestion("EAR99", 0.5, "", "EAR99", "EAR99"))
            continue
        found = corpus.lookup(eccn)
        made.append(Suggestion(str(found.id), 0.6, str(found.id), found.text, found.entry["heading"]))
    country = corpus.country_table.resolve(destination) if destination else None
    return RuleContext(read_facts(text).with_overrides(**facts), made, corpus, country)
