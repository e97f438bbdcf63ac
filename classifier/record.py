"""Rationale records: a JSON audit record and a Markdown memo for every classification.

The audit record says what went in (description and facts), what produced the answer (corpus edition
and manifest hash, model name and hash, ranker version, tool version, time) and what came out
(suggestions, findings, license view). The memo is the same content for a person to file: the order of
review, the candidates kept or ruled out and why, and every finding with its citation.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from datetime import date, datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from classifier.html_view import rule_name
from classifier.report import verdict_word
from classifier.result import Classification, percent

ORDER_OF_REVIEW = (
    "Step 1-2: find the CCL category and product group from the item's general characteristics.",
    "Step 3: check the USML (items subject to the ITAR), then the '600 series' and 9x515 entries.",
    "Step 4: '600 series'/9x515 catch-alls and “specially designed” (15 CFR 772.1).",
    "Step 5: the remaining ECCNs of the product group; a catch-all (x9xx) only when nothing stricter fits.",
    "Step 6: not described by any ECCN: EAR99.",
)


def tool_version() -> str:
    try:
        return version("eccn-classifier")
    except PackageNotFoundError:  # running from a source tree without installation
        return "unknown"


def _manifest_sha(result: Classification) -> str:
    return str(result.provenance.get("corpus_manifest_sha256", ""))


def audit_record(result: Classification, inputs: dict[str, Any] | None = None) -> dict[str, Any]:
    data = result.to_dict()
    return {
        "record_version": 1,
        "created_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "inputs": {"description": result.text, **(inputs or {})},
        "provenance": {**result.provenance, "tool_version": tool_version()},
        "suggestions": data["suggestions"],
        "findings": data["findings"],
        "license": data["license"],
        "mtcr_matches": data["mtcr_matches"],
        "precedents": data["precedents"],
        "questions": data["questions"],
        "answered": data["answered"],
        "needs_answer": data["needs_answer"],
        "facts_read": data["facts"],
        "notice": result.notice,
    }


SIGN_OFF = ("Final ECCN or EAR99", "Jurisdiction (EAR / ITAR)", "License decision", "Reasons and notes", "Name",
            "Title", "Signature", "Date")  # fmt: skip


def memo_markdown(
    result: Classification, inputs: dict[str, Any] | None = None, product_id: str = "", on: date | None = None
) -> str:
    p = result.provenance
    lines = [
        "# Classification rationale",
        "",
        f"> {result.notice}",
        "",
        f"**Date:** {(on or date.today()).isoformat()}",
        f"**Product id:** {product_id or '(not given)'}",
        f"**Description:** {result.text}",
    ]
    for key, value in (inputs or {}).items():
        lines.append(f"**{key.replace('_', ' ').capitalize()}:** {value}")
    lines += [
        "",
        f"Corpus edition {p.get('corpus_edition', '?')} (ccl.json sha256 {_manifest_sha(result)[:16]}…), "
        f"model {p.get('model_name', '?')}, ranker v{p.get('ranker_version', '?')}, tool {tool_version()}.",
        "",
        "## Order of review (15 CFR part 774, Supplement No. 4)",
        "",
        *[f"- {step}" for step in ORDER_OF_REVIEW],
        "",
        "## Candidates",
        "",
    ]
    for i, s in enumerate(result.suggestions, 1):
        verdict = "kept as the first suggestion" if i == 1 else "kept as an alternative"
        lines.append(f"{i}. **{s.eccn}** ({percent(s.confidence)}) — {s.heading} — {verdict}")
        if s.paragraph:
            lines.append(f"   - Paragraph: {s.paragraph}")
        if s.applies_only_if:
            lines.append(f"   - Held back — {s.applies_only_if}")
        lines += [f"   - Deciding condition: {c}" for c in s.checks[:8]]
        lines += [f"   - {r}" for r in s.reasons]
        lines += [f"   - Ruled out {c.eccn}: {c.why}" for c in s.considered]
    if result.questions:
        status = "The first suggestion needs your answer to these." if result.needs_answer else ""
        lines += ["", "## Questions that decide", "", *([status, ""] if status else [])]
        lines += [
            f"- **{q.parameter}**: {q.ask} (decides between {', '.join(q.paragraphs)}; {q.citation})"
            for q in result.questions
        ]
    if result.answered:
        lines += ["", "## Answers given", ""]
        lines += [f"- {q.parameter} = {q.answer}" for q in result.answered]
    if result.precedents:
        decisions = p.get("decisions", {})
        lines += [
            "",
            f"## Close past decisions ({decisions.get('file', '?')}, sha256 {decisions.get('sha256', '?')[:16]}…)",
            "",
        ]
        lines += [f"- {d.describe(result.top)}" for d in result.precedents]
    lines += ["", "## Findings", ""]
    for f in result.findings:
        lines.append(f"- **{rule_name(f.rule)}** ({'triggered' if f.triggered else 'not triggered'}): {f.outcome}")
        lines.append(f"  - {f.explanation}")
        lines.append(f"  - Citation: {f.citation}")
    if result.license:
        view = result.license
        lines += [
            "",
            "## License view",
            "",
            f"**{verdict_word(view)}** — {view['headline']} ({view['citation']})",
            "",
        ]
        lines += [f"- {r['reason']}: {r['how']} → {r['verdict']}" for r in view["rows"]]
        lines += [
            f"- {a['source']}: {a['verdict']} — {a['why']} ({a['citation']})"
            for a in view["answers"]
            if "reason" not in a
        ]
        lines += [f"- To review: read {'; '.join(r['read'])} — {r['why']}" for r in view["review"]]
        lines += [f"- Check: {c['text']}" for c in view.get("end_use_checks", [])]
    lines += ["", "## Final decision (filled in by the person responsible)", ""]
    lines += [f"- **{field}:** ____________________" for field in SIGN_OFF]
    lines += ["", "---", result.notice, ""]
    return "\n".join(lines)


def safe_stem(text: str) -> str:
    """A file name from a row id or description: letters, digits, dot, dash and underscore only."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._")[:60]
    return stem or hashlib.sha256(text.encode()).hexdigest()[:12]


def _claim(directory: Path, name: str) -> Path:
    """A new STEM.json in ``directory``, created exclusively: an audit record is never overwritten. When ids
    repeat, or two ids sanitise to the same name, the later record is STEM-2.json, ... STEM-9.json, then
    STEM-<random>.json (a bounded number of tries however many records share the name)."""
    candidates = [name, *(f"{name}-{n}" for n in range(2, 10)), *(f"{name}-{uuid.uuid4().hex[:12]}" for _ in range(5))]
    for candidate in candidates:
        path = directory / f"{candidate}.json"
        try:
            with path.open("x", encoding="utf-8"):
                pass
        except FileExistsError:
            continue
        if not path.with_suffix(".md").exists() and not path.with_suffix(".pdf").exists():
            return path
        path.unlink()
    raise FileExistsError(f"{directory}: no free record name for {name!r}")


def record_stem(product_id: str, on: date | None = None) -> str:
    """A readable record name: ``<product-id>-<date>`` (the memo is then ``router-7-2026-06-24.pdf``)."""
    return f"{safe_stem(product_id or 'classification')}-{(on or date.today()).isoformat()}"


def write_record(
    result: Classification,
    directory: Path,
    stem: str,
    inputs: dict[str, Any] | None = None,
    *,
    product_id: str = "",
    pdf: bool = True,
) -> Path:
    """Write STEM.json (audit record), STEM.md and STEM.pdf (the memo) into ``directory`` under a name no
    earlier record holds; returns the JSON path."""
    from classifier.memo_pdf import write_memo_pdf

    directory.mkdir(parents=True, exist_ok=True)
    json_path = _claim(directory, safe_stem(stem))
    json_path.write_text(
        json.dumps(audit_record(result, inputs), ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8"
    )
    json_path.with_suffix(".md").write_text(memo_markdown(result, inputs, product_id), encoding="utf-8")
    if pdf:
        write_memo_pdf(result, json_path.with_suffix(".pdf"), inputs, product_id)
    return json_path
