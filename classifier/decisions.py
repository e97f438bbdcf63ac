"""Past classification decisions as evidence: "classify the way we decided before".

An exporter or a licensing office has classified items before. Given as a table (CSV, XLSX or JSONL with
a description column and an ECCN column), those decisions join the labelled-example memory: the nearest
ones add their entries to the candidate pool and vote through the ranker's example features, and a
suggestion that agrees with a close past decision quotes it. A past decision is evidence, not an
override: it is weighed like any labelled example, and the CCL paragraph is still shown.

Every ECCN in the file must be on the CCL edition in use (or be EAR99); a file with bad rows is refused
as a whole, naming the rows, so nothing is silently dropped. The file's name, row count and sha256 go
into every result's provenance.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from classifier.corpus import Corpus, UnknownId
from classifier.eccn import EAR99, ECCN, InvalidECCN
from classifier.tables import TableError, description_column, read_rows

ECCN_COLUMNS = ("eccn", "ECCN", "us_eccn", "decided_eccn", "classification")
SHOWN_ERRORS = 10


class DecisionError(ValueError):
    """A decisions file that cannot be used (exit code 2 on the command line)."""


@dataclass(frozen=True)
class Decision:
    description: str
    eccn: str  # the normalized ECCN paragraph id, or EAR99
    source: str  # where it came from: "decisions.csv row 12"


@dataclass(frozen=True)
class DecisionSet:
    decisions: tuple[Decision, ...]
    name: str
    sha256: str

    def provenance(self) -> dict[str, object]:
        return {"file": self.name, "rows": len(self.decisions), "sha256": self.sha256}


def read_decisions(path: Path | str, corpus: Corpus) -> DecisionSet:
    """Every row of the file as a Decision; DecisionError naming the bad rows when any is unusable."""
    path = Path(path)
    try:
        columns, rows = read_rows(path)
        text_column = description_column(columns)
    except TableError as err:
        raise DecisionError(str(err)) from err
    eccn_column = next((c for c in ECCN_COLUMNS if c in columns), None)
    if eccn_column is None:
        raise DecisionError(
            f"{path.name}: no ECCN column (one of {', '.join(ECCN_COLUMNS)}); "
            f"the columns found are: {', '.join(columns)}"
        )
    decisions, errors = [], []
    first_row = 1 if path.suffix.lower() == ".jsonl" else 2  # spreadsheet rows count the header
    for number, row in enumerate(rows, first_row):
        where = f"{path.name} row {number}"
        text = str(row.get(text_column) or "").strip()
        raw = str(row.get(eccn_column) or "").strip()
        if "_error" in row:
            errors.append(f"{where}: {row['_error']}")
        elif not text:
            errors.append(f"{where}: empty description")
        elif not raw:
            errors.append(f"{where}: no ECCN")
        else:
            try:
                eccn = _known(raw, corpus)
            except (InvalidECCN, UnknownId) as err:
                errors.append(f"{where}: {err}")
            else:
                decisions.append(Decision(text, eccn, where))
    if errors:
        more = f" (and {len(errors) - SHOWN_ERRORS} more)" if len(errors) > SHOWN_ERRORS else ""
        raise DecisionError("unusable decisions: " + "; ".join(errors[:SHOWN_ERRORS]) + more)
    if not decisions:
        raise DecisionError(f"{path.name} holds no decisions")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return DecisionSet(tuple(decisions), path.name, digest)


def _known(raw: str, corpus: Corpus) -> str:
    """The normalized id of an ECCN on this CCL edition, or EAR99."""
    eccn = ECCN.parse(raw)
    if eccn.is_ear99:
        return EAR99
    corpus.lookup(eccn)  # UnknownId, with the nearest ids, when this edition has no such entry or paragraph
    return str(eccn)
