"""Command-line interface. Each subcommand is a small function; ``--json`` prints one JSON object.

Exit codes (``exits.py``): 0 classified, 1 some batch rows carry errors, 2 bad usage or input the user must
fix (unknown ECCN, unknown country, NaN value, unwritable output), 3 the tool cannot run (damaged data or
model files, or an internal failure whose traceback goes to a log file named on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from classifier import exits
from classifier.corpus import Corpus, CorpusError, UnknownId
from classifier.countries import UnknownCountry
from classifier.eccn import InvalidECCN
from classifier.inputs import MAX_TOP_K, InputError, number, terminal_safe
from classifier.integrity import sha256_bytes
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
    print(exits.json_for_terminal(json.dumps(data, ensure_ascii=False, indent=2, default=str)))


def _print(text: str) -> None:
    """Text views echo what users typed: escape sequences in it must not reach the terminal."""
    print(terminal_safe(text))


def cmd_show(args: argparse.Namespace, corpus: Corpus) -> int:
    data = describe(corpus, args.id)
    if args.json:
        _print_json(data)
    else:
        _print(render_text(data))
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
    exits.say(f"error: {message}")
    return exits.USAGE


def cmd_classify(args: argparse.Namespace, corpus: Corpus) -> int:
    from classifier.engine import Classifier

    facts = {
        "destination": args.destination,
        "end_user": args.end_user,
        "consignee": args.consignee,
        "total_value": args.total_value,
        "us_content_value": args.us_content_value,
        "us_content_eccns": args.us_content_eccn or None,
        "payload_kg": args.payload_kg,
        "range_km": args.range_km,
        "mass_market": args.mass_market,
        "answers": dict(args.answer) if args.answer else None,
        "end_use": args.end_use,
    }
    if args.records:
        _writable_folder(args.records, "--records")
    result = Classifier.load(corpus_dir=corpus.directory, decisions=args.decisions).classify(
        args.text, top_k=args.top_k, **{k: v for k, v in facts.items() if v is not None}
    )
    if args.records:
        from classifier.record import record_stem, write_record

        given = {k: v for k, v in facts.items() if v is not None}
        product = args.id or f"classify-{sha256_bytes(args.text.encode())[:10]}"
        path = write_record(result, args.records, record_stem(product), given, product_id=args.id or "")
        exits.say(f"rationale record: {path}, memo {path.with_suffix('.md')} and {path.with_suffix('.pdf')}")
    if args.json:
        _print_json(result.to_dict())
    else:
        _print(render_classification(result))
    return 0


def _writable_folder(path: Path, option: str) -> None:
    if path.exists() and not path.is_dir():
        raise InputError(f"{option} {path} is a file; give a folder (it is created when missing)")


def cmd_license(args: argparse.Namespace, corpus: Corpus) -> int:
    from classifier.rules.license import license_view

    view = license_view(corpus, args.id, args.destination, args.end_use)
    if args.json:
        _print_json(view)
    else:
        _print(render_license(view))
    return 0


def cmd_de_minimis(args: argparse.Namespace, corpus: Corpus) -> int:
    from classifier.eccn import ECCN
    from classifier.rules.de_minimis import decide

    eccns = [ECCN.normalize(e) for e in args.us_content_eccn or []]
    decision = decide(corpus, args.total_value, args.us_content_value, args.destination, eccns, args.enc_authorization)
    if args.json:
        _print_json(decision.to_dict())
    else:
        _print(render_de_minimis(decision.to_dict()))
    return 0


def cmd_batch(args: argparse.Namespace, corpus: Corpus) -> int:
    from classifier.batch import check_paths, run_batch
    from classifier.engine import Classifier

    check_paths(args.input, args.output, args.records)  # before the minute-long load
    if args.engine == "ray":
        summary = _ray_batch(args, corpus)
    else:
        summary = run_batch(
            Classifier.load(corpus_dir=corpus.directory, decisions=args.decisions),
            args.input,
            args.output,
            top_k=args.top_k,
            records=args.records,
            resume=args.resume,
            chunk_size=args.chunk_size,
        )
    resumed = f" (resumed after row {summary.resumed_from})" if summary.resumed_from else ""
    exits.say(f"{summary.rows} rows classified into {args.output}{resumed}; {summary.errors} with errors")
    if summary.cut_cells:
        exits.say(
            f"warning: {summary.cut_cells} cells longer than {summary.cell_limit:,} characters were cut to fit the "
            "spreadsheet (marked in the 'warnings' column); write .csv or .jsonl to keep them whole"
        )
    return exits.ROW_ERRORS if summary.errors else exits.OK


def _ray_batch(args: argparse.Namespace, corpus: Corpus) -> Any:
    """``batch --engine ray``: the same batch on a Ray cluster (``ray_batch.py``); the workers load the
    classifier, so this process only reads, checks and writes."""
    from classifier.decisions import read_decisions
    from classifier.ray_batch import run_ray_batch

    if args.decisions is not None:
        read_decisions(args.decisions, corpus)  # a bad table stops here, not in every worker
    return run_ray_batch(
        args.input,
        args.output,
        corpus_dir=corpus.directory,
        top_k=args.top_k,
        records=args.records,
        resume=args.resume,
        chunk_size=args.chunk_size,
        decisions=args.decisions,
        address=args.address,
        workers=args.workers,
        cpus_per_worker=args.cpus_per_worker,
        gpus_per_worker=args.gpus_per_worker,
    )


def _share(text: str) -> float:
    """A worker's share of CPUs or GPUs: a number above 0 (0.5 lets two workers share one GPU)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text[:40]!r}") from None
    if not 0 < value <= 1024:
        raise argparse.ArgumentTypeError(f"expected a number above 0, got {text[:40]!r}")
    return value


def _answer(text: str) -> tuple[str, str]:
    """``--answer "frame rate=30 Hz"``: a question's parameter and the user's value."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip() or not value.strip():
        raise argparse.ArgumentTypeError(
            f"expected NAME=VALUE (a parameter named in the result's questions, e.g. 'frame rate=30 Hz' or "
            f"'mass_market=no'), got {text!r}"
        )
    return name.strip(), value.strip()


def cmd_screen(args: argparse.Namespace, corpus: Corpus) -> int:
    from classifier import screening
    from classifier.screening.report import render_screening

    try:
        result = screening.load(corpus.directory).screen(args.name, args.country, args.address)
    except (screening.ListMissing, screening.ScreeningInputError) as err:
        return _error(err)
    if args.json:
        _print_json(result.to_dict())
    else:
        print(render_screening(result.to_dict()))
    return 0


def cmd_triage(args: argparse.Namespace, corpus: Corpus) -> int:
    from classifier.engine import Classifier
    from classifier.triage import Application, triage
    from classifier.triage.report import render_triage

    app = Application(
        description=args.description,
        destination=args.destination,
        claimed_eccn=args.claimed_eccn or "",
        end_user=args.end_user or "",
        consignee=args.consignee or "",
        end_use=args.end_use or "",
        value=args.value,
    )
    result = triage(Classifier.load(corpus_dir=corpus.directory), app)
    if result.error:
        return _error(result.error)
    if args.json:
        _print_json(result.to_dict())
    else:
        print(render_triage(result))
    return 0


def cmd_triage_batch(args: argparse.Namespace, corpus: Corpus) -> int:
    from classifier.engine import Classifier
    from classifier.tables import TableError
    from classifier.triage.queue import run_queue

    try:
        ordered = run_queue(Classifier.load(corpus_dir=corpus.directory), args.input, args.output)
    except TableError as err:
        return _error(err)
    counts = {p: sum(r.priority == p for _, r in ordered) for p in ("high", "medium", "low", "error")}
    print(
        f"{len(ordered)} applications triaged into {args.output}: "
        + ", ".join(f"{n} {p}" for p, n in counts.items() if n),
        file=sys.stderr,
    )
    return 1 if counts["error"] else 0


def _yes_no(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("yes", "y", "true", "1"):
        return True
    if lowered in ("no", "n", "false", "0"):
        return False
    raise argparse.ArgumentTypeError(f"expected yes or no, got {text[:40]!r}")


def _finite(text: str) -> float:
    """A finite number for a value option (nan, inf and 1e400 are refused by argparse, exit 2)."""
    try:
        return number(text, "the value")
    except InputError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _count(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text[:40]!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"expected a whole number from {low} to {high}, got {value}")
        return value

    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m classifier",
        description="Export-classification assistant for the US Commerce Control List. " + NOT_LEGAL_ADVICE,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    classify = sub.add_parser("classify", help="suggest ECCNs (or EAR99) for a product description, with rule findings")
    classify.add_argument("text", help="the product description")
    classify.add_argument("--top-k", type=_count(1, MAX_TOP_K), default=5, help="number of suggestions (default 5)")
    classify.add_argument("--destination", help="country of destination: adds the license view and MTCR partner check")
    classify.add_argument("--end-user", help="end user name (screened against the Consolidated Screening List)")
    classify.add_argument("--consignee", help="consignee name (screened against the Consolidated Screening List)")
    classify.add_argument("--total-value", type=_finite, help="value of the foreign-made item (de minimis)")
    classify.add_argument(
        "--us-content-value", type=_finite, help="value of U.S.-origin controlled content (de minimis)"
    )
    classify.add_argument("--us-content-eccn", action="append", help="ECCN of U.S.-origin content (repeatable)")
    classify.add_argument("--payload-kg", type=_finite, help="payload in kg (MTCR)")
    classify.add_argument("--range-km", type=_finite, help="range in km (MTCR)")
    classify.add_argument("--mass-market", type=_yes_no, help="yes/no: the item meets the Cryptography Note")
    classify.add_argument(
        "--answer",
        type=_answer,
        action="append",
        metavar="NAME=VALUE",
        help="answer one of the result's questions and classify again (repeatable): 'frame rate=30 Hz', "
        "'space_qualified=no', 'mass_market=yes'",
    )
    classify.add_argument("--end-use", help=END_USE_HELP)
    classify.add_argument("--json", action="store_true", help="print one JSON object")
    classify.add_argument(
        "--records", type=Path, help="also write a JSON audit record and the memo (Markdown and PDF) here"
    )
    classify.add_argument("--id", default="", help="product id for the record and memo names (<id>-<date>.pdf)")
    classify.add_argument("--decisions", type=Path, help=DECISIONS_HELP)
    classify.set_defaults(func=cmd_classify)
    show = sub.add_parser("show", help="show an ECCN or paragraph with its text, notes, controls and exceptions")
    show.add_argument("id", help="an ECCN or paragraph id, e.g. 5A002, 5A002.a.1, 3a001a5b2")
    show.add_argument("--json", action="store_true", help="print one JSON object")
    show.set_defaults(func=cmd_show)
    batch = sub.add_parser(
        "batch", help="classify every row of a CSV, XLSX, JSONL or Parquet file (streaming, resumable)"
    )
    batch.add_argument(
        "input", type=Path, help="input file with a 'description' column (.csv, .xlsx, .jsonl or .parquet)"
    )
    batch.add_argument("--output", type=Path, required=True, help="output file (.csv, .xlsx or .jsonl)")
    batch.add_argument("--top-k", type=_count(1, MAX_TOP_K), default=5, help="suggestions per row (default 5)")
    batch.add_argument("--records", type=Path, help="write a JSON audit record and a Markdown memo per row here")
    batch.add_argument("--resume", action="store_true", help="continue an interrupted run of the same input and output")
    batch.add_argument("--decisions", type=Path, help=DECISIONS_HELP)
    batch.add_argument("--chunk-size", type=_count(1, 10_000), default=64, help="rows per encoder call (default 64)")
    batch.add_argument(
        "--engine",
        choices=("local", "ray"),
        default="local",
        help="local: this process (default); ray: a pool of Ray actors, same output row for row",
    )
    batch.add_argument(
        "--address", help="--engine ray: the cluster to join (default: RAY_ADDRESS, else a new local cluster)"
    )
    batch.add_argument(
        "--workers", type=_count(1, 100_000), help="--engine ray: actors in the pool (default: the cluster's CPUs)"
    )
    batch.add_argument("--cpus-per-worker", type=_share, default=1.0, help="--engine ray: CPUs per actor (default 1)")
    batch.add_argument(
        "--gpus-per-worker", type=_share, help="--engine ray: GPUs per actor (e.g. 1 or 0.5); sets ECCN_DEVICE=cuda"
    )
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
    dm.add_argument("--total-value", type=_finite, required=True, help="value of the foreign-made item")
    dm.add_argument(
        "--us-content-value", type=_finite, required=True, help="value of its U.S.-origin controlled content"
    )
    dm.add_argument("--destination", required=True, help="country name or ISO code")
    dm.add_argument("--us-content-eccn", action="append", help="ECCN of U.S.-origin content (repeatable)")
    dm.add_argument(
        "--enc-authorization",
        choices=["b1", "b2", "b3", "public-source"],
        help="ENC authorization of U.S.-origin 5A002/5D002/5A004 content (15 CFR 734.4(b))",
    )
    dm.add_argument("--json", action="store_true", help="print one JSON object")
    dm.set_defaults(func=cmd_de_minimis)
    scr = sub.add_parser("screen", help="screen a party name against the Consolidated Screening List")
    scr.add_argument("name", help="the party's name (company, person or vessel)")
    scr.add_argument("--country", help="the party's country: parties listed only elsewhere score lower")
    scr.add_argument("--address", help="the party's address (its country is read from it when --country is absent)")
    scr.add_argument("--json", action="store_true", help="print one JSON object")
    scr.set_defaults(func=cmd_screen)
    tri = sub.add_parser("triage", help="priority and reasons for one license application")
    tri.add_argument("--description", required=True, help="the item's description")
    tri.add_argument("--destination", required=True, help="country of destination")
    tri.add_argument("--claimed-eccn", help="the ECCN the applicant claims (or EAR99)")
    tri.add_argument("--end-user", help="end user name (screened)")
    tri.add_argument("--consignee", help="consignee name (screened)")
    tri.add_argument("--end-use", help="the stated end use (read for military end use and red flags)")
    tri.add_argument("--value", type=float, help="the value of the transaction (orders ties)")
    tri.add_argument("--json", action="store_true", help="print one JSON object")
    tri.set_defaults(func=cmd_triage)
    trib = sub.add_parser("triage-batch", help="triage every application of a CSV, XLSX or JSONL file, queue ordered")
    trib.add_argument("input", type=Path, help="applications: description, destination, claimed_eccn, end_user, ...")
    trib.add_argument("--output", type=Path, required=True, help="the ordered queue (.csv, .xlsx or .jsonl)")
    trib.set_defaults(func=cmd_triage_batch)
    info = sub.add_parser("corpus-info", help="edition, counts and sources of the embedded regulation")
    info.add_argument("--json", action="store_true", help="print one JSON object")
    info.set_defaults(func=cmd_corpus_info)
    return parser


def _user_errors() -> tuple[type[BaseException], ...]:
    """Errors that say what the user must change (exit 2)."""
    from classifier.decisions import DecisionError
    from classifier.rules.de_minimis import DeMinimisInputError
    from classifier.rules.end_use import UnknownEndUse
    from classifier.tables import TableError

    return (
        InputError,
        UnknownId,
        UnknownCountry,
        InvalidECCN,
        DeMinimisInputError,
        UnknownEndUse,
        TableError,
        DecisionError,
    )


def _broken_installation() -> tuple[type[BaseException], ...]:
    """Errors that say which data or model file to rebuild (exit 3)."""
    from classifier.integrity import IntegrityError
    from classifier.rank import RankerError

    return (CorpusError, IntegrityError, RankerError)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    bad = exits.undecodable_argument(argv)
    if bad is not None:
        return _error(f"an argument is not valid UTF-8 text: {bad[:80]}; re-type it or save it as UTF-8")
    parser = build_parser()
    args = parser.parse_args(argv)  # exits 2 on bad usage, 0 for --help
    func: Callable[[argparse.Namespace, Corpus], int] | None = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return exits.USAGE
    exits.configure_logging()
    try:
        return func(args, Corpus())
    except _user_errors() as err:
        return _error(err)
    except _broken_installation() as err:
        exits.say(f"error: {err}")
        return exits.FAILURE
    except BrokenPipeError:  # the reader of stdout went away (| head): nothing more to say
        return exits.OK
    except OSError as err:
        if err.filename is not None:  # a path the user gave: missing, a folder, read-only
            return _error(f"{err.filename}: {err.strerror}")
        return _internal_failure(argv, err)
    except KeyboardInterrupt:
        exits.say("interrupted")
        return 130
    except Exception as err:
        return _internal_failure(argv, err)


def _internal_failure(argv: list[str], err: BaseException) -> int:
    log = exits.write_failure_log(argv)
    exits.say(f"error: internal failure ({type(err).__name__}); the details are in {log}")
    return exits.FAILURE
