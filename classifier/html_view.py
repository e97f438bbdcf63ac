"""HTML views of a classification for the web page: suggestions with confidence bars and the matched
paragraph with its matching terms highlighted, findings with citations, the license view."""

from __future__ import annotations

import html
import re
from typing import Any

from classifier.lexical import tokenize
from classifier.report import verdict_word
from classifier.result import Classification, percent

WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-.]*")


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


def suggestions_html(result: Classification) -> str:
    parts = []
    for i, s in enumerate(result.suggestions, 1):
        pct = round(s.confidence * 100)
        reasons = "".join(f"<li>{html.escape(r)}</li>" for r in s.reasons)
        considered = "".join(
            f"<li><b>{html.escape(c.eccn)}</b> ({percent(c.confidence)}): {html.escape(c.why)}</li>"
            for c in s.considered
        )
        parts.append(
            f'<div class="suggestion" data-eccn="{html.escape(s.eccn)}">'
            f"<h3>{i}. <code>{html.escape(s.eccn)}</code> — {html.escape(s.heading)}</h3>"
            f'<div class="bar"><div class="fill" style="width:{pct}%"></div>'
            f"<span>{percent(s.confidence)} confidence</span></div>"
            f'<p class="paragraph">{highlight(s.paragraph, result.text)}</p>'
            + (f"<details><summary>Why it ranked here</summary><ul>{reasons}</ul></details>" if reasons else "")
            + (f"<p><b>ECCNs considered and ruled out:</b></p><ul>{considered}</ul>" if considered else "")
            + "</div>"
        )
    return "".join(parts)


def findings_html(result: Classification) -> str:
    rows = []
    for f in result.findings:
        mark = "⚠️" if f.triggered else "✓"
        rows.append(
            f"<tr><td>{mark}</td><td><code>{html.escape(f.rule)}</code></td><td><b>{html.escape(f.outcome)}</b>"
            f"<br><small>{html.escape(f.explanation)}</small></td><td><small>{html.escape(f.citation)}</small></td></tr>"
        )
    table = (
        (
            '<table class="findings"><tr><th></th><th>rule</th><th>outcome</th><th>citation</th></tr>'
            + "".join(rows)
            + "</table>"
        )
        if rows
        else "<p>No findings.</p>"
    )
    if not result.precedents:
        return table
    past = "".join(f"<li>{html.escape(p.describe(result.top))}</li>" for p in result.precedents)
    return f'<p><b>Close past decisions</b></p><ul class="precedents">{past}</ul>' + table


def license_html(view: dict[str, Any] | None) -> str:
    if not view:
        return "<p>Give a destination to see whether a license is required.</p>"
    verdict = verdict_word(view)
    rows = "".join(
        f"<tr><td>{html.escape(r['reason'])}</td><td>{html.escape(r['how'])}</td>"
        f"<td>{html.escape(r['verdict'])}</td></tr>"
        for r in view["rows"]
    )
    others = "".join(
        f"<li><b>{html.escape(a['source'])}</b>: {html.escape(a['verdict'])} — {html.escape(a['why'][:240])} "
        f"<small>[{html.escape(a['citation'])}]</small></li>"
        for a in view["answers"]
        if "reason" not in a
    )
    review = "".join(
        f"<li>Read {html.escape('; '.join(r['read']))} — {html.escape(r['why'][:200])}</li>" for r in view["review"]
    )
    exceptions = "".join(
        f"<li><b>{html.escape(e['symbol'])}</b>: {html.escape(e['text'][:160])} <small>[{html.escape(e['citation'])}]"
        f"{' — ' + html.escape(e['note']) if e['note'] else ''}</small></li>"
        for e in view["license_exceptions"]
    )
    embargo = f"<p><b>Embargo:</b> {html.escape(view['embargo']['note'])}</p>" if view.get("embargo") else ""
    return (
        f'<h3 class="license-{view["verdict"].replace(" ", "-")}">{html.escape(view["id"])} to '
        f"{html.escape(view['destination'])}: {html.escape(verdict)}</h3>"
        f"<p>{html.escape(view['headline'])}</p>{embargo}"
        + (f"<p><b>To review:</b></p><ul>{review}</ul>" if review else "")
        + f"<table><tr><th>reason</th><th>Country Chart</th><th>result</th></tr>{rows}</table>"
        + (f"<ul>{others}</ul>" if others else "")
        + (f"<p>License exceptions worth checking:</p><ul>{exceptions}</ul>" if exceptions else "")
        + f"<p><small>{html.escape(view['explanation'])} [{html.escape(view['citation'])}]</small></p>"
    )



CSS = """
.suggestion { border: 1px solid #ddd; border-radius: 8px; padding: 8px 12px; margin: 8px 0; }
.bar { position: relative; background: #eee; height: 18px; border-radius: 4px; width: 100%; max-width: 420px; }
.bar .fill { background: #2b7bb9; height: 18px; border-radius: 4px; }
.bar span { position: absolute; left: 8px; top: 0; font-size: 12px; color: #000; }
mark { background: #ffe58a; }
table.findings td { vertical-align: top; padding: 4px; }
.notice { border-left: 4px solid #d9822b; padding: 6px 10px; background: #fff7ec; }
"""
