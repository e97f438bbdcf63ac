"""The one ECCN value type used everywhere in the product.

An Export Control Classification Number is a five-character head (category digit, product group
letter, three digits: ``5A002``) optionally followed by a paragraph path (``5A002.a.1``). ``EAR99`` is
the designation for items subject to the EAR but on no ECCN. Parsing, normalising and walking the
hierarchy live here so that no other module slices ECCN strings by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

EAR99 = "EAR99"

_VALID_FORMS = (
    "a category digit 0-9, a product group letter A-E and three digits (5A002), optionally followed "
    "by paragraph letters and numbers (5A992.c, 3A001.a.5.b.2), or EAR99"
)

_HEAD = re.compile(r"^\s*(?P<head>[0-9][A-Ea-e][0-9]{3})(?P<rest>.*?)\s*$", re.S)
_EAR99 = re.compile(r"^\s*EAR[\s\-_.]*99\s*$", re.I)
_PART = re.compile(r"[a-z]{1,4}|[0-9]{1,3}")
_SEPARATORS = re.compile(r"[\s._\-]+")
MAX_LENGTH = 64  # the longest real paragraph id has fewer than 20 characters; longer text is refused unread


class InvalidECCN(ValueError):
    """Raised for text that is not an ECCN; the message says what a valid one looks like."""

    def __init__(self, text: object, reason: str = "") -> None:
        detail = f" ({reason})" if reason else ""
        super().__init__(f"{text!r} is not a valid ECCN{detail}: expected {_VALID_FORMS}.")


def _split_path(rest: str, original: object) -> tuple[str, ...]:
    parts: list[str] = []
    for chunk in _SEPARATORS.split(rest.strip().lower()):
        if not chunk:
            continue
        pieces = _PART.findall(chunk)
        if "".join(pieces) != chunk:
            raise InvalidECCN(original, f"unexpected characters in paragraph {chunk!r}")
        parts.extend(pieces)
    return tuple(parts)


@dataclass(frozen=True, order=True)
class ECCN:
    """An immutable, normalised ECCN or paragraph id (``5A992.c``), or ``EAR99``."""

    head: str
    path: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str | ECCN) -> ECCN:
        """Parse loose spellings: ``5a992c``, ``5A992.C``, ``5A992 c`` and ``EAR 99`` all work."""
        if isinstance(text, ECCN):
            return text
        if not isinstance(text, str):
            raise InvalidECCN(text, "not a string")
        if len(text) > MAX_LENGTH:
            raise InvalidECCN(f"{text[:20]}…", f"{len(text):,} characters; an ECCN has at most {MAX_LENGTH}")
        return _parse(text)

    @staticmethod
    def normalize(text: str) -> str:
        """The canonical spelling of ``text`` (raises InvalidECCN when it is not an ECCN)."""
        return str(ECCN.parse(text))

    @staticmethod
    def is_valid(text: str) -> bool:
        try:
            ECCN.parse(text)
        except InvalidECCN:
            return False
        return True

    def __str__(self) -> str:
        return ".".join((self.head, *self.path))

    @property
    def is_ear99(self) -> bool:
        return self.head == EAR99

    @property
    def category(self) -> str | None:
        """Category digit ``"0"``..``"9"``; None for EAR99."""
        return None if self.is_ear99 else self.head[0]

    @property
    def group(self) -> str | None:
        """Product group letter: A equipment, B test/production, C materials, D software, E technology."""
        return None if self.is_ear99 else self.head[1]

    @property
    def regime_digit(self) -> str | None:
        """The middle digit that names the regime (0 Wassenaar, 1 MTCR, 2 NSG, 3 AG, 5/6 military, 9 AT)."""
        return None if self.is_ear99 else self.head[2]

    @property
    def is_600_series(self) -> bool:
        """A "600 series" entry (0A606, 9A610, 3A611, ...): military items moved from the USML."""
        return not self.is_ear99 and self.head[2] == "6"

    @property
    def is_9x515(self) -> bool:
        """A 9x515 entry (9A515, 9E515, ...): spacecraft and related items moved from USML Category XV."""
        return not self.is_ear99 and self.head[0] == "9" and self.head[2:] == "515"

    @property
    def is_catch_all(self) -> bool:
        """An x99x entry ("n.e.s." anti-terrorism catch-alls such as 3A991, 5A992, 9A991); not 0A919."""
        return not self.is_ear99 and self.head[2:4] == "99"

    @property
    def entry(self) -> ECCN:
        """The ECCN entry (head only) this id belongs to."""
        return ECCN(self.head)

    @property
    def depth(self) -> int:
        return len(self.path)

    @property
    def parent(self) -> ECCN | None:
        """The enclosing paragraph or entry; None for an entry or EAR99."""
        return ECCN(self.head, self.path[:-1]) if self.path else None

    @property
    def ancestors(self) -> tuple[ECCN, ...]:
        """From the entry down to the parent, nearest last."""
        return tuple(ECCN(self.head, self.path[:i]) for i in range(len(self.path)))

    def is_descendant_of(self, other: ECCN | str, *, strict: bool = True) -> bool:
        """True when ``self`` lies under ``other`` (``5A002.a.1`` under ``5A002``)."""
        other = ECCN.parse(other)
        if self.head != other.head or len(self.path) < len(other.path):
            return False
        if strict and self.path == other.path:
            return False
        return self.path[: len(other.path)] == other.path


@lru_cache(maxsize=65536)
def _parse(text: str) -> ECCN:
    """Parsing is pure, and the same ids are parsed again and again: cache it."""
    if _EAR99.match(text):
        return ECCN(EAR99)
    match = _HEAD.match(text)
    if not match:
        raise InvalidECCN(text)
    return ECCN(match["head"].upper(), _split_path(match["rest"], text))
