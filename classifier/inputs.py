"""Checks on what people type, before any work is done with it: lengths, numbers and invisible characters.

Every entry point (CLI, page, API, batch rows) sends user input through here first, so that a cell of
80 KB, a value of ``nan`` or a description made of zero-width spaces is refused with a message naming
the field, rather than crashing, hanging or being answered as if it meant something. Lookalike letters
from other scripts inside Latin words (a Cyrillic "а" in "rоuter") are mapped to their Latin twins and
reported, because they silently change which words the classifier recognises.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, time, timedelta
from typing import Any

MAX_TEXT_CHARS = 20_000  # a product description
MAX_FIELD_CHARS = 200  # destination, end user, row id, authorization and other short fields
MAX_ID_CHARS = 64  # an ECCN or paragraph id ("3A001.a.5.b.2" is 13)
MAX_LIST_ITEMS = 50  # ECCNs of U.S. content
MAX_VALUE = 1e15  # money, mass, distance: anything larger is a typo or an attack, not a product
MAX_TOP_K = 50


class InputError(ValueError):
    """Input the product cannot use (empty, not text, too long, not a finite number); the message says why."""


_TERMINAL_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")

# Cyrillic and Greek letters drawn like Latin ones; only replaced inside words that also hold Latin letters.
LOOKALIKES = {
    "а": "a", "в": "B", "е": "e", "к": "k", "м": "M", "н": "H", "о": "o", "р": "p", "с": "c", "т": "T",
    "у": "y", "х": "x", "ѕ": "s", "і": "i", "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ү": "y", "һ": "h",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
    "У": "Y", "Х": "X", "Ѕ": "S", "І": "I", "Ј": "J",
    "α": "a", "ο": "o", "ρ": "p", "ν": "v", "ι": "i", "κ": "k", "τ": "t", "υ": "u", "χ": "x",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
}  # fmt: skip
_WORD = re.compile(r"\w+")


_INVISIBLE = ("Cc", "Cf", "Cs", "Co")


def strip_invisible(text: str) -> str:
    """``text`` without control, format (zero-width, bidi), surrogate and private-use characters; whitespace kept."""
    return "".join(ch for ch in text if ch.isspace() or unicodedata.category(ch) not in _INVISIBLE)


def terminal_safe(text: str) -> str:
    """``text`` for a terminal: escape sequences and other control characters removed (line breaks kept)."""
    text = _TERMINAL_ESCAPES.sub("", text)
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf"))


def _is_latin(ch: str) -> bool:
    return (ch.isascii() and ch.isalnum()) or "LATIN" in unicodedata.name(ch, "")


def unmix_lookalikes(text: str) -> tuple[str, list[str]]:
    """Cyrillic or Greek lookalike letters inside Latin words (or, in a mostly Latin text, words made only of
    lookalikes) spelled in Latin; returns (text, the words changed)."""
    latin = sum(ch.isascii() and ch.isalpha() for ch in text)
    foreign = sum(ch.isalpha() and not _is_latin(ch) for ch in text)
    mostly_latin = latin > 2 * foreign
    changed: list[str] = []

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if not any(ch in LOOKALIKES for ch in word):
            return word
        mixed = any(_is_latin(ch) for ch in word)
        only_lookalikes = all(ch in LOOKALIKES or not ch.isalpha() for ch in word)
        if not (mixed or (mostly_latin and only_lookalikes)):
            return word
        changed.append(word)
        return "".join(LOOKALIKES.get(ch, ch) for ch in word)

    return _WORD.sub(fix, text), changed


def description(text: object, field: str = "description") -> tuple[str, list[str]]:
    """A usable description and the warnings to show with its result; InputError when it is not usable."""
    if not isinstance(text, str):
        raise InputError(f"the {field} must be text, got {type(text).__name__}")
    if len(text) > 2 * MAX_TEXT_CHARS:  # refused before any work; the cleaned length is checked below
        raise InputError(f"the {field} has {len(text):,} characters; shorten it to at most {MAX_TEXT_CHARS:,}")
    cleaned = strip_invisible(text).strip()
    if not any(ch.isalnum() for ch in cleaned):
        raise InputError(
            f"the {field} is empty (no letters or digits once invisible characters are removed): "
            "describe the item (what it is, what it does, key specifications)"
        )
    if len(cleaned) > MAX_TEXT_CHARS:
        raise InputError(f"the {field} has {len(cleaned):,} characters; shorten it to at most {MAX_TEXT_CHARS:,}")
    warnings = []
    if len(cleaned) < len(text.strip()):
        warnings.append("invisible or control characters were removed from the description")
    cleaned, mixed = unmix_lookalikes(cleaned)
    if mixed:
        shown = ", ".join(repr(w) for w in mixed[:5])
        warnings.append(f"lookalike Cyrillic or Greek letters inside Latin words were read as Latin letters: {shown}")
    return cleaned, warnings


def short_text(value: object, field: str, limit: int = MAX_FIELD_CHARS) -> str:
    """A short free-text field (destination, end user, id): text, visible, at most ``limit`` characters."""
    if not isinstance(value, str):
        raise InputError(f"{field} must be text, got {type(value).__name__}")
    if len(value) > limit:
        raise InputError(f"{field} has {len(value):,} characters; at most {limit} are accepted")
    return " ".join(strip_invisible(value).split())


def number(value: object, field: str, *, maximum: float = MAX_VALUE) -> float:
    """A finite number within ±``maximum``; InputError naming ``field`` for NaN, infinity, text, dates, lists."""
    if isinstance(value, bool) or isinstance(value, (date, datetime, time, timedelta)):
        raise InputError(f"{field} must be a number, got a {type(value).__name__}")
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        if len(text) > 40:
            raise InputError(f"{field} must be a number, got {len(value):,} characters of text")
        try:
            value = float(text)
        except ValueError:
            raise InputError(f"{field} must be a number, got {value!r}") from None
    if not isinstance(value, (int, float)):
        raise InputError(f"{field} must be a number, got a {type(value).__name__}")
    try:
        result = float(value)
    except OverflowError:
        raise InputError(f"{field} is too large (at most {maximum:g})") from None
    if math.isnan(result) or math.isinf(result):
        raise InputError(f"{field} must be a finite number, got {result}")
    if abs(result) > maximum:
        raise InputError(f"{field} is too large: {result:g} (at most {maximum:g})")
    return result


def top_k(value: object) -> int:
    """The number of suggestions asked for: a whole number from 1 to MAX_TOP_K."""
    if isinstance(value, bool):
        raise InputError(f"top_k must be a whole number from 1 to {MAX_TOP_K}, got {value!r}")
    try:
        wanted = number(value, "top_k", maximum=1e6)
    except InputError:
        raise InputError(f"top_k must be a whole number from 1 to {MAX_TOP_K}, got {str(value)[:40]!r}") from None
    if wanted != int(wanted) or not 1 <= wanted <= MAX_TOP_K:
        raise InputError(f"top_k must be a whole number from 1 to {MAX_TOP_K}, got {str(value)[:40]!r}")
    return int(wanted)


def eccn_list(value: Any, field: str = "us_content_eccns") -> list[str]:
    """A list of ECCN strings, from a list or a comma/semicolon separated text; each checked for length."""
    if isinstance(value, str):
        if len(value) > MAX_LIST_ITEMS * (MAX_ID_CHARS + 2):
            raise InputError(f"{field} is too long ({len(value):,} characters)")
        value = [v.strip() for v in value.replace(";", ",").split(",") if v.strip()]
    if not isinstance(value, (list, tuple)):
        raise InputError(f"{field} must be a list of ECCNs, got a {type(value).__name__}")
    if len(value) > MAX_LIST_ITEMS:
        raise InputError(f"{field} lists {len(value)} ECCNs; at most {MAX_LIST_ITEMS} are accepted")
    return [short_text(v, field, MAX_ID_CHARS) for v in value]


# how each explicit fact (facts.EXPLICIT_FACTS) is checked
NUMBER_FACTS = ("total_value", "us_content_value", "payload_kg", "range_km")
TEXT_FACTS = ("destination", "end_user", "enc_authorization")
YES_NO_FACTS = ("mass_market", "data_confidentiality")


MAX_ANSWERS = 20


def answers(value: Any) -> dict[str, str]:
    """Answers to a result's questions: a mapping of at most 20 short parameter names to short values."""
    if not isinstance(value, dict):
        raise InputError("answers must be a mapping of parameter names to values, e.g. {'frame rate': '30 Hz'}")
    if len(value) > MAX_ANSWERS:
        raise InputError(f"at most {MAX_ANSWERS} answers at a time, got {len(value)}")
    return {short_text(str(k), "answer name"): short_text(str(v), f"answer to {str(k)[:40]}") for k, v in value.items()}


def check_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """Explicit facts checked and normalised (finite numbers, short visible text, yes/no as bool, ECCN lists);
    None values are kept as None; names this module does not know pass through for ``Facts`` to judge."""
    from classifier.eccn import ECCN, InvalidECCN

    checked: dict[str, Any] = {}
    for name, value in facts.items():
        if value is None:
            checked[name] = None
        elif name in NUMBER_FACTS:
            checked[name] = number(value, name)
        elif name in TEXT_FACTS:
            checked[name] = short_text(value, name) or None
        elif name in YES_NO_FACTS:
            if not isinstance(value, bool):
                raise InputError(f"{name} must be yes or no (True/False), got {str(value)[:40]!r}")
            checked[name] = value
        elif name == "answers":
            checked[name] = answers(value)
        elif name == "us_content_eccns":
            try:
                checked[name] = [ECCN.normalize(e) for e in eccn_list(value, name)]
            except InvalidECCN as err:
                raise InputError(f"{name}: {err}") from None
        else:
            checked[name] = value
    return checked
