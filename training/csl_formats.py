"""Readers for the Consolidated Screening List (CSL) download formats, each to the same party records.

Three shapes are read:

- the official consolidated JSON of data.trade.gov (``consolidated.json``): a list of records, or an object
  with ``results`` (or ``entries``), each record with ``name``, ``alt_names``, ``addresses`` (objects with
  ``address``, ``city``, ``state``, ``postal_code``, ``country``), ``programs``, ``source``, ``type``,
  ``entity_number``, ``license_requirement``, ``license_policy``, ``federal_register_notice``,
  ``start_date``, ``source_list_url``;
- the official CSV (``consolidated.csv``): the same columns, lists joined with "; ", an address as
  "street, city, state, postal code, country";
- the compact JSON committed in ``corpus/sources/seelpeed-ecfr-json/screening-list.json`` (keys explained
  in its own ``fieldKey``, long strings in ``tables``).

Every reader returns ``(parties, list_date or None)``; ``SourceError`` names what is wrong with a file.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

from training.xml_text import SourceError

LIST_CODE = re.compile(r"\(([A-Z][A-Z0-9-]*)(?: List)?\)")
PARTY_FIELDS = (
    "name",
    "alt_names",
    "source",
    "type",
    "countries",
    "addresses",
    "programs",
    "entity_number",
    "license_requirement",
    "license_policy",
    "federal_register_notice",
    "start_date",
    "source_list_url",
)


def list_code(source: str) -> str:
    """ "Entity List (EL) - Bureau of Industry and Security" → "EL" (the whole name when it has no code)."""
    found = LIST_CODE.search(source)
    return found.group(1) if found else source.strip()


def _split(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value).split(";") if v.strip()]


def _country(value: str) -> str:
    value = value.strip()
    return value.upper() if re.fullmatch(r"[A-Za-z]{2}", value) else ""


def _party(record: dict[str, Any], addresses: list[str], countries: list[str]) -> dict[str, Any]:
    name = str(record.get("name") or "").strip()
    return {
        "name": name,
        "alt_names": [a for a in _split(record.get("alt_names")) if a != name],
        "source": str(record.get("source") or "").strip(),
        "type": str(record.get("type") or "").strip(),
        "countries": list(dict.fromkeys(c for c in countries if c)),
        "addresses": addresses,
        "programs": _split(record.get("programs")),
        "entity_number": str(record.get("entity_number") or "").strip(),
        "license_requirement": str(record.get("license_requirement") or "").strip(),
        "license_policy": str(record.get("license_policy") or "").strip(),
        "federal_register_notice": str(record.get("federal_register_notice") or "").strip(),
        "start_date": str(record.get("start_date") or "").strip(),
        "source_list_url": str(record.get("source_list_url") or "").strip(),
    }


def _from_official_record(record: dict[str, Any]) -> dict[str, Any]:
    addresses, countries = [], []
    for address in record.get("addresses") or []:
        if isinstance(address, dict):
            parts = [str(address.get(k) or "").strip() for k in ("address", "city", "state", "postal_code", "country")]
            addresses.append(", ".join(p for p in parts if p))
            countries.append(_country(str(address.get("country") or "")))
        elif str(address).strip():
            addresses.append(str(address).strip())
            countries.append(_country(str(address).rsplit(",", 1)[-1]))
    return _party(record, addresses, countries)


def _from_compact(data: dict[str, Any]) -> list[dict[str, Any]]:
    tables = data["tables"]

    def table(name: str, index: int | None) -> str:
        return str(tables[name][index]) if index is not None else ""

    parties = []
    for entry in data["entries"]:
        record = {
            "name": entry["n"],
            "alt_names": entry.get("a", []),
            "source": table("sources", entry["s"]),
            "type": entry.get("t", ""),
            "entity_number": entry.get("e", ""),
            "license_requirement": table("licenceRequirements", entry.get("lr")),
            "license_policy": table("licencePolicies", entry.get("lp")),
            "programs": table("programmes", entry.get("pg")),
            "federal_register_notice": entry.get("fr", ""),
            "source_list_url": table("urls", entry.get("u")),
        }
        parties.append(_party(record, [], entry.get("c", [])))
    return parties


def _date(text: Any) -> str | None:
    found = re.match(r"\d{4}-\d{2}-\d{2}", str(text or ""))
    return found.group(0) if found else None


def read_json(path: Path) -> tuple[list[dict[str, Any]], str | None]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise SourceError(path, None, None, f"not a JSON file ({err})") from err
    if isinstance(data, dict) and "entries" in data and "fieldKey" in data:
        return _from_compact(data), _date(data.get("sourceGeneratedAt"))
    records = data.get("results", data.get("entries")) if isinstance(data, dict) else data
    if not isinstance(records, list) or not all(isinstance(r, dict) and r.get("name") for r in records):
        raise SourceError(
            path, None, None, "expected the CSL consolidated JSON: a list of records (or 'results') with 'name'"
        )
    date = _date(data.get("sourceGeneratedAt") or data.get("generated_at")) if isinstance(data, dict) else None
    return [_from_official_record(r) for r in records], date


def read_csv(path: Path) -> tuple[list[dict[str, Any]], str | None]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        columns = set(reader.fieldnames or [])
        missing = {"name", "source"} - columns
        if missing:
            raise SourceError(
                path, None, None, f"missing column(s) {', '.join(sorted(missing))}; found {', '.join(sorted(columns))}"
            )
        return [_from_official_record({**row, "addresses": _split(row.get("addresses"))}) for row in reader], None


def read_csl(path: Path) -> tuple[list[dict[str, Any]], str | None]:
    """The parties of a CSL download (.json or .csv) and the list's date when the file states one."""
    if path.suffix.lower() == ".csv":
        parties, date = read_csv(path)
    elif path.suffix.lower() == ".json":
        parties, date = read_json(path)
    else:
        raise SourceError(path, None, None, "expected the CSL as .json (consolidated JSON) or .csv")
    parties = [p for p in parties if p["name"]]
    if not parties:
        raise SourceError(path, None, None, "no parties with a name")
    return parties, date
