"""Plain-text views of results for the terminal (the app and the rationale memo reuse them)."""

from __future__ import annotations

from typing import Any

from classifier.result import Classification, percent


def _bar(confidence: float, width: int = 20) -> str:
    filled = round(confidence * width)
    return "█" * filled + "·" * (width - filled)


def render_questions(result: Classification) -> list[str]:
    lines = []
    if result.questions:
        head = "NEEDS YOUR ANSWER — " if result.needs_answer else ""
        lines += ["", f"{head}Questions that would decide the classification (answer with --answer NAME=VALUE):"]
        for q in result.questions:
            lines.append(f"   ? {q.parameter}: {q.ask}")
            lines.append(f"     decides between {', '.join(q.paragraphs)}  [{q.citation}]")
    if result.answered:
        lines += ["", "Answers given:"] + [f"   {q.parameter} = {q.answer}" for q in result.answered]
    return lines


def render_classification(result: Classification) -> str:
    lines = [f"Description: {result.text}", *(f"Warning: {w}" for w in result.warnings), ""]
    for i, s in enumerate(result.suggestions, 1):
        lines.append(f"{i}. {s.eccn:<16} {_bar(s.confidence)} {percent(s.confidence):>4}   {s.heading[:90]}")
        if s.applies_only_if:
            lines.append(f"   ({s.applies_only_if[:200]})")
        if s.paragraph:
            lines.append(f"   {s.paragraph[:200]}")
        for reason in s.reasons[:4]:
            lines.append(f"   - {reason}")
        for c in s.considered:
            lines.append(f"   considered {c.eccn}: {c.why}")
    lines += render_questions(result)
    if result.precedents:
        lines += ["", "Close past decisions:"]
        lines += [f"   {p.describe(result.top)}" for p in result.precedents]
    if result.mtcr_matches:
        lines += ["", "MTCR Annex items with similar wording:"]
        lines += [f"   Item {m.item} (Category {m.category}): {m.text[:140]}" for m in result.mtcr_matches]
    if result.findings:
        lines += ["", "Findings:"]
        for f in result.findings:
            mark = "!" if f.triggered else "-"
            lines.append(f" {mark} [{f.rule}] {f.outcome}")
            lines.append(f"     {f.explanation[:400]}")
            lines.append(f"     Citation: {f.citation}")
    if result.license:
        lines += ["", render_license(result.license)]
    lines += ["", result.notice]
    return "\n".join(lines)


def render_license(view: dict[str, Any]) -> str:
    verdict = "LICENSE REQUIRED" if view["license_required"] else "no license required by the Country Chart"
    lines = [f"License view: {view['id']} to {view['destination']}: {verdict}"]
    for row in view["rows"]:
        state = {True: "license required", False: "no license", None: "read the cited section"}[row["license_required"]]
        lines.append(
            f"   {row['reason']}: {row['how']} → {state}"
            + ("  (applies to part of the entry)" if row["partial"] else "")
        )
        if row["conditions"]:
            lines.append(f"      condition: {row['conditions']}")
    if view.get("embargo"):
        lines.append(f"   Embargo: {view['embargo']['note']}")
    for number, text in view.get("footnotes", {}).items():
        lines.append(f"   Country Chart footnote {number}: {text}")
    for exc in view.get("license_exceptions", []):
        limit = f", value limit ${exc['value_limit_usd']:,}" if exc["value_limit_usd"] else ""
        note = f" ({exc['note']})" if exc["note"] else ""
        lines.append(
            f"   Exception worth checking: {exc['symbol']} — {exc['text'][:120]}{limit}{note} [{exc['citation']}]"
        )
    lines.append(f"   {view['explanation']} [{view['citation']}]")
    return "\n".join(lines)


def render_de_minimis(decision: dict[str, Any]) -> str:
    verdict = "SUBJECT to the EAR" if decision["subject_to_ear"] else "NOT subject to the EAR"
    threshold = f"{decision['threshold']:g} %" if decision["threshold"] is not None else "none (no de minimis level)"
    return (
        f"De minimis to {decision['destination']}: {verdict}\n"
        f"   U.S.-origin controlled content: {decision['percentage']:.2f} %   level: {threshold}\n"
        f"   {decision['explanation']}\n   Decided by: {decision['decided_by']}"
    )
