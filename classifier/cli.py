"""Command-line interface. Each subcommand is a small function; ``--json`` prints one JSON object.

Exit codes: 0 success, 2 bad usage or input the user must fix (unknown ECCN, unknown country).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from classifier.corpus import Corpus, CorpusError, UnknownId
from classifier.show import describe, render_text

NOT_LEGAL_ADVICE = (
    "Suggestions and lookups support, and do not replace, a person's classification decision under the EAR."
)


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def cmd_show(args: argparse.Namespace, corpus: Corpus) -> int:
    try:
        data = describe(corpus, args.id)
    except UnknownId as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m classifier",
        description="Export-classification assistant for the US Commerce Control List. " + NOT_LEGAL_ADVICE,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    show = sub.add_parser("show", help="show an ECCN or paragraph with its text, notes, controls and exceptions")
    show.add_argument("id", help="an ECCN or paragraph id, e.g. 5A002, 5A002.a.1, 3a001a5b2")
    show.add_argument("--json", action="store_true", help="print one JSON object")
    show.set_defaults(func=cmd_show)
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
        print(f"error: {err}", file=sys.stderr)
        return 2
