"""Names as the matcher compares them: OpenSanctions' ``rigour`` does the field's normalisation.

``rigour.names.analyze_names`` lower-cases, strips punctuation, transliterates Cyrillic, Greek, Arabic and
other scripts to Latin, and rewrites legal forms to one compare form ("Limited Liability Company", "OOO",
"Общество с ограниченной ответственностью" → ``llc``/``ooo``; "Co., Ltd." → ``coltd``), tagging them
``LEGAL``; its symbols say which class of legal form a name carries (``ORG_CLASS:LLC``). What is left is the
name proper: tokens that are aligned and fuzzily compared (``matcher.py``). Scripts rigour keeps as they are
(Chinese, Japanese, Korean) are romanised with ``rigour.text.ascii_text``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version

from rigour.names import NamePartTag, NameTypeTag, SymbolCategory, analyze_names
from rigour.text import ascii_text


def normaliser() -> str:
    """What made the keys: a list built with another rigour version is re-normalised at load."""
    return f"rigour {version('rigour')}"


@dataclass(frozen=True)
class NameKey:
    """One name, ready to compare: its tokens in order, stopwords marked, and its legal form classes."""

    text: str  # the name as written
    tokens: tuple[str, ...]  # name proper, ASCII, in order (legal forms removed)
    stop: frozenset[int]  # positions of stopwords ("of", "the") in ``tokens``
    legal: frozenset[str]  # legal form classes ("LLC", "JSC") or, without a class, the compare forms

    @property
    def glued(self) -> str:
        """The tokens written together: "LUK OIL" and "LUKOIL" meet here."""
        return "".join(self.tokens)


def _ascii_tokens(comparable: str) -> list[str]:
    if comparable.isascii():
        return [comparable] if comparable.isalnum() else [t for t in _split(comparable) if t]
    return [t for t in _split(ascii_text(comparable).lower()) if t]


def _split(text: str) -> list[str]:
    return "".join(c if c.isalnum() else " " for c in text).split()


@lru_cache(maxsize=65536)
def name_key(text: str) -> NameKey:
    """The compare form of a party name (organisation, person or vessel: one analysis serves all three)."""
    analysed = analyze_names(NameTypeTag.ORG, [text], consolidate=False, phonetics=False)
    if not analysed:
        return NameKey(text, (), frozenset(), frozenset())
    name = max(analysed, key=lambda n: len(n.parts))
    tokens: list[str] = []
    stop: set[int] = set()
    legal_forms: set[str] = set()
    for part in name.parts:
        if part.tag == NamePartTag.LEGAL:
            legal_forms.add(part.comparable)
            continue
        for token in _ascii_tokens(part.comparable):
            if part.tag == NamePartTag.STOP:
                stop.add(len(tokens))
            tokens.append(token)
    classes = {str(s.id) for s in name.symbols if s.category == SymbolCategory.ORG_CLASS}
    return NameKey(text, tuple(tokens), frozenset(stop), frozenset(classes or legal_forms))


def encode_key(key: NameKey) -> str:
    """A key as one short string for the built list: "tokens|legal forms|stopword positions"."""
    return "|".join((" ".join(key.tokens), ",".join(sorted(key.legal)), ",".join(map(str, sorted(key.stop)))))


def decode_key(text: str, encoded: str) -> NameKey:
    tokens, legal, stop = encoded.split("|")
    return NameKey(
        text,
        tuple(tokens.split()),
        frozenset(int(i) for i in stop.split(",") if i),
        frozenset(f for f in legal.split(",") if f),
    )


def legal_words(text: str, key: NameKey) -> list[str]:
    """The words of a name that its legal form was made of ("joint", "stock", "company" of "jsc")."""
    if not key.legal:
        return []
    words = _split(ascii_text(text).lower())
    return [w for w in words if w not in key.tokens and w.isalpha()]
