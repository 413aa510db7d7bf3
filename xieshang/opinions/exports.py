"""A bulletin issue in its customary forms: Word (python-docx) and PDF
(WeasyPrint, with the Noto CJK fonts embedded)."""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from xieshang.opinions.models import BulletinEntry, BulletinIssue

CJK_FONT = "Noto Serif CJK SC"


def issue_label(issue: BulletinIssue) -> str:
    return _("%(year)s, issue %(number)s") % {"year": issue.year, "number": issue.number}


def issue_entries(issue: BulletinIssue) -> list[BulletinEntry]:
    return list(
        issue.entries.select_related(
            "report__council",
            "report__member",
            "report__affiliation",
            "report__sector",
            "report__special_committee",
        ).order_by("position", "id")
    )


def issue_context(issue: BulletinIssue) -> dict[str, Any]:
    return {
        "issue": issue,
        "label": issue_label(issue),
        "council": issue.council,
        "entries": issue_entries(issue),
        "font": CJK_FONT,
    }


def issue_docx(issue: BulletinIssue) -> bytes:
    """The issue as a Word document: masthead, then each report with its
    reporter, sections and the editor's note."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = CJK_FONT
    normal.font.size = Pt(12)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), CJK_FONT)
    masthead = document.add_paragraph()
    masthead.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = masthead.add_run(_("Opinion Reports"))
    run.bold = True
    run.font.size = Pt(26)
    run.font.color.rgb = RGBColor(0xB0, 0x1E, 0x23)
    sub = document.add_paragraph()
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub.add_run(f"{issue_label(issue)}    {issue.council.name}")
    if issue.title:
        document.add_paragraph(issue.title).alignment = WD_ALIGN_PARAGRAPH.CENTER
    labels = {"problem": _("Problem"), "analysis": _("Analysis"), "suggestion": _("Suggestion")}
    for entry in issue_entries(issue):
        report = entry.report
        document.add_heading(report.title, level=2)
        byline = report.author_name
        if report.council_id != issue.council_id:
            byline = f"{report.council.name} · {byline}"
        document.add_paragraph(byline).runs[0].italic = True
        for name, label in labels.items():
            text = getattr(report, name)
            if text:
                paragraph = document.add_paragraph()
                paragraph.add_run(f"{label}：").bold = True
                paragraph.add_run(text)
        if entry.editor_note:
            note = document.add_paragraph()
            note.add_run(f"{_('Editor’s note')}：").bold = True
            note.add_run(entry.editor_note)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def issue_pdf(issue: BulletinIssue) -> bytes:
    """The issue as PDF, from the print template, fonts embedded."""
    from weasyprint import HTML

    html = render_to_string("opinions/bulletin_print.html", issue_context(issue))
    return HTML(string=html).write_pdf()
