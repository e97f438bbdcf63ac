"""Destinations: resolve what a user types ("South Korea", "Korea, South", "KR") to a Country Chart row,
with its chart marks, Country Groups and embargo notes (15 CFR part 738 Supp. 1, part 740 Supp. 1)."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any


class UnknownCountry(ValueError):
    """A destination we cannot find; the message names close spellings."""

    def __init__(self, text: str, suggestions: list[str]) -> None:
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(
            f"Unknown destination {text!r}: use a country name as in the Commerce Country Chart "
            f"(e.g. 'Germany', 'Korea, South') or an ISO code ('DE', 'KR').{hint}"
        )
        self.text, self.suggestions = text, suggestions


@dataclass(frozen=True)
class Country:
    name: str
    iso: tuple[str, ...]
    marks: tuple[str, ...]
    footnotes: tuple[int, ...]
    embargoed: bool
    embargo_note: str
    country_groups: tuple[str, ...]
    part_of: str = ""  # a region with its own sanctions (Crimea): the country whose chart row it shares

    def in_group(self, group: str) -> bool:
        """``in_group("E:1")``; a bare letter ("E") matches any of its sub-groups."""
        return any(g == group or g.split(":")[0] == group for g in self.country_groups)

    def has_mark(self, column: str) -> bool:
        return column in self.marks

    def is_one_of(self, names: list[str] | tuple[str, ...]) -> bool:
        """True when this destination (or the country a region is part of) is named."""
        return self.name in names


MAX_NAME = 200  # the longest country name or alias is far shorter; longer text is refused unread


def fold(name: str) -> str:
    """The same spelling-insensitive key the corpus build used for aliases."""
    text = unicodedata.normalize("NFKD", name.replace("&", " and ")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9,]+", " ", text.lower()).strip()


class Countries:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self._by_name = data["countries"]
        self._aliases = data["aliases"]
        self._iso = data["iso_codes"]
        self._pattern: re.Pattern[str] | None = None

    @property
    def footnotes(self) -> dict[str, str]:
        return dict(self.data["footnotes"])

    def named_in(self, text: str) -> list[str]:
        """The destinations a text names ("except to Russia for use in ..." names Russia)."""
        if self._pattern is None:
            keys = sorted((k for k in self._aliases if len(k) >= 4), key=len, reverse=True)
            self._pattern = re.compile(r"\b(" + "|".join(re.escape(k) for k in keys) + r")\b")
        return list(dict.fromkeys(self._aliases[m] for m in self._pattern.findall(fold(text))))

    def names(self) -> list[str]:
        return sorted(self._by_name)

    def resolve(self, text: str) -> Country:
        """A Country for a name, common spelling or ISO 3166 alpha-2/alpha-3 code."""
        if not isinstance(text, str) or not text.strip():
            raise UnknownCountry(str(text), [])
        if len(text) > MAX_NAME:
            raise UnknownCountry(f"{text[:20]}… ({len(text):,} characters)", [])
        stripped = text.strip()
        name = self._iso.get(stripped.upper()) if len(stripped) in (2, 3) else None
        name = name or self._aliases.get(fold(stripped))
        if name is None:
            close = difflib.get_close_matches(fold(stripped), self._aliases.keys(), n=3, cutoff=0.75)
            raise UnknownCountry(text, list(dict.fromkeys(self._aliases[c] for c in close)))
        row = self._by_name[name]
        return Country(
            name=row["name"],
            iso=tuple(row["iso"]),
            marks=tuple(row["marks"]),
            footnotes=tuple(row["footnotes"]),
            embargoed=row["embargoed"],
            embargo_note=row["embargo_note"],
            country_groups=tuple(row["country_groups"]),
            part_of=row.get("part_of", ""),
        )
