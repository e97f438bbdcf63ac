"""Command-line interface. Each subcommand is a small function; ``--json`` prints one JSON object.

Exit codes: 0 success, 2 bad usage or input the user must fix (unknown ECCN, unknown country).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from classifier.corpus import Corpus, CorpusError, UnknownId
from classifier.countries import UnknownCountry
from classifier.report import render_classification, render_de_minimis, render_license
from classifier.result import NOTICE
from classifier.show import describe, render_text

NOT_LEGAL_ADVICE = NOTICE


DECISIONS_HELP = (
    "past decisions to weigh and quote: a .csv, .xlsx or .jsonl table with a description column and an eccn column"
)


END_USE_HELP = (
    "a known end use (15 CFR part 744): nuclear, missile, chemical-biological-weapons, military, "
    "military-intelligence, supercomputer, advanced-node-ic, semiconductor-manufacturing"
)


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def cmd_show(args: argparse.Namespace, corpus: Corpus) -> int:
    try:
        data = describe(corpus, args.id)
    except UnknownId as err:
        return _error(err)
    if args.json:
        _print_json(data)
    else:
        print(render_text(data))
    return 0


def cmd_corpus_info(args: argparse.Namespace, corpus: Corpus) -> int:
    info = corpus.info()
    if args.json:
        _print_json(info)
        return 0
    print(f"CCL edition: {info['edition']}   ECCNs: {info['eccns']}   paragraphs: {info['paragraphs']}")
    check = info["crosscheck"]
    print(f"Cross-check: {check['found']}/{check['reference_ids']} paragraph ids of {check['reference']} found")
    print("Sources:")
    for source in info["sources"]:
        print(
            f"  - {source['title']}\n    edition {source['edition']}, sha256 {source['sha256'][:16]}…, {source['file']}"
        )
        if source.get("edition_note"):
            print(f"    note: {source['edition_note']}")
    return 0


def _error(message: object) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def cmd_classify(args: argparse.Namespace, corpus: Corpus) -> int:
    from classifier.decisions import DecisionError
    from classifier.engine import Classifier, InputError

    facts = {
        "destination": args.destination,
        "end_user": args.end_user,
        "total_value": args.total_value,
        "us_content_value": args.us_content_value,
        "us_content_eccns": args.us_content_eccn or None,
        "payload_kg": args.payload_kg,
        "range_km": args.range_km,
        "mass_market": args.mass_market,
        "end_use": args.end_use,
    }
    try:
        result = Classifier.load(corpus_dir=corpus.directory, decisions=args.decisions).classify(
            args.text, top_k=args.top_k, **{k: v for k, v in facts.items() if v is not None}
        )
    except (InputError, DecisionError) as err:
        return _error(err)
    if args.records:
        from classifier.record import write_record

        given = {k: v for k, v in facts.items() if v is not None}
        path = write_record(result, args.records, f"classify-{abs(hash(args.text)) % 10**10:010d}", given)
        print(f"rationale record: {path} and {path.with_suffix('.md')}", file=sys.stderr)
    if args.json:
        _print_json(result.to_dict())
    else:
        print(render_classification(result))
    return 0


def cmd_license(args: argparse.Namespace, corpus: Corpus) -> int:
    from classifier.rules.end_use import UnknownEndUse
    from classifier.rules.license import license_view

    try:
        view = license_view(corpus, args.id, args.destination, args.end_use)
    except (UnknownId, UnknownCountry, UnknownEndUse) as err:
        return _error(err)
    if args.json:
        _print_json(view)
    else:
        print(render_license(view))
    return 0


def cmd_de_minimis(args: argparse.Namespace, corpus: Corpus) -> int:
    from classifier.eccn import ECCN, InvalidECCN
    from classifier.rules.de_minimis import DeMinimisInputError, decide

    try:
        eccns = [ECCN.normalize(e) for e in args.us_content_eccn or []]
        decision = decide(
            corpus, args.total_value, args.us_content_value, args.destination, eccns, args.enc_authorization
        )
    except (DeMinimisInputError, UnknownCountry, InvalidECCN) as err:
        return _error(err)
    if args.json:
        _print_json(decision.to_dict())
    else:
        print(render_de_minimis(decision.to_dict()))
    return 0


def cmd_batch(args: argparse.Namespace, corpus: Corpus) -> int:
    from classifier.batch import BatchError, run_batch
    from classifier.decisions import DecisionError
    from classifier.engine import Classifier

    try:
        summary = run_batch(
            Classifier.load(corpus_dir=corpus.directory, decisions=args.decisions),
            args.input,
            args.output,
            top_k=args.top_k,
            records=args.records,
            resume=args.resume,
            chunk_size=args.chunk_size,
        )
    except (BatchError, DecisionError) as err:
        return _error(err)
    resumed = f" (resumed after row {summary.resumed_from})" if summary.resumed_from else ""
    print(f"{summary.rows} rows classified into {args.output}{resumed}; {summary.errors} with errors", file=sys.stderr)
    return 1 if summary.errors else 0


def _yes_no(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("yes", "y", "true", "1"):
        return True
    if lowered in ("no", "n", "false", "0"):
        return False
    raise argparse.ArgumentTypeError(f"expected yes or no, got {text!r}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m classifier",
        description="Export-classification assistant for the US Commerce Control List. " + NOT_LEGAL_ADVICE,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    classify = sub.add_parser("classify", help="suggest ECCNs (or EAR99) for a product description, with rule findings")
    classify.add_argument("text", help="the product description")
    classify.add_argument("--top-k", type=int, default=5, help="number of suggestions (default 5)")
    classify.add_argument("--destination", help="country of destination: adds the license view and MTCR partner check")
    classify.add_argument("--end-user", help="end user name (recorded with the facts)")
    classify.add_argument("--total-value", type=float, help="value of the foreign-made item (de minimis)")
    classify.add_argument("--us-content-value", type=float, help="value of U.S.-origin controlled content (de minimis)")
    classify.add_argument("--us-content-eccn", action="append", help="ECCN of U.S.-origin content (repeatable)")
    classify.add_argument("--payload-kg", type=float, help="payload in kg (MTCR)")
    classify.add_argument("--range-km", type=float, help="range in km (MTCR)")
    classify.add_argument("--mass-market", type=_yes_no, help="yes/no: the item meets the Cryptography Note")
    classify.add_argument("--end-use", help=END_USE_HELP)
    classify.add_argument("--json", action="store_true", help="print one JSON object")
    classify.add_argument("--records", type=Path, help="also write a JSON audit record and a Markdown memo here")
    classify.add_argument("--decisions", type=Path, help=DECISIONS_HELP)
    classify.set_defaults(func=cmd_classify)
    show = sub.add_parser("show", help="show an ECCN or paragraph with its text, notes, controls and exceptions")
    show.add_argument("id", help="an ECCN or paragraph id, e.g. 5A002, 5A002.a.1, 3a001a5b2")
    show.add_argument("--json", action="store_true", help="print one JSON object")
    show.set_defaults(func=cmd_show)
    batch = sub.add_parser("batch", help="classify every row of a CSV, XLSX or JSONL file (streaming, resumable)")
    batch.add_argument("input", type=Path, help="input file with a 'description' column (.csv, .xlsx or .jsonl)")
    batch.add_argument("--output", type=Path, required=True, help="output file (.csv, .xlsx or .jsonl)")
    batch.add_argument("--top-k", type=int, default=5, help="suggestions per row (default 5)")
    batch.add_argument("--records", type=Path, help="write a JSON audit record and a Markdown memo per row here")
    batch.add_argument("--resume", action="store_true", help="continue an interrupted run of the same input and output")
    batch.add_argument("--decisions", type=Path, help=DECISIONS_HELP)
    batch.add_argument("--chunk-size", type=int, default=64, help="rows per encoder call (default 64)")
    batch.set_defaults(func=cmd_batch)
    lic = sub.add_parser(
        "license",
        help="is a license required for an ECCN paragraph (or EAR99) to a destination? "
        "required / not required / review",
    )
    lic.add_argument("id", help="ECCN or paragraph id, or EAR99")
    lic.add_argument("--destination", required=True, help="country name or ISO code")
    lic.add_argument("--end-use", help=END_USE_HELP)
    lic.add_argument("--json", action="store_true", help="print one JSON object")
    lic.set_defaults(func=cmd_license)
    dm = sub.add_parser(
        "de-minimis", help="is a foreign-made item with U.S. content subject to the EAR? (15 CFR 734.4)"
    )
    dm.add_argument("--total-value", type=float, required=True, help="value of the foreign-made item")
    dm.add_argument("--us-content-value", type=float, required=True, help="value of its U.S.-origin controlled content")
    dm.add_argument("--destination", required=True, help="country name or ISO code")
    dm.add_argument("--us-content-eccn", action="append", help="ECCN of U.S.-origin content (repeatable)")
    dm.add_argument(
        "--enc-authorization",
        choices=["b1", "b2", "b3", "public-source"],
        help="ENC authorization of U.S.-origin 5A002/5D002/5A004 content (15 CFR 734.4(b))",
    )
    dm.add_argument("--json", action="store_true", help="print one JSON object")
    dm.set_defaults(func=cmd_de_minimis)
    info = sub.add_parser("corpus-info", help="edition, counts and sources of the embedded regulation")
    info.add_argument("--json", action="store_true", help="print one JSON object")
    info.set_defaults(func=cmd_corpus_info)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace, Corpus], int] | None = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    try:
        return func(args, Corpus())
    except CorpusError as err:
        return _error(err)
