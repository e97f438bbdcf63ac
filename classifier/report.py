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


VERDICT_WORDS = {"required": "LICENSE REQUIRED", "not required": "no license required", "review": "REVIEW"}


def verdict_word(view: dict[str, Any]) -> str:
    """The three-valued answer for people: LICENSE REQUIRED, no license required, REVIEW (or ITAR)."""
    if view.get("jurisdiction") == "ITAR":
        return "ITAR (State Department jurisdiction): REVIEW"
    return VERDICT_WORDS[view["verdict"]]


def render_license(view: dict[str, Any]) -> str:
    where = view["destination"] + (f" (part of {view['part_of']})" if view.get("part_of") else "")
    end_use = f", stated end use: {view['end_use']}" if view.get("end_use") else ""
    lines = [f"License view: {view['id']} to {where}{end_use}: {verdict_word(view)}", f"   {view['headline']}"]
    for row in view["rows"]:
        lines.append(
            f"   {row['reason']}: {row['how']} → {row['verdict']}"
            + ("  (applies to part of the entry)" if row.get("partial") else "")
        )
        if row.get("conditions"):
            lines.append(f"      condition: {row['conditions']}")
    for a in view["answers"]:
        if a["source"] in ("Country Chart", "License Requirements") and "reason" in a:
            continue
        lines.append(f"   [{a['source']}] {a['verdict']}: {a['why'][:300]} [{a['citation']}]")
    for item in view["review"]:
        lines.append(f"   To review: read {'; '.join(item['read'])} — {item['why'][:200]}")
    if view.get("end_use_checks"):
        cited = "; ".join(c["citation"] for c in view["end_use_checks"])
        lines.append(
            f"   Part 744 end-use checks for {view['destination']} (a license is required if you know of such an "
            f"end use; state it with --end-use): {cited}"
        )
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
    for exc in view.get("license_exceptions_ruled_out", []):
        lines.append(f"   Exception ruled out: {exc['symbol']} — {exc['why']}")
    for note in view.get("notes", []):
        lines.append(f"   Note: {note}")
    lines.append(f"   {view['explanation']} [{view['citation']}]")
    return "\n".join(lines)


def render_de_minimis(decision: dict[str, Any]) -> str:
    verdict = {True: "SUBJECT to the EAR", False: "NOT subject to the EAR", None: "REVIEW"}[decision["subject_to_ear"]]
    threshold = f"{decision['threshold']:g} %" if decision["threshold"] is not None else "none (no de minimis level)"
    return (
        f"De minimis to {decision['destination']}: {verdict}\n"
        f"   U.S.-origin controlled content: {decision['percentage']:.2f} %   level: {threshold}\n"
        f"   {decision['explanation']}\n   Decided by: {decision['decided_by']}"
    )
