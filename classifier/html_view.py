"""HTML views of a classification for the web page, under the answer card (``page/card.py``): the
ranked suggestions with confidence bars and the matched paragraph with its matching words highlighted
(answers under 1 % folded away), findings named in words with their citations, the license detail.

Everything a user typed or the regulation says is escaped here; ECCN and paragraph ids become links that
open the CCL browser (``data-ccl``, handled by the page's script).
"""

from __future__ import annotations

import html
import re
from typing import Any

from classifier.lexical import tokenize
from classifier.report import verdict_word
from classifier.result import Classification, Suggestion, percent

WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-.]*")
FOLD_BELOW = 0.01  # suggestions under 1 % are folded away
RULE_NAMES = {
    "encryption": "Encryption (Category 5 Part 2, License Exception ENC)",
    "civil_aircraft": "Civil aircraft parts",
    "mtcr_category_1": "MTCR Category I",
    "mtcr_category_2": "MTCR Category II (missile technology)",
    "order_of_review": "Order of review",
    "license": "License determination",
    "de_minimis": "De minimis (U.S. content)",
    "screening": "Screening of the named parties",
    "end_use": "End-use and end-user rules (part 744)",
    "sanctions": "Embargoes and sanctions (part 746)",
}


def rule_name(rule: str) -> str:
    """A finding's rule in words ("MTCR Category I", not ``mtcr_category_1``)."""
    return RULE_NAMES.get(rule, rule.replace("_", " ").capitalize())


def ccl_link(eccn: str) -> str:
    """An ECCN or paragraph id that opens the CCL browser; EAR99 is plain text."""
    if eccn == "EAR99" or not eccn:
        return f"<code>{html.escape(eccn)}</code>"
    shown = html.escape(eccn)
    return f'<a href="#" class="ccl-link" data-ccl="{shown}"><code>{shown}</code></a>'


def highlight(text: str, query: str) -> str:
    """Escape ``text`` and mark the words that share a token with the query."""
    wanted = set(tokenize(query))
    out, last = [], 0
    for m in WORD.finditer(text):
        out.append(html.escape(text[last : m.start()]))
        word = m.group(0)
        hit = bool(set(tokenize(word)) & wanted)
        out.append(f"<mark>{html.escape(word)}</mark>" if hit else html.escape(word))
        last = m.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def _confidence(s: Suggestion, first: Suggestion, i: int) -> str:
    """The bar's label: a number for the answer and for alternatives below it; a held-back paragraph shows
    what it waits on, and an alternative held at the answer's level says it does not compete with it."""
    if i > 1 and s.applies_only_if:
        return html.escape(s.applies_only_if[:1].upper() + s.applies_only_if[1:])
    if i > 1 and s.confidence >= first.confidence:
        return f"no more likely than the answer above (at most {percent(first.confidence)})"
    return f"{percent(s.confidence)} confidence"


def _suggestion(result: Classification, s: Suggestion, i: int) -> str:
    first = result.top
    pct = (
        0
        if (i > 1 and (s.applies_only_if or s.confidence >= first.confidence))
        else round(min(s.confidence, 0.99) * 100)
    )
    reasons = "".join(f"<li>{html.escape(r)}</li>" for r in s.reasons)
    checks = "".join(f"<li>{html.escape(c)}</li>" for c in s.checks)
    considered = "".join(
        f"<li>{ccl_link(c.eccn)} ({percent(c.confidence)}): {html.escape(c.why)}</li>" for c in s.considered
    )
    role = "the answer" if i == 1 else "alternative"
    return (
        f'<div class="suggestion" data-eccn="{html.escape(s.eccn)}" data-role="{role}">'
        f"<h3>{i}. {ccl_link(s.eccn)} — {html.escape(s.heading)}</h3>"
        f'<div class="bar"><div class="fill" style="width:{pct}%"></div></div>'
        f'<p class="bar-label">{_confidence(s, first, i)}</p>'
        f'<p class="paragraph">{highlight(s.paragraph, result.text)}</p>'
        + (f"<details><summary>Deciding conditions</summary><ul>{checks}</ul></details>" if checks else "")
        + (f"<details><summary>Why it ranked here</summary><ul>{reasons}</ul></details>" if reasons else "")
        + (f"<p><b>ECCNs considered and ruled out:</b></p><ul>{considered}</ul>" if considered else "")
        + "</div>"
    )


def suggestions_html(result: Classification) -> str:
    shown: list[str] = []
    folded: list[str] = []
    for i, s in enumerate(result.suggestions, 1):
        low = i > 1 and s.confidence < FOLD_BELOW and not s.applies_only_if
        (folded if low else shown).append(_suggestion(result, s, i))
    more = (
        f'<details class="folded"><summary>{len(folded)} more under 1 %</summary>{"".join(folded)}</details>'
        if folded
        else ""
    )
    return '<h2 class="section">Ranked suggestions</h2>' + "".join(shown) + more


def findings_html(result: Classification) -> str:
    rows = []
    for f in result.findings:
        mark = "⚠️ <span class='sr'>triggered</span>" if f.triggered else "✓ <span class='sr'>not triggered</span>"
        rows.append(
            f"<tr><td>{mark}</td><td>{html.escape(rule_name(f.rule))}</td><td><b>{html.escape(f.outcome)}</b>"
            f"<br><small>{html.escape(f.explanation)}</small></td><td><small>{html.escape(f.citation)}</small></td></tr>"
        )
    table = (
        (
            '<div class="scroll"><table class="findings"><tr><th scope="col">'
            "<span class='sr'>triggered</span></th><th scope='col'>rule</th>"
            "<th scope='col'>outcome</th><th scope='col'>citation</th></tr>" + "".join(rows) + "</table></div>"
        )
        if rows
        else "<p>No findings.</p>"
    )
    head = '<h2 class="section">Findings</h2>'
    if not result.precedents:
        return head + table
    past = "".join(f"<li>{html.escape(p.describe(result.top))}</li>" for p in result.precedents)
    return head + f'<p><b>Close past decisions</b></p><ul class="precedents">{past}</ul>' + table


def license_html(view: dict[str, Any] | None) -> str:
    head = '<h2 class="section">License</h2>'
    if not view:
        return head + "<p>Give a destination to see whether a license is required.</p>"
    e = html.escape
    verdict = verdict_word(view)
    rows = "".join(
        f"<tr><td>{e(r['reason'])}</td><td>{e(r['how'])}</td><td>{e(r['verdict'])}</td></tr>" for r in view["rows"]
    )
    others = "".join(
        f"<li><b>{e(a['source'])}</b>: {e(a['verdict'])} — {e(a['why'])} <small>[{e(a['citation'])}]</small></li>"
        for a in view["answers"]
        if "reason" not in a
    )
    review = "".join(f"<li>Read {e('; '.join(r['read']))} — {e(r['why'])}</li>" for r in view["review"])
    exceptions = "".join(
        f"<li><b>{e(x['symbol'])}</b>: {e(x['text'])} <small>[{e(x['citation'])}]"
        f"{' — ' + e(x['note']) if x['note'] else ''}</small></li>"
        for x in view["license_exceptions"]
    )
    embargo = f"<p><b>Embargo:</b> {e(view['embargo']['note'])}</p>" if view.get("embargo") else ""
    return (
        head + f'<h3 class="license-{view["verdict"].replace(" ", "-")}">{e(view["id"])} to '
        f"{e(view['destination'])}: {e(verdict)}</h3>"
        f"<p>{e(view['headline'])}</p>{embargo}"
        + (f"<p><b>To review:</b></p><ul>{review}</ul>" if review else "")
        + (
            '<div class="scroll"><table><tr><th scope="col">reason</th><th scope="col">Country Chart</th>'
            f'<th scope="col">result</th></tr>{rows}</table></div>'
            if rows
            else ""
        )
        + (f"<ul>{others}</ul>" if others else "")
        + (f"<p>License exceptions worth checking:</p><ul>{exceptions}</ul>" if exceptions else "")
        + f"<p><small>{e(view['explanation'])} [{e(view['citation'])}]</small></p>"
    )
