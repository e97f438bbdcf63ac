"""The memo as a PDF a person can file: what was asked, what the tool found, and a decision to sign.

Same content as the Markdown memo (``record.memo_markdown``), laid out for print with reportlab (pure
Python, no system libraries): the date and product id, the description and the facts and answers given,
the answer and the license verdict, the decision path (order of review, every candidate kept or held
back with why, the questions that decide), every finding with its citation, the license detail, and
blank fields for the final decision, the person and the sign-off. The standard PDF fonts hold only
Windows-1252 characters, so the few others (≥, →, …) are written in ASCII (``pdf_text``).
"""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path
from typing import Any

from classifier.html_view import rule_name
from classifier.page.card import answer_card
from classifier.record import ORDER_OF_REVIEW, tool_version
from classifier.report import verdict_word
from classifier.result import Classification, percent

ASCII = {"≥": ">=", "≤": "<=", "→": "->", "←": "<-", "↳": "-", "✓": "ok", "⚠": "!", "️": "", "≠": "!=", "∙": "*",
         "·": "*", "µ": "u", "−": "-", "×": "x"}  # fmt: skip


def pdf_text(text: object) -> str:
    """``text`` as the standard PDF fonts can show it: characters outside Windows-1252 spelled in ASCII."""
    out = []
    for ch in str(text):
        ch = ASCII.get(ch, ch)
        try:
            ch.encode("cp1252")
        except UnicodeEncodeError:
            ch = "?"
        out.append(ch)
    return "".join(out)


def _para(text: object, style: Any) -> Any:
    from reportlab.platypus import Paragraph

    return Paragraph(html.escape(pdf_text(text)).replace("\n", "<br/>"), style)


def _story(result: Classification, inputs: dict[str, Any], product_id: str, on: date) -> list[Any]:
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    body, small, h1, h2 = styles["BodyText"], styles["Italic"], styles["Title"], styles["Heading2"]
    card = answer_card(result)
    p = result.provenance
    story: list[Any] = [_para("Export classification memo", h1), _para(result.notice, small)]
    facts = [
        ("Date", on.isoformat()),
        ("Product id", product_id),
        ("Description", result.text),
        *((key.replace("_", " ").capitalize(), value) for key, value in inputs.items() if key != "answers"),
        ("Answers given", "; ".join(f"{q.parameter} = {q.answer}" for q in result.answered) or "none"),
        ("Tool", f"corpus edition {p.get('corpus_edition', '?')}, model {p.get('model_name', '?')}, "
                 f"ranker v{p.get('ranker_version', '?')}, tool {tool_version()}"),
    ]  # fmt: skip
    table = Table([[_para(k, body), _para(v, body)] for k, v in facts], colWidths=[4 * cm, 13 * cm])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "#9ca3af"), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [table, _para("Suggested answer", h2), _para(f"{card.eccn}: {card.confidence_text}", body)]
    story += [_para(card.headline, body)]
    if card.decided_by:
        story.append(_para(f"Decided by a finding: {card.decided_by}", body))
    story.append(_para(f"License: {card.license_text}", body))
    story += [_para("Decision path", h2), _para("Order of review (15 CFR part 774, Supplement No. 4):", body)]
    story += [_para(f"- {step}", body) for step in ORDER_OF_REVIEW]
    for i, s in enumerate(result.suggestions, 1):
        role = "first suggestion" if i == 1 else "alternative"
        story.append(_para(f"{i}. {s.eccn} ({percent(s.confidence)}, {role}) - {s.heading}", body))
        lines = [
            s.paragraph,
            s.applies_only_if,
            *s.checks,
            *s.reasons,
            *(f"ruled out {c.eccn}: {c.why}" for c in s.considered),
        ]
        story += [_para(f"    {line}", small) for line in lines if line]
    if result.questions:
        story.append(
            _para(
                "Questions that decide" + (" (the first suggestion waits on them)" if result.needs_answer else ""), body
            )
        )
        story += [
            _para(f"- {q.ask} (decides between {', '.join(q.paragraphs)}; {q.citation})", body)
            for q in result.questions
        ]
    story.append(_para("Findings", h2))
    for f in result.findings:
        story.append(
            _para(f"{rule_name(f.rule)} ({'triggered' if f.triggered else 'not triggered'}): {f.outcome}", body)
        )
        story.append(_para(f.explanation, small))
        story.append(_para(f"Citation: {f.citation}", body))
    if result.license:
        view = result.license
        story += [
            _para("License view", h2),
            _para(f"{verdict_word(view)}: {view['headline']} ({view['citation']})", body),
        ]
        story += [_para(f"- {r['reason']}: {r['how']} -> {r['verdict']}", body) for r in view["rows"]]
        story += [_para(f"- {a['source']}: {a['verdict']} - {a['why']} ({a['citation']})", body)
                  for a in view["answers"] if "reason" not in a]  # fmt: skip
        story += [_para(f"- To review: read {'; '.join(r['read'])} - {r['why']}", body) for r in view["review"]]
    story += [_para("Final decision (filled in by the person responsible)", h2)]
    blanks = ["Final ECCN or EAR99", "Jurisdiction (EAR / ITAR)", "License decision", "Reasons and notes", "",
              "Name", "Title", "Signature", "Date"]  # fmt: skip
    sign = Table(
        [[_para(b, body), ""] for b in blanks], colWidths=[5 * cm, 12 * cm], rowHeights=[0.9 * cm] * len(blanks)
    )
    sign.setStyle(TableStyle([("LINEBELOW", (1, 0), (1, -1), 0.5, "#111827"), ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    story += [sign, Spacer(1, 0.5 * cm), _para(result.notice, small)]
    return story


def write_memo_pdf(
    result: Classification,
    path: Path,
    inputs: dict[str, Any] | None = None,
    product_id: str = "",
    on: date | None = None,
) -> Path:
    """Write the memo to ``path`` (a PDF) and return it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate

    on = on or date.today()
    doc = SimpleDocTemplate(
        str(path), pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2 * cm, bottomMargin=2 * cm,
        title=pdf_text(f"Export classification memo {product_id}"), author="ECCN classification assistant",
    )  # fmt: skip
    doc.build(_story(result, dict(inputs or {}), product_id or "(not given)", on))
    return path
