"""Build ``corpus/screening.json`` from the Consolidated Screening List: ``python -m training.build_screening``.

To refresh the list, download the CSL from data.trade.gov (consolidated JSON or CSV) and run
``python -m training.build_screening --csl consolidated.json [--list-date YYYY-MM-DD]``: the file is read and
checked, copied under ``corpus/sources/csl/``, registered in ``corpus/sources/sources.json`` with its date, and
built into the compact form the matcher loads; ``MANIFEST.json`` gets its sha256. The list date comes from the
file when it states one, else from ``--list-date``, else from the file's modification date (said so).
``python -m training.build_corpus`` rebuilds it too, from the registered source.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from classifier.screening.names import encode_key, legal_words, name_key, normaliser
from training.csl_formats import list_code, read_csl
from training.xml_text import SourceError

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
KEY = "screening_list"
OUTPUT = "screening.json"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _interned(values: list[str]) -> tuple[list[str], dict[str, int]]:
    table = sorted({v for v in values if v})
    return table, {v: i for i, v in enumerate(table)}


def compact(parties: list[dict[str, Any]], list_date: str, source: dict[str, Any]) -> dict[str, Any]:
    """The built form: one short record per party, repeated long strings in tables (a third of the size)."""
    requirements, req_ix = _interned([p["license_requirement"] for p in parties])
    policies, pol_ix = _interned([p["license_policy"] for p in parties])
    urls, url_ix = _interned([p["source_list_url"] for p in parties])
    lists = {list_code(p["source"]): p["source"] for p in parties}
    legal = Counter(w for p in parties for n in {p["name"], *p["alt_names"]} for w in legal_words(n, name_key(n)))
    records = []
    for p in parties:
        names = dict.fromkeys([p["name"], *p["alt_names"]])
        record: dict[str, Any] = {
            "n": p["name"],
            "l": list_code(p["source"]),
            "k": [encode_key(name_key(n)) for n in names],
        }
        optional = {
            "a": p["alt_names"],
            "c": p["countries"],
            "ad": p["addresses"],
            "t": p["type"],
            "pg": "; ".join(p["programs"]),
            "e": p["entity_number"],
            "fr": p["federal_register_notice"],
            "sd": p["start_date"],
            "lr": req_ix.get(p["license_requirement"]),
            "lp": pol_ix.get(p["license_policy"]),
            "u": url_ix.get(p["source_list_url"]),
        }
        record.update({k: v for k, v in optional.items() if v not in (None, "", [])})
        records.append(record)
    return {
        "title": "Consolidated Screening List (Departments of Commerce, State and the Treasury), compact form",
        "list_date": list_date,
        "source": source,
        "normaliser": normaliser(),
        "field_key": {
            "n": "name",
            "k": "compare keys of the name and each alias, in order ('tokens|legal forms|stopword positions')",
            "a": "alt_names",
            "l": "list code (see lists)",
            "c": "address countries (ISO 3166 alpha-2)",
            "ad": "addresses",
            "t": "type",
            "pg": "programs",
            "e": "entity_number",
            "fr": "federal_register_notice",
            "sd": "start_date",
            "lr": "license_requirement (index into tables.license_requirements)",
            "lp": "license_policy (index into tables.license_policies)",
            "u": "source_list_url (index into tables.urls)",
        },
        "counts": {
            "parties": len(parties),
            "names": sum(1 + len(p["alt_names"]) for p in parties),
            "by_list": dict(Counter(list_code(p["source"]) for p in parties).most_common()),
        },
        "lists": dict(sorted(lists.items())),
        "legal_words": sorted(w for w, n in legal.items() if n >= 10),
        "tables": {"license_requirements": requirements, "license_policies": policies, "urls": urls},
        "parties": records,
    }


def build(out: Path = CORPUS, registry: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build ``out/screening.json`` from the registered CSL source; returns its counts."""
    sources_dir = out / "sources"
    registry = registry or json.loads((sources_dir / "sources.json").read_text(encoding="utf-8"))
    meta = registry[KEY]
    path = sources_dir / meta["file"]
    parties, _ = read_csl(path)
    source = {
        "file": meta["file"],
        "sha256": _sha256(path),
        "origin": meta["origin"],
        **({"edition_note": meta["edition_note"]} if meta.get("edition_note") else {}),
    }
    data = compact(parties, meta["edition"], source)
    tmp = out / (OUTPUT + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    tmp.replace(out / OUTPUT)
    return dict(data["counts"])


def _update_manifest(out: Path, registry: dict[str, Any], counts: dict[str, Any]) -> None:
    """Record the new source and built file in MANIFEST.json without rebuilding the rest of the corpus."""
    path = out / "MANIFEST.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    meta = registry[KEY]
    entry = {"id": KEY, **meta, "sha256": _sha256(out / "sources" / meta["file"])}
    manifest["sources"] = [s for s in manifest["sources"] if s["id"] != KEY] + [entry]
    manifest["files"][OUTPUT] = _sha256(out / OUTPUT)
    manifest["counts"]["screening_parties"] = counts["parties"]
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)


def refresh(csl: Path, list_date: str | None, out: Path = CORPUS) -> tuple[dict[str, Any], str, str]:
    """Read and check a new CSL download, register it, build and record it; returns (counts, date, note)."""
    parties, stated = read_csl(csl)  # validate before anything is replaced
    note = ""
    date = stated or list_date
    if date is None:
        date = datetime.fromtimestamp(csl.stat().st_mtime, timezone.utc).date().isoformat()
        note = f"list date taken from the file's modification time ({csl.name} states none); pass --list-date"
    sources_dir = out / "sources"
    registry = json.loads((sources_dir / "sources.json").read_text(encoding="utf-8"))
    target = Path("csl") / f"consolidated{csl.suffix.lower()}"
    (sources_dir / target).parent.mkdir(parents=True, exist_ok=True)
    if csl.resolve() != (sources_dir / target).resolve():
        shutil.copyfile(csl, sources_dir / target)
    registry[KEY] = {
        "file": str(target),
        "title": "Consolidated Screening List (Departments of Commerce, State and the Treasury)",
        "edition": date,
        "origin": f"user-supplied CSL download ({csl.name}, {len(parties)} parties)",
        **({"edition_note": note} if note else {}),
    }
    tmp = sources_dir / "sources.json.tmp"
    tmp.write_text(json.dumps(registry, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(sources_dir / "sources.json")
    counts = build(out, registry)
    _update_manifest(out, registry, counts)
    return counts, date, note


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.build_screening", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--csl", type=Path, help="a CSL download: consolidated JSON or CSV (default: the registered one)"
    )
    parser.add_argument("--list-date", help="the list's date (YYYY-MM-DD) when the file does not state it")
    args = parser.parse_args(argv)
    try:
        if args.csl is not None:
            counts, date, note = refresh(args.csl, args.list_date)
        else:
            registry = json.loads((CORPUS / "sources" / "sources.json").read_text(encoding="utf-8"))
            counts, date, note = build(CORPUS, registry), registry[KEY]["edition"], ""
            _update_manifest(CORPUS, registry, counts)
    except (SourceError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"Consolidated Screening List of {date}: {counts['parties']} parties, {counts['names']} names")
    for code, n in counts["by_list"].items():
        print(f"  {code}: {n}")
    if note:
        print(f"note: {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
