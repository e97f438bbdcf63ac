"""Build ``corpus/`` from the official sources: ``python -m training.build_corpus [--ccl NEW.xml --edition DATE]``.

BIS amends the CCL several times a year. To rebuild from a newer eCFR download of Supplement No. 1
to part 774 (eCFR versioner: ``/api/versioner/v1/full/{date}/title-15.xml?appendix=Supplement No. 1
to Part 774``), pass it with ``--ccl`` and its date with ``--edition``: the file is copied under
``corpus/sources/``, parsed, validated, and the manifest records its sha256 and edition.
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

from training import build_screening
from training.ccl_xml import parse_ccl
from training.conditions import build_conditions
from training.control_reading import Names, check_entries, resolve_pointers
from training.countries import build_countries
from training.license_tables import add_regions, check_destinations, parse_supplement_2_part_744
from training.mtcr_annex import parse_mtcr_annex
from training.rule_tables import check_rule_tables
from training.supplements_xml import parse_supplements
from training.xml_text import SourceError

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
PART2_NOTES_KEY = "5 Part 2"
LICENSE_TABLES = ("sanctions", "end_use", "chart_notes", "control_rows")


def _table(rules_dir: Path, name: str) -> dict[str, Any]:
    return json.loads((rules_dir / f"{name}.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_json(path: Path, data: Any) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)


def crosscheck(ccl_ids: set[str], trade_path: Path) -> dict[str, Any]:
    """Share of another parser's paragraph ids found in ours, with every miss listed."""
    rows = [json.loads(line) for line in trade_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    misses = [r for r in rows if r["id"] not in ccl_ids]
    return {
        "reference": trade_path.name,
        "reference_ids": len(rows),
        "found": len(rows) - len(misses),
        "coverage": round((len(rows) - len(misses)) / len(rows), 4),
        "misses_by_supplement": dict(Counter(r["supplement"] for r in misses)),
        "misses": [{"id": r["id"], "supplement": r["supplement"], "text": r["text"][:160]} for r in misses],
    }


def build(out: Path = CORPUS, ccl_path: Path | None = None, edition: str | None = None) -> dict[str, Any]:
    """Parse every source under ``out/sources`` and write the corpus files and manifest into ``out``."""
    sources_dir = out / "sources"
    registry = json.loads((sources_dir / "sources.json").read_text(encoding="utf-8"))
    default_ccl = sources_dir / registry["ccl"]["file"]
    if ccl_path is not None and ccl_path.resolve() != default_ccl.resolve():
        if not edition:
            raise SourceError(ccl_path, None, None, "a new CCL source needs --edition YYYY-MM-DD (its eCFR date)")
        ccl = parse_ccl(ccl_path)  # validate before replacing the committed source
        shutil.copyfile(ccl_path, default_ccl)
        registry["ccl"].update(edition=edition, origin=f"user-supplied eCFR XML ({ccl_path.name})", edition_note="")
        write_json(sources_dir / "sources.json", registry)
    else:
        ccl = parse_ccl(default_ccl)
    edition = registry["ccl"]["edition"]

    ccl_json = ccl.to_json()
    part2_notes = ccl_json["category_notes"].get(PART2_NOTES_KEY, [])
    for entry in ccl_json["entries"]:
        entry["category_notes_key"] = f"{entry['category']} {entry['part']}".strip() if entry["part"] else ""
    supplements = parse_supplements(sources_dir / registry["supplements_774"]["file"])
    countries = build_countries(
        sources_dir / registry["country_chart"]["file"], sources_dir / registry["country_groups"]["file"]
    )
    countries["license_exceptions"] = json.loads((sources_dir / registry["license_exceptions"]["file"]).read_text())[
        "exceptions"
    ]
    mtcr = parse_mtcr_annex(
        sources_dir / registry["mtcr_annex"]["file"], sources_dir / registry["mtcr_annex"]["repairs"]
    )
    rules_dir = out / "rules"
    regions = add_regions(countries, _table(rules_dir, "sanctions"), str(rules_dir / "sanctions.json"))
    destinations_named = check_destinations(out, countries["aliases"], LICENSE_TABLES)
    names = Names(countries["aliases"])
    pointers = resolve_pointers(_table(rules_dir, "control_rows"), names, str(rules_dir / "control_rows.json"))
    discrepancies_path = sources_dir / registry["ccl"]["discrepancies"]
    discrepancies = json.loads(discrepancies_path.read_text(encoding="utf-8"))["entries"]
    control_check = check_entries(ccl_json["entries"], pointers, names, discrepancies, str(discrepancies_path))
    supplement_744 = parse_supplement_2_part_744(sources_dir / registry["supplement_2_part_744"]["file"])

    vocabulary = json.loads((out / "rules" / "parameters.json").read_text(encoding="utf-8"))
    conditions = build_conditions(ccl_json, vocabulary)

    paragraph_ids = {p["id"] for e in ccl_json["entries"] for p in e["paragraphs"]}
    eccns = {e["eccn"] for e in ccl_json["entries"]}
    check = crosscheck(paragraph_ids | eccns, sources_dir / registry["trade_leaf_paragraphs"]["file"])

    counts = {
        "eccns": len(eccns),
        "paragraphs": len(paragraph_ids),
        "eccns_by_category": dict(sorted(Counter(e["category"] for e in ccl_json["entries"]).items())),
        "paragraph_notes": sum(len(p["notes"]) for e in ccl_json["entries"] for p in e["paragraphs"]),
        "control_rows": sum(len(e["controls"]) for e in ccl_json["entries"]),
        "entries_subject_to_itar": sum(e["subject_to_itar"] for e in ccl_json["entries"]),
        "reserved_paragraphs": sum(p["reserved"] for e in ccl_json["entries"] for p in e["paragraphs"]),
        "category_5_part_2_notes": len(part2_notes),
        "supplements_774": len(supplements),
        "countries": len(countries["countries"]),
        "country_aliases": len(countries["aliases"]),
        "mtcr_annex_items": len(mtcr["items"]),
        "mtcr_category_1_items": sum(i["category"] == "I" for i in mtcr["items"]),
        "unparsed_elements": len(ccl_json["unparsed"]),
        "deciding_conditions": conditions["counts"],
        "catch_all_entries": len(conditions["catch_alls"]),
        "itar_pointer_entries": sum(e["itar_pointer"] for e in ccl_json["entries"]),
        "control_rows_checked": control_check,
        "sanctioned_regions": regions,
        "license_table_destinations": destinations_named,
        "supplement_2_part_744_items": len(supplement_744["items"]),
    }
    outputs = {
        "ccl.json": {"edition": edition, "citation": "15 CFR part 774, Supplement No. 1", **ccl_json},
        "supplements_774.json": {"edition": registry["supplements_774"]["edition"], "supplements": supplements},
        "countries.json": countries,
        "mtcr_annex.json": mtcr,
        "conditions.json": {"edition": edition, **conditions},
        "crosscheck.json": check,
        "supplement_2_part_744.json": supplement_744,
    }
    for name, data in outputs.items():
        write_json(out / name, data)
    counts["screening_parties"] = build_screening.build(out, registry)["parties"]

    sources = []
    for key, meta in registry.items():
        source = {"id": key, **meta, "sha256": sha256(sources_dir / meta["file"])}
        if "repairs" in meta:
            source["repairs_sha256"] = sha256(sources_dir / meta["repairs"])
        if "discrepancies" in meta:
            source["discrepancies_sha256"] = sha256(sources_dir / meta["discrepancies"])
        sources.append(source)
    manifest = {
        "edition": edition,
        "built_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "counts": counts,
        "crosscheck": {
            k: check[k] for k in ("reference", "reference_ids", "found", "coverage", "misses_by_supplement")
        },
        "sources": sources,
        "files": {name: sha256(out / name) for name in [*outputs, build_screening.OUTPUT]},
    }
    manifest["rule_tables"] = check_rule_tables(out)
    write_json(out / "MANIFEST.json", manifest)
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.build_corpus", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--ccl", type=Path, default=None, help="eCFR XML of Supplement No. 1 to part 774 (default: the committed one)"
    )
    parser.add_argument("--edition", help="edition date of --ccl (YYYY-MM-DD), required with a new --ccl")
    args = parser.parse_args(argv)
    try:
        manifest = build(CORPUS, args.ccl, args.edition)
    except SourceError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    counts = manifest["counts"]
    rows = counts["control_rows_checked"]
    print(f"CCL edition {manifest['edition']}")
    print(
        f"  Control(s) rows: {rows['rows']} ({rows['read_chart']} Country Chart columns, "
        f"{rows['read_destinations']} destinations in words or by cited section, {rows['review']} marked for review); "
        f"entries whose reasons and rows disagree: {rows['entries_reasons_rows_disagree']} "
        f"({rows['source_discrepancies_listed']} source discrepancies listed)"
    )
    for key, value in counts.items():
        print(f"  {key}: {value}")
    check = manifest["crosscheck"]
    print(
        f"  cross-check: {check['found']}/{check['reference_ids']} reference paragraph ids found"
        f" ({check['coverage']:.1%})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
