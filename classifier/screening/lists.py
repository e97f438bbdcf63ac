"""The Consolidated Screening List as the product ships it: ``corpus/screening.json`` (built by
``python -m training.build_screening``) and what each list means (``corpus/rules/screening_lists.json``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from classifier.screening.names import normaliser

FILE = "screening.json"
LISTS_TABLE = Path("rules") / "screening_lists.json"


class ListMissing(RuntimeError):
    """The screening list is not in the corpus: parties cannot be screened (and results say so)."""


@dataclass(frozen=True)
class Party:
    """One entry of the list, with everything a reviewer needs to check a hit."""

    name: str
    aliases: tuple[str, ...]
    list: str  # list code: "EL", "SDN", "DPL", "UVL", "MEU", ...
    list_name: str  # the list as the CSL names it
    countries: tuple[str, ...]  # ISO 3166 alpha-2 codes of its addresses
    addresses: tuple[str, ...]
    type: str
    programs: str
    entity_number: str
    license_requirement: str
    license_policy: str
    federal_register: str
    start_date: str
    source_url: str

    keys: tuple[str, ...] = ()  # compare keys of ``names`` as built (``names.encode_key``)

    @property
    def names(self) -> tuple[str, ...]:
        """The name and its aliases, each once."""
        return tuple(dict.fromkeys((self.name, *self.aliases)))


@dataclass(frozen=True)
class ListAuthority:
    """What a hit on one list means: its legal basis, its effect, and its weight in triage."""

    code: str
    name: str
    citation: str
    effect: str
    severity: str  # "high" or "medium"
    weight: float


@dataclass(frozen=True)
class ScreeningList:
    list_date: str
    source: dict[str, Any]
    counts: dict[str, Any]
    parties: tuple[Party, ...]
    authorities: dict[str, ListAuthority]
    default_authority: ListAuthority
    legal_words: frozenset[str] = frozenset()  # words the list's legal forms are written with

    def authority(self, code: str) -> ListAuthority:
        return self.authorities.get(code, self.default_authority)


def _authorities(table: dict[str, Any]) -> tuple[dict[str, ListAuthority], ListAuthority]:
    def one(code: str, row: dict[str, Any]) -> ListAuthority:
        return ListAuthority(code, row["name"], row["citation"], row["effect"], row["severity"], float(row["weight"]))

    return {code: one(code, row) for code, row in table["lists"].items()}, one("", table["default"])


def read_list(corpus_dir: Path) -> ScreeningList:
    """The built list; ListMissing (with the command that builds it) when it is absent or unreadable."""
    path = corpus_dir / FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        authorities, default = _authorities(json.loads((corpus_dir / LISTS_TABLE).read_text(encoding="utf-8")))
    except FileNotFoundError as err:
        raise ListMissing(f"{err.filename} is missing: build it with `python -m training.build_screening`") from err
    except (json.JSONDecodeError, KeyError) as err:
        raise ListMissing(
            f"{path} is unreadable ({err}): rebuild it with `python -m training.build_screening`"
        ) from err
    tables = data["tables"]
    fresh = data.get("normaliser") == normaliser()  # else the keys are made again at load

    def table(name: str, index: int | None) -> str:
        return str(tables[name][index]) if index is not None else ""

    parties = tuple(
        Party(
            name=p["n"],
            aliases=tuple(p.get("a", ())),
            list=p["l"],
            list_name=data["lists"].get(p["l"], p["l"]),
            countries=tuple(p.get("c", ())),
            addresses=tuple(p.get("ad", ())),
            type=p.get("t", ""),
            programs=p.get("pg", ""),
            entity_number=p.get("e", ""),
            license_requirement=table("license_requirements", p.get("lr")),
            license_policy=table("license_policies", p.get("lp")),
            federal_register=p.get("fr", ""),
            start_date=p.get("sd", ""),
            source_url=table("urls", p.get("u")),
            keys=tuple(p.get("k", ())) if fresh else (),
        )
        for p in data["parties"]
    )
    return ScreeningList(
        data["list_date"],
        data["source"],
        data["counts"],
        parties,
        authorities,
        default,
        frozenset(data.get("legal_words", ())),
    )
