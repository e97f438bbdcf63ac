"""Screen a party name against the Consolidated Screening List: best matches first, each with its evidence."""

from __future__ import annotations

import builtins
from dataclasses import asdict, dataclass, field
from typing import Any

from classifier.countries import Countries, UnknownCountry
from classifier.screening.lists import Party, ScreeningList
from classifier.screening.matcher import NameIndex
from classifier.screening.names import NameKey, decode_key, name_key

THRESHOLD = 0.75  # chosen from `python -m benchmarks.screening` (README, "Screening")
COUNTRY_MISMATCH = 0.85  # the party's addresses are all in other countries than the one given
MAX_MATCHES = 10
MAX_NAME_CHARS = 300


class ScreeningInputError(ValueError):
    """A name or country the screener cannot use; the message says what to give instead."""


@dataclass
class Match:
    """One listed party that matches the screened name, with what the reviewer must check."""

    name: str  # the party's primary name on the list
    matched_alias: str  # the name or alias of the party that matched best
    list: str  # list code ("EL", "SDN", ...)
    list_name: str
    score: float  # 0-1; 1.0 only for the same name
    country: str  # the party's address countries, ISO codes
    license_requirement: str
    license_policy: str
    federal_register: str
    source_url: str
    citation: str  # the list's legal basis
    effect: str  # what a hit on this list means
    severity: str  # "high" or "medium" (triage)
    weight: float
    type: str = ""
    programs: str = ""
    addresses: builtins.list[str] = field(default_factory=builtins.list)
    why: str = ""  # the token alignment behind the score


@dataclass
class Screening:
    """The answer for one name: the list's date, the threshold used and the matches above it."""

    query: str
    country: str | None
    list_date: str
    threshold: float
    matches: list[Match]

    @property
    def hit(self) -> bool:
        return bool(self.matches)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Screener:
    """The list and its name index; build once (``screening.load``) and screen many names."""

    def __init__(self, screening_list: ScreeningList, countries: Countries | None = None) -> None:
        self.list = screening_list
        self.countries = countries
        owners: list[int] = []
        names: list[str] = []
        keys: list[NameKey] = []
        for i, party in enumerate(screening_list.parties):
            built = party.keys if len(party.keys) == len(party.names) else [None] * len(party.names)
            for name, encoded in zip(party.names, built, strict=True):
                owners.append(i)
                names.append(name)
                keys.append(decode_key(name, encoded) if encoded is not None else name_key(name))
        self.owners = owners
        self.names = names
        self.index = NameIndex(names, keys, screening_list.legal_words)

    @property
    def list_date(self) -> str:
        return self.list.list_date

    def _country_codes(self, country: str | None, address: str | None) -> tuple[str | None, set[str]]:
        """The country to compare with the parties' addresses: given, or read from the address's parts."""
        if self.countries is None or not (country or address):
            return None, set()
        if country:
            try:
                found = self.countries.resolve(country)
            except UnknownCountry as err:
                raise ScreeningInputError(str(err)) from err
            return found.name, {c for c in found.iso if len(c) == 2}
        for part in reversed([p.strip() for p in (address or "").split(",") if p.strip()]):
            try:
                found = self.countries.resolve(part)
            except UnknownCountry:
                continue
            return found.name, {c for c in found.iso if len(c) == 2}
        return None, set()

    def screen(
        self,
        name: str,
        country: str | None = None,
        address: str | None = None,
        *,
        threshold: float = THRESHOLD,
        limit: int = MAX_MATCHES,
    ) -> Screening:
        """Matches at or above ``threshold``, best first (ScreeningInputError for an empty name or bad country)."""
        if not isinstance(name, str) or not name.strip():
            raise ScreeningInputError("give the party's name to screen (a company, person or vessel)")
        name = name.strip()
        if len(name) > MAX_NAME_CHARS:
            raise ScreeningInputError(
                f"the name has {len(name):,} characters; a party name has at most {MAX_NAME_CHARS}"
            )
        country_name, codes = self._country_codes(country, address)
        key = name_key(name)
        best: dict[int, tuple[float, int, str]] = {}
        for i in self.index.candidates(key):
            aligned = self.index.compare(key, self.index.keys[i])
            owner = self.owners[i]
            party = self.list.parties[owner]
            score = aligned.score
            if codes and party.countries and not codes & set(party.countries):
                score *= COUNTRY_MISMATCH
            if score >= threshold and (owner not in best or score > best[owner][0]):
                why = " ".join(f"{a}={b}" if a == b else f"{a}~{b}" for a, b, _ in aligned.pairs)
                missing = [*(f"+{t}" for t in aligned.unmatched_query), *(f"-{t}" for t in aligned.unmatched_list)]
                best[owner] = (round(score, 4), i, " ".join([why, *missing]).strip())
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], self.list.parties[kv[0]].name))[:limit]
        matches = [self._match(self.list.parties[o], self.names[i], s, why) for o, (s, i, why) in ranked]
        return Screening(name, country_name, self.list_date, threshold, matches)

    def _match(self, party: Party, matched: str, score: float, why: str) -> Match:
        authority = self.list.authority(party.list)
        return Match(
            name=party.name,
            matched_alias=matched,
            list=party.list,
            list_name=authority.name if authority.code else party.list_name,
            score=score,
            country=", ".join(party.countries),
            license_requirement=party.license_requirement,
            license_policy=party.license_policy,
            federal_register=party.federal_register,
            source_url=party.source_url,
            citation=authority.citation,
            effect=authority.effect,
            severity=authority.severity,
            weight=authority.weight,
            type=party.type,
            programs=party.programs,
            addresses=list(party.addresses),
            why=why,
        )
