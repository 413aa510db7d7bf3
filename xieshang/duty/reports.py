"""The annual duty report of one member, as Word and as PDF (Chinese fonts
embedded), for the member's recommending body."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from xieshang.duty.queries import MemberReport
from xieshang.duty.states import DutyKind


def report_title(report: MemberReport) -> str:
    return _("%(year)d annual duty report of %(name)s") % {
        "year": report.summary.year,
        "name": report.summary.member.full_name,
    }


def _result_text(report: MemberReport) -> str:
    if report.result is None:
        return _("not yet assessed")
    grade = report.result.get_grade_display()
    if report.result.assessment.is_published:
        return f"{report.result.score} ({grade})"
    return _("%(score)d (%(grade)s), draft") % {"score": report.result.score, "grade": grade}


def member_report_docx(report: MemberReport) -> bytes:
    """The report as a .docx document."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    summary = report.summary
    member = summary.member
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "SimSun"  # type: ignore[attr-defined]
    style.font.size = Pt(11)  # type: ignore[attr-defined]
    # East-Asian text takes its font from a separate attribute.
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")  # type: ignore[attr-defined]
    document.add_heading(report_title(report), level=1)
    facts = document.add_table(rows=0, cols=2)
    facts.style = "Table Grid"
    for label, value in (
        (_("Council"), member.council.name),
        (_("Member"), member.full_name),
        (_("Sector"), member.sector.name if member.sector else "—"),
        (_("Recommending body"), member.recommending_body or "—"),
        (_("Points for the year"), str(summary.score.total)),
        (_("Council median"), "—" if summary.council_median is None else f"{summary.council_median:g}"),
        (_("Assessment"), _result_text(report)),
    ):
        row = facts.add_row().cells
        row[0].text, row[1].text = str(label), str(value)
    if report.result is not None and report.result.adjustment:
        document.add_paragraph(
            _("Adjusted by %(points)+d: %(reason)s")
            % {"points": report.result.adjustment, "reason": report.result.adjustment_reason}
        )
    document.add_heading(_("Points by kind"), level=2)
    kinds = document.add_table(rows=1, cols=3)
    kinds.style = "Table Grid"
    head = kinds.rows[0].cells
    head[0].text, head[1].text, head[2].text = _("Kind"), _("Records"), _("Points")
    base = kinds.add_row().cells
    base[0].text, base[1].text, base[2].text = str(DutyKind.BASE.label), "—", str(summary.score.base)
    for line in summary.by_kind:
        cells = kinds.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = line.label, str(line.count), str(line.points)
    if summary.score.capped_groups:
        document.add_paragraph(_("Some items reached their yearly cap; the total counts each cap once."))
    document.add_heading(_("Records"), level=2)
    records = document.add_table(rows=1, cols=4)
    records.style = "Table Grid"
    head = records.rows[0].cells
    head[0].text, head[1].text, head[2].text, head[3].text = (
        _("Date"),
        _("Kind"),
        _("Description"),
        _("Points"),
    )
    for record in report.records:
        cells = records.add_row().cells
        cells[0].text = record.occurred_on.isoformat()
        cells[1].text = str(record.get_kind_display())
        cells[2].text = record.description
        cells[3].text = str(record.points)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def member_report_pdf(report: MemberReport) -> bytes:
    """The report as PDF, from an HTML template, with Noto CJK fonts."""
    from weasyprint import HTML

    html = render_to_string(
        "duty/report_pdf.html",
        {
            "report": report,
            "summary": report.summary,
            "title": report_title(report),
            "result": _result_text(report),
        },
    )
    return bytes(HTML(string=html).write_pdf())
