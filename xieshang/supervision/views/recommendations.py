"""Recommendations to the responsible bodies, the unit's replies, and the
special reports compiled from a period of a campaign."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.core.audit import audit
from xieshang.core.events import labelled_timeline
from xieshang.core.exports import content_disposition
from xieshang.core.pages import form_page, version_of
from xieshang.councils.actions.instructions import InstructionDetails
from xieshang.councils.forms.instructions import InstructionForm
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view
from xieshang.supervision import exports, queries
from xieshang.supervision import permissions as can
from xieshang.supervision.actions import (
    issue_special_report,
    record_report_instruction,
    reply_recommendation,
    resolve_recommendation,
    send_recommendation,
)
from xieshang.supervision.forms import RecommendForm, ReplyForm, ReportForm
from xieshang.supervision.states import STATUS_CSS, EventType
from xieshang.supervision.views.common import act_on_form, url


@council_view(Perm.MANAGE_SUPERVISION)
def recommend(request: CouncilRequest, pk: int) -> HttpResponse:
    campaign = queries.access_campaign(request.actor, pk)
    form = RecommendForm(request.POST or None, campaign=campaign)
    return form_page(
        request,
        form,
        title=_("Send a recommendation"),
        subject=campaign.title,
        back=url(request, "campaign", pk=campaign.pk),
        call=lambda d: send_recommendation(
            campaign,
            actor=request.actor,
            handling_unit=d["handling_unit"],
            title=d["title"],
            text=d["text"],
            problems=list(d["problems"]),
        ),
        success=_("The recommendation was sent to the unit."),
        done=lambda row: url(request, "recommendation", pk=row.pk),
    )


@council_view()
def recommendations(request: CouncilRequest) -> HttpResponse:
    rows = queries.visible_recommendations(request.actor).order_by("status", "due_on", "id")
    if not (request.actor.has(Perm.VIEW_SUPERVISION) or request.actor.has(Perm.ANSWER_SUPERVISION)):
        raise Http404
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(request, "supervision/recommendations.html", {"page": page, "status_css": STATUS_CSS})


@council_view()
def recommendation(request: CouncilRequest, pk: int) -> HttpResponse:
    actor = request.actor
    row = queries.access_recommendation(actor, pk)
    may_reply = can.can_reply_recommendation(actor, row)
    return render(
        request,
        "supervision/recommendation.html",
        {
            "row": row,
            "status_css": STATUS_CSS.get(row.status, ""),
            "problems": list(row.problems.select_related("target")),
            "replies": list(queries.replies_of(row)),
            "reply_form": ReplyForm() if may_reply else None,
            "may_resolve": can.can_resolve_recommendation(actor, row),
            "events": labelled_timeline(row, EventType),
        },
    )


@require_POST
@council_view()
def recommendation_reply(request: CouncilRequest, pk: int) -> HttpResponse:
    row = queries.access_recommendation(request.actor, pk)
    return act_on_form(
        request,
        ReplyForm(request.POST),
        back=url(request, "recommendation", pk=row.pk),
        invalid=_("Write the reply."),
        call=lambda d: reply_recommendation(row, actor=request.actor, text=d["text"]),
        success=_("The reply was sent."),
    )


@require_POST
@council_view(Perm.MANAGE_SUPERVISION)
def recommendation_resolve(request: CouncilRequest, pk: int) -> HttpResponse:
    row = queries.access_recommendation(request.actor, pk)
    resolve_recommendation(row, actor=request.actor, expected_version=version_of(request))
    messages.success(request, _("The problems were marked resolved."))
    return redirect(url(request, "recommendation", pk=row.pk))


@council_view(Perm.MANAGE_SUPERVISION)
def report_create(request: CouncilRequest, pk: int) -> HttpResponse:
    campaign = queries.access_campaign(request.actor, pk)
    form = ReportForm(
        request.POST or None, initial={"period_start": campaign.starts_on, "period_end": campaign.ends_on}
    )
    return form_page(
        request,
        form,
        title=_("Issue a special report"),
        subject=campaign.title,
        back=url(request, "campaign", pk=campaign.pk),
        call=lambda d: issue_special_report(
            campaign,
            actor=request.actor,
            title=d["title"],
            period_start=d["period_start"],
            period_end=d["period_end"],
            summary=d["summary"],
        ),
        success=_("The special report was issued."),
        done=lambda report: url(request, "report", pk=report.pk),
    )


@council_view()
def reports(request: CouncilRequest) -> HttpResponse:
    """Special reports: for readers of the records and for the offices that
    record leaders' instructions on them."""
    actor = request.actor
    if not (actor.has(Perm.VIEW_SUPERVISION) or actor.has(Perm.INSTRUCT_SUPERVISION)):
        raise Http404
    return render(request, "supervision/reports.html", {"reports": queries.visible_reports(actor)})


@council_view()
def report(request: CouncilRequest, pk: int) -> HttpResponse:
    actor = request.actor
    row = queries.access_report(actor, pk)
    may_instruct = can.can_instruct(actor)
    form = InstructionForm(request.POST or None) if may_instruct else None
    if request.method == "POST" and form is not None:
        return act_on_form(
            request,
            form,
            back=url(request, "report", pk=row.pk),
            invalid=_("Fill in the leader, the level, the date and the instruction."),
            call=lambda d: record_report_instruction(
                row,
                actor=actor,
                details=InstructionDetails(
                    leader_name=d["leader_name"],
                    level=d["level"],
                    text=d["text"],
                    instructed_on=d["instructed_on"],
                    leader_title=d["leader_title"],
                ),
            ),
            success=_("The instruction was recorded."),
        )
    return render(
        request,
        "supervision/report.html",
        {
            "report": row,
            "number": exports.report_number(row),
            "contents": queries.report_rows(row),
            "instructions": list(row.instructions.all()),
            "instruction_form": form,
        },
    )


@council_view()
def report_download(request: CouncilRequest, pk: int, fmt: str) -> HttpResponse:
    row = queries.access_report(request.actor, pk)
    if fmt not in ("docx", "pdf"):
        raise Http404
    body = exports.report_docx(row) if fmt == "docx" else exports.report_pdf(row)
    audit(
        "supervision.report_exported",
        user=request.user,
        council=request.council,
        obj=row,
        data={"format": fmt},
        request=request,
    )
    mime = (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        if fmt == "docx"
        else "application/pdf"
    )
    response = HttpResponse(body, content_type=mime)
    response["Content-Disposition"] = content_disposition(f"{exports.report_number(row)} {row.title}.{fmt}")
    return response
