"""Triage results for the terminal and the page."""

from __future__ import annotations

from classifier.result import percent
from classifier.triage.model import TriageResult


def render_triage(result: TriageResult) -> str:
    app = result.application
    head = f"Triage: {result.priority.upper()} (score {result.score:g})"
    if result.error:
        return f"{head}\n   error: {result.error}"
    lines = [
        head,
        f"   item: {app.description[:160]}",
        f"   claimed ECCN: {app.claimed_eccn or '(none)'}   destination: {app.destination}",
    ]
    lines += [f"   {label}: {value}" for label, value in (
        ("end user", app.end_user), ("consignee", app.consignee), ("end use", app.end_use)
    ) if value]  # fmt: skip
    if app.value is not None:
        lines.append(f"   value: {app.value:,.2f}")
    lines.append("")
    lines.append("Reasons:" if result.reasons else "Reasons: none")
    for r in result.reasons:
        lines.append(f" - [{r.severity}] {r.title}")
        lines.append(f"     {r.detail}")
        lines.append(f"     Citation: {r.citation}")
    c = result.classification
    if c is not None:
        lines += ["", "Classification behind them:"]
        lines += [f"   {s.eccn:<16} {percent(s.confidence):>4}  {s.heading[:90]}" for s in c.suggestions[:3]]
        lines += [f"   [{f.rule}] {f.outcome}" for f in c.findings if f.triggered]
    if result.list_date:
        lines.append(f"Screening list of {result.list_date}.")
    lines += ["", result.notice]
    return "\n".join(lines)
