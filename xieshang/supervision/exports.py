"""The special report (民主监督专报) in its customary form: a cover with
the masthead, the issue number of the year, the council and the date; then
the period's figures, the problems found with the bodies responsible, and
each recommendation with the unit's answer. Word (python-docx) and PDF
(WeasyPrint, Noto CJK fonts embedded), as the other apps' reports."""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from xieshang.supervision.models import SpecialReport
from xieshang.supervision.queries import report_rows

CJK_FONT = "Noto Serif CJK SC"
RED = (0xB0, 0x1E, 0x23)


def report_number(report: SpecialReport) -> str:
    """The customary numbering: 2026年第3期."""
    return _("%(year)s, issue %(number)s") % {"year": report.year, "number": report.number}


def report_context(report: SpecialReport) -> dict[str, Any]:
    return {
        "report": report,
        "council": report.council,
        "number": report_number(report),
        "contents": report_rows(report),
        "font": CJK_FONT,
    }


def _paragraph(
    document: Any, text: str, *, size: int = 12, bold: bool = False, center: bool = False, red: bool = False
) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    paragraph = document.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)
    if red:
        run.font.color.rgb = RGBColor(*RED)


def report_docx(report: SpecialReport) -> bytes:
    """The report as a Word document: cover, then the contents."""
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.oxml.ns import qn
    from docx.shared import Pt

    context = report_context(report)
    contents = context["contents"]
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = CJK_FONT
    normal.font.size = Pt(12)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), CJK_FONT)
    _paragraph(
        document, _("Democratic Supervision Special Report"), size=28, bold=True, center=True, red=True
    )
    _paragraph(document, context["number"], size=14, center=True)
    _paragraph(document, f"{report.council.name}　{report.issued_on:%Y-%m-%d}", size=12, center=True)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _paragraph(document, report.title, size=18, bold=True, center=True)
    _paragraph(
        document,
        f"{report.campaign.title}（{report.period_start:%Y-%m-%d} — {report.period_end:%Y-%m-%d}）",
        center=True,
    )
    if report.summary:
        document.add_paragraph(report.summary)
    document.add_heading(_("Inspections"), level=2)
    document.add_paragraph(
        _("%(n)s inspections, %(u)s of them unannounced; %(p)s problems found.")
        % {"n": contents["inspections"], "u": contents["unannounced"], "p": len(contents["problems"])}
    )
    document.add_heading(_("Problems found"), level=2)
    for number, problem in enumerate(contents["problems"], start=1):
        target = f"{problem.target.code} {problem.target.name}"
        document.add_paragraph(f"{number}. {target}：{problem.description}（{problem.handling_unit.name}）")
    document.add_heading(_("Recommendations and answers"), level=2)
    for recommendation in contents["recommendations"]:
        document.add_heading(f"{recommendation.title}（{recommendation.handling_unit.name}）", level=3)
        document.add_paragraph(recommendation.text)
        for reply in recommendation.replies.all():
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{_('Answer')}：").bold = True
            paragraph.add_run(reply.text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def report_pdf(report: SpecialReport) -> bytes:
    """The report as PDF, from the print template, fonts embedded."""
    from weasyprint import HTML

    html = render_to_string("supervision/report_print.html", report_context(report))
    return HTML(string=html).write_pdf()
