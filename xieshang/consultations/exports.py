"""The plan as the joint document and the year-end report of consultations
and their conversion, in Word (python-docx) and PDF (WeasyPrint, Noto CJK
fonts embedded)."""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from xieshang.consultations.models import ConsultationPlan
from xieshang.consultations.queries import YearReport, plan_items, year_report
from xieshang.councils.models import OversightKind, OversightOffice
from xieshang.councils.queries import bodies_of

CJK_FONT = "Noto Serif CJK SC"
QUARTER_LABELS = {1: "一", 2: "二", 3: "三", 4: "四"}


def _document() -> Any:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = CJK_FONT
    normal.font.size = Pt(12)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), CJK_FONT)
    return document


def _title(document: Any, text: str, size: int = 20) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(size)


def _save(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def plan_context(plan: ConsultationPlan) -> dict[str, Any]:
    items = [item for item in plan_items(plan) if not item.is_withdrawn]
    amendments = list(plan.amendments.select_related("item"))
    for amendment in amendments:
        amendment.line = amendment_line(amendment)  # type: ignore[attr-defined]
    return {
        "plan": plan,
        "council": plan.council,
        "items": items,
        "amendments": amendments,
        "issuers": issuing_line(plan),
        "font": CJK_FONT,
        "quarters": QUARTER_LABELS,
    }


def issuing_line(plan: ConsultationPlan) -> str:
    """Who issues the plan, by the offices' real names: the council's
    party-committee office, then its government office (as set up among its
    oversight offices), then the council's own office."""
    offices = sorted(bodies_of(plan.council, OversightOffice, active_only=True), key=_issuing_order)
    names = [office.name for office in offices]
    names.append(_("Office of %(council)s") % {"council": plan.council.name})
    return _("Issued jointly by %(offices)s") % {"offices": pgettext("list separator", ", ").join(names)}


def _issuing_order(office: OversightOffice) -> int:
    order = [OversightKind.PARTY_COMMITTEE, OversightKind.GOVERNMENT]
    return order.index(OversightKind(office.kind)) if office.kind in order else len(order)


def amendment_line(amendment: Any) -> str:
    return _("%(date)s %(kind)s: %(topic)s (reason: %(reason)s)") % {
        "date": f"{amendment.made_at:%Y-%m-%d}",
        "kind": amendment.get_kind_display(),
        "topic": amendment.item.topic,
        "reason": amendment.reason,
    }


def plan_docx(plan: ConsultationPlan) -> bytes:
    """The plan as a Word document: title, document number, the items table
    (topic, kind, lead committee, partner department, quarter, decision
    date), amendments with their reasons."""
    context = plan_context(plan)
    document = _document()
    _title(document, plan.title)
    document.add_paragraph(context["issuers"]).alignment = 1
    if plan.document_number:
        document.add_paragraph(plan.document_number).alignment = 1
    headers = [
        _("No."),
        _("Topic"),
        pgettext("consultation", "Kind"),
        _("Lead special committee"),
        _("Partner government department"),
        _("Quarter"),
        _("Decision expected by"),
    ]
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(text)
        cell.paragraphs[0].runs[0].bold = True
    for item in context["items"]:
        cells = table.add_row().cells
        values = [
            str(item.position),
            item.topic,
            str(item.get_kind_display()),
            item.lead_committee.name if item.lead_committee else "",
            item.partner_unit.name if item.partner_unit else "",
            _("Q%(n)s") % {"n": item.quarter},
            item.decision_expected_on.isoformat() if item.decision_expected_on else "",
        ]
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    if context["amendments"]:
        document.add_heading(str(_("Changes after issue")), level=2)
        for amendment in context["amendments"]:
            document.add_paragraph(amendment.line, style="List Bullet")
    if plan.approved_on:
        document.add_paragraph(
            _("Approved by the chair meeting on %(date)s.") % {"date": plan.approved_on.isoformat()}
            + (f" {plan.approval_note}" if plan.approval_note else "")
        )
    return _save(document)


def plan_pdf(plan: ConsultationPlan) -> bytes:
    from weasyprint import HTML

    html = render_to_string("consultations/plan_print.html", plan_context(plan))
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]


def year_context(report: YearReport) -> dict[str, Any]:
    return {"report": report, "council": report.council, "font": CJK_FONT}


def year_docx(report: YearReport) -> bytes:
    """The year-end report: figures, then each consultation with its
    outcomes, instructions and what became of them."""
    document = _document()
    _title(
        document,
        _("Consultation work in %(year)s and the conversion of its outcomes") % {"year": report.year},
    )
    document.add_paragraph(report.council.name).alignment = 1
    rate = "—" if report.conversion_rate is None else f"{report.conversion_rate}%"
    document.add_paragraph(
        _(
            "Planned consultations: %(planned)s; held: %(held)s; outcome reports sent: %(outcomes)s; "
            "with leaders' instructions: %(instructed)s; adopted or turned into policy: %(converted)s "
            "(%(rate)s); in progress: %(progress)s; not adopted: %(not_adopted)s."
        )
        % {
            "planned": report.planned,
            "held": report.held,
            "outcomes": report.outcome_count,
            "instructed": report.instructed,
            "converted": report.converted,
            "rate": rate,
            "progress": report.in_progress,
            "not_adopted": report.not_adopted,
        }
    )
    for number, row in enumerate(report.rows, start=1):
        consultation = row.consultation
        document.add_heading(f"{number}. {consultation.topic}", level=2)
        document.add_paragraph(
            f"{consultation.get_kind_display()} · {consultation.starts_at:%Y-%m-%d} · "
            f"{consultation.get_status_display()}"
        )
        if not row.outcomes:
            document.add_paragraph(str(_("No outcome report sent.")))
        for outcome in row.outcomes:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{outcome.get_kind_display()}：{outcome.title}").bold = True
            for instruction in outcome.instructions.all():
                document.add_paragraph(
                    f"{instruction.leader_name}（{instruction.get_level_display()}，"
                    f"{instruction.instructed_on:%Y-%m-%d}）：{instruction.text}",
                    style="List Bullet",
                )
            result = outcome.get_adoption_display()
            document.add_paragraph(
                f"{_('What became of it')}：{result}"
                + (f"——{outcome.adoption_note}" if outcome.adoption_note else "")
            )
    return _save(document)


def year_pdf(report: YearReport) -> bytes:
    from weasyprint import HTML

    html = render_to_string("consultations/year_print.html", year_context(report))
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]


__all__ = ["plan_docx", "plan_pdf", "year_docx", "year_pdf", "year_report"]
