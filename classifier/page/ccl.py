"""The CCL browser: find paragraphs by meaning and by words, then read the whole entry.

Search runs the classifier's own index: the dense (meaning) and lexical (BM25, words) rankings over the
paragraph documents, fused by reciprocal rank, so "thermal camera" finds 6A003.b.4 and 6A993.a although
neither says "thermal camera". Each hit shows its full text with the paragraphs above it, so a fragment
("having any of the following:") is never shown without its context. An entry is shown as its whole
tree with full text, the opened paragraph marked, every ECCN or paragraph id in the text a link, and the
entry's Control(s) rows against the Country Chart: the columns each reason uses and, for a destination,
whether its row has an X there (``rules.country_chart``), with the license answer for that paragraph.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from classifier.corpus import Corpus, UnknownId
from classifier.countries import UnknownCountry
from classifier.report import verdict_word
from classifier.rules.license import license_view

if TYPE_CHECKING:
    from classifier.engine import Classifier

MAX_QUERY_CHARS = 500
HITS = 12
POOL = 60  # candidates taken from each ranking before fusing
RRF = 60  # reciprocal-rank-fusion constant
SUGGESTED = 6  # the classifier's own ranking of the query, shown first
PER_ENTRY = 3
ID = re.compile(r"\b[0-9][A-E][0-9]{3}(?:\.[a-z0-9]+)*\b|\bEAR99\b")


@dataclass
class Hit:
    id: str
    heading: str
    text: str
    context: list[str]  # the paragraphs above it, outermost first ("6A003.b: Cameras, as follows")
    score: float


def _hit(clf: Classifier, ident: str, score: float) -> Hit | None:
    try:
        found = clf.corpus.lookup(ident)
    except UnknownId:
        return None
    context = [f"{a['id']}: {a['text']}" for a in found.ancestors]
    return Hit(str(found.id), found.entry["heading"], found.text, context, round(score, 4))


def fused_ranking(clf: Classifier, query: str) -> list[tuple[int, float]]:
    """Document positions by reciprocal-rank fusion of the dense (meaning) and BM25 (words) rankings."""
    _, positions = clf.index.dense.search(clf.encoder.encode([query]), POOL)
    lexical = clf.index.lexical.scores(query)
    fused: dict[int, float] = {}
    for rank, pos in enumerate(int(p) for p in positions[0] if p >= 0):
        fused[pos] = fused.get(pos, 0.0) + 1 / (RRF + rank)
    for rank, pos in enumerate(int(p) for p in lexical.argsort()[::-1][:POOL] if lexical[p] > 0):
        fused[pos] = fused.get(pos, 0.0) + 1 / (RRF + rank)
    return sorted(fused.items(), key=lambda item: -item[1])


def search(clf: Classifier, query: str, k: int = HITS) -> list[Hit]:
    """The ``k`` paragraphs (or entries) that best fit ``query``: first the paragraphs the classifier ranks
    for it as a description (meaning, with the entry's own conditions weighed), then the fused index
    ranking, at most PER_ENTRY paragraphs of one entry, so that one entry's sub-paragraphs do not crowd out
    the others."""
    hits: list[Hit] = []
    seen: set[str] = set()
    per_entry: dict[str, int] = {}

    def add(ident: str, score: float) -> None:
        hit = None if ident in seen else _hit(clf, ident, score)
        head = ident.split(".")[0]
        if hit is None or per_entry.get(head, 0) >= PER_ENTRY or len(hits) >= k:
            return
        seen.add(ident)
        per_entry[head] = per_entry.get(head, 0) + 1
        hits.append(hit)

    for s in clf.classify(query, top_k=SUGGESTED, rules=False).suggestions:
        if s.eccn != "EAR99":
            add(s.paragraph_id or s.eccn, s.confidence)
    docs = clf.index.docs
    for pos, score in fused_ranking(clf, query):
        if docs[pos].kind != "mtcr" and not docs[pos].reserved:
            add(docs[pos].id, score)
    return hits


def link_ids(text: str, corpus: Corpus) -> str:
    """Escape ``text`` and make every ECCN or paragraph id that the CCL holds a link to it."""

    def link(match: re.Match[str]) -> str:
        ident = match.group(0)
        while ident and ident not in corpus.paragraphs and ident not in corpus.entries and "." in ident:
            ident = ident.rsplit(".", 1)[0]  # "6A002.a.3.f.1" not in this edition: link its parent
        if ident not in corpus.paragraphs and ident not in corpus.entries:
            return match.group(0)
        rest = match.group(0)[len(ident) :]
        return f'<a href="#" class="ccl-link" data-ccl="{ident}">{ident}</a>{rest}'

    return ID.sub(link, html.escape(text))


def hits_html(hits: list[Hit], corpus: Corpus, query: str) -> str:
    if not hits:
        return f"<p>Nothing in the CCL matches {html.escape(query)!s}; try other words or an ECCN.</p>"
    items = []
    for h in hits:
        context = "".join(f'<div class="context">↳ {link_ids(c, corpus)}</div>' for c in h.context)
        items.append(
            f'<div class="ccl-hit" data-id="{html.escape(h.id)}"><a href="#" class="ccl-link" '
            f'data-ccl="{html.escape(h.id)}"><b>{html.escape(h.id)}</b></a> — {html.escape(h.heading)}'
            f"{context}<div>{link_ids(h.text, corpus)}</div></div>"
        )
    return f"<p>{len(hits)} paragraphs fit “{html.escape(query)}” (meaning and words); open one.</p>" + "".join(items)


def _chart(corpus: Corpus, ident: str, destination: str | None) -> str:
    """The Control(s) rows with their Country Chart columns, and the destination's marks in them."""
    country = corpus.country_table.resolve(destination) if destination else None
    rows = []
    for row in corpus.controls_for(ident, country.name if country else None):
        columns = row["reading"].get("columns", []) if row.get("reading") else []
        if country is not None and columns:
            marks = ", ".join(f"{c}: {'X' if country.has_mark(c) else 'no X'}" for c in columns)
        else:
            marks = ", ".join(columns) or row.get("country_chart_text", "") or "stated in words: read the row"
        scope = " (covers part of this; see the paragraphs named)" if row["partial"] else ""
        rows.append(
            f"<tr><td>{html.escape('/'.join(row['reasons']) or '?')}</td>"
            f"<td>{link_ids(row['control_text'], corpus)}{html.escape(scope)}</td><td>{html.escape(marks)}</td></tr>"
        )
    where = f"{html.escape(country.name)}'s row" if country else "columns (choose a destination to see its row)"
    table = (
        f'<div class="scroll"><table class="chart"><tr><th scope="col">reason</th><th scope="col">Control(s)</th>'
        f'<th scope="col">Country Chart: {where}</th></tr>{"".join(rows)}</table></div>'
        if rows
        else "<p>No Control(s) rows: read the entry's License Requirements.</p>"
    )
    if country is None:
        return table
    view = license_view(corpus, ident, country.name)
    verdict = view["verdict"].replace(" ", "-")
    return (
        table
        + f'<p class="license-{verdict}"><b>{html.escape(verdict_word(view))}</b>: {html.escape(view["headline"])}</p>'
    )


def entry_html(corpus: Corpus, ident: str, destination: str | None = None) -> str:
    """The whole entry that holds ``ident`` (UnknownId, UnknownCountry on bad input)."""
    found = corpus.lookup(ident)
    entry: dict[str, Any] = found.entry
    opened = str(found.id)
    parts = [
        f'<div class="ccl-entry" data-id="{html.escape(opened)}"><h2 class="section">{html.escape(entry["eccn"])} — '
        f"{html.escape(entry['heading'])}</h2>",
        f"<p><small>15 CFR part 774, Supplement No. 1, ECCN {html.escape(entry['eccn'])}; edition "
        f"{html.escape(corpus.edition)}</small></p>",
    ]
    if found.subject_to_itar:
        parts.append(
            '<p class="notice">This entry or paragraph points to the USML: such items are subject to the ITAR.</p>'
        )
    parts.append("<h3>Country Chart</h3>" + _chart(corpus, opened, destination))
    parts.append("<h3>Items</h3>")
    if not entry["paragraphs"]:
        parts.append(f'<p class="para current">{link_ids(entry["items_text"], corpus)}</p>')
    for p in entry["paragraphs"]:
        depth = p["label"].count(".")
        current = " current" if p["id"] == opened or opened.startswith(p["id"] + ".") and p["id"] == opened else ""
        notes = "".join(
            f"<div><small><b>{html.escape(n['heading'] or 'Note')}:</b> {link_ids(n['text'], corpus)}</small></div>"
            for n in p.get("notes", [])
        )
        parts.append(
            f'<div class="para{current}" id="ccl-{html.escape(p["id"])}" style="margin-left:{min(depth, 6)}em">'
            f"<b>{html.escape(p['label'])}.</b> {link_ids(p['text'], corpus)}{notes}</div>"
        )
    for note in entry.get("notes", []):
        parts.append(f"<p><b>{html.escape(note['heading'] or 'Note')}:</b> {link_ids(note['text'], corpus)}</p>")
    for key, title in (("related_controls", "Related controls"), ("related_definitions", "Related definitions")):
        if entry.get(key):
            parts.append(f"<p><b>{title}:</b> {link_ids(entry[key], corpus)}</p>")
    for exc in entry["license_exceptions"].values():
        parts.append(f"<p><b>{html.escape(exc['symbol'])}:</b> {link_ids(exc['text'], corpus)}</p>")
    parts.append("</div>")
    return "".join(parts)


def browse(clf: Classifier, query: str, destination: str | None = None) -> str:
    """What the browser shows for a query: the entry when it is an id, else the search hits."""
    query = " ".join((query or "").split())
    if not query:
        return "<p>Type an ECCN, a paragraph id or words to search.</p>"
    if len(query) > MAX_QUERY_CHARS:
        return f"<p>Shorten the search to at most {MAX_QUERY_CHARS} characters.</p>"
    try:
        return entry_html(clf.corpus, query, destination or None)
    except UnknownId:
        pass
    except UnknownCountry as err:
        return f'<p class="notice">Destination: {html.escape(str(err))}</p>'
    return hits_html(search(clf, query), clf.corpus, query)
