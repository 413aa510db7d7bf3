"""Staff pages: the queue, editing, adopting, declining and forwarding
reports, and reports forwarded up from lower councils."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.core.attachments import attachment_response
from xieshang.core.pages import add_errors, flash_errors, form_page, version_of
from xieshang.councils.queries import get_setting
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view
from xieshang.opinions import permissions as can
from xieshang.opinions.actions import forwarding as forward_actions
from xieshang.opinions.actions import review
from xieshang.opinions.actions.filing import file_opinion_report
from xieshang.opinions.forms import (
    FileForMemberForm,
    ForwardForm,
    QueueFilterForm,
    ReasonForm,
    ReportForm,
    StaffEditForm,
)
from xieshang.opinions.models import Forwarding, OpinionReport
from xieshang.opinions.queries import (
    QueueFilters,
    access_received,
    access_report,
    access_report_file,
    forwardings_by,
    instructions_of,
    received_reports,
    report_files,
    staff_reports,
    status_counts,
)
from xieshang.opinions.states import RECEIPT_STATUS_CSS, REPORT_STATUS_CSS, ReceiptStatus, ReportStatus
from xieshang.opinions.views.common import to_detail


@council_view(Perm.VIEW_ALL_OPINIONS)
def queue(request: CouncilRequest) -> HttpResponse:
    """Filed reports by status (submitted by default), oldest first."""
    form = QueueFilterForm(request.GET)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    status = data.get("status") or ReportStatus.SUBMITTED
    if status == ReportStatus.DRAFT:
        status = ReportStatus.SUBMITTED
    filters = QueueFilters(status=status, year=data.get("year"), text=data.get("q") or "")
    page = Paginator(staff_reports(request.actor, filters), 20).get_page(request.GET.get("page"))
    counts = status_counts(request.actor)
    chips = [
        {"value": value, "label": label, "count": counts.get(value, 0), "active": value == status}
        for value, label in ReportStatus.choices
        if value != ReportStatus.DRAFT
    ]
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "opinions/queue.html",
        {
            "page": page,
            "chips": chips,
            "filters": filters,
            "status": status,
            "query": params.urlencode(),
            "status_css": REPORT_STATUS_CSS,
            "received_waiting": received_reports(request.actor, ReceiptStatus.RECEIVED).count(),
            "may_manage": request.actor.has(Perm.MANAGE_OPINIONS),
        },
    )


def _around(back: str, *, danger: bool = False) -> dict[str, Any]:
    """What a staff form page shows around its form: Cancel back to the
    report (or the received report), and a question before a refusal."""
    return {
        "back": back,
        "submit": _("Confirm"),
        "danger": danger,
        "confirm": _("Are you sure? This cannot be undone.") if danger else "",
    }


def _detail_url(request: CouncilRequest, report: OpinionReport) -> str:
    return reverse("opinions:detail", kwargs={"council_slug": request.council.slug, "pk": report.pk})


def _received_url(request: CouncilRequest, forwarding: Forwarding) -> str:
    return reverse(
        "opinions:received_detail", kwargs={"council_slug": request.council.slug, "pk": forwarding.pk}
    )


@council_view(Perm.MANAGE_OPINIONS)
def staff_edit(request: CouncilRequest, pk: int) -> HttpResponse:
    report = access_report(request.actor, pk)
    if not can.can_staff_edit(request.actor, report):
        return to_detail(request, report)
    form = StaffEditForm(request.POST or None, initial=ReportForm.initial_from(report))
    return form_page(
        request,
        form,
        title=_("Edit the report"),
        subject=report.title,
        success=_("The report was edited; the reporter sees the changes."),
        **_around(_detail_url(request, report)),
        call=lambda d: review.edit_report(
            report,
            actor=request.actor,
            content=form.content(),
            note=d["note"],
            expected_version=d["version"],  # type: ignore[attr-defined]
        ),
    )


@require_POST
@council_view(Perm.MANAGE_OPINIONS)
def adopt(request: CouncilRequest, pk: int) -> HttpResponse:
    report = access_report(request.actor, pk)
    try:
        review.adopt_report(report, actor=request.actor, expected_version=version_of(request))
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The report was adopted."))
    return to_detail(request, report)


@council_view(Perm.MANAGE_OPINIONS)
def decline(request: CouncilRequest, pk: int) -> HttpResponse:
    report = access_report(request.actor, pk)
    form = ReasonForm(request.POST or None, initial={"version": report.version})
    return form_page(
        request,
        form,
        title=_("Do not adopt the report"),
        subject=report.title,
        success=_("The report was not adopted; the reporter sees the reason."),
        **_around(_detail_url(request, report), danger=True),
        call=lambda d: review.decline_report(
            report, actor=request.actor, reason=d["reason"], expected_version=d["version"]
        ),
    )


def _forward_args(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "target": data["target"],
        "offices": list(data.get("offices") or []),
        "to_council": data.get("to_council"),
        "note": data.get("note") or "",
    }


@council_view(Perm.MANAGE_OPINIONS)
def forward(request: CouncilRequest, pk: int) -> HttpResponse:
    report = access_report(request.actor, pk)
    form = ForwardForm(request.POST or None, council=request.council)
    return form_page(
        request,
        form,
        title=_("Forward the report"),
        subject=report.title,
        success=_("The report was forwarded."),
        **_around(_detail_url(request, report)),
        call=lambda d: forward_actions.forward_report(report, actor=request.actor, **_forward_args(d)),
        template="opinions/forward_form.html",
    )


@council_view(Perm.VIEW_ALL_OPINIONS)
def received(request: CouncilRequest) -> HttpResponse:
    """Reports the lower councils forwarded up here, waiting ones first."""
    status = request.GET.get("status") or ReceiptStatus.RECEIVED
    if status not in ReceiptStatus.values:
        status = ReceiptStatus.RECEIVED
    page = Paginator(received_reports(request.actor, status), 20).get_page(request.GET.get("page"))
    counts = {s: received_reports(request.actor, s).count() for s in ReceiptStatus.values}
    chips = [
        {"value": v, "label": label, "count": counts[v], "active": v == status}
        for v, label in ReceiptStatus.choices
    ]
    return render(
        request,
        "opinions/received.html",
        {
            "page": page,
            "chips": chips,
            "status": status,
            "status_css": RECEIPT_STATUS_CSS,
            "query": f"status={status}",
        },
    )


def _to_received(request: CouncilRequest, forwarding: Forwarding) -> HttpResponse:
    return redirect(_received_url(request, forwarding))


@council_view(Perm.VIEW_ALL_OPINIONS)
def received_detail(request: CouncilRequest, pk: int) -> HttpResponse:
    """A report forwarded up here: its text, this council's decision, what
    this council forwarded and the instructions given at this level."""
    actor = request.actor
    forwarding = access_received(actor, pk)
    report = forwarding.report
    return render(
        request,
        "opinions/received_detail.html",
        {
            "forwarding": forwarding,
            "report": report,
            "status_css": RECEIPT_STATUS_CSS.get(forwarding.status, ""),
            "onward": list(forwardings_by(report, actor.council.pk)),
            "attachments": report_files(report),
            "instructions": [i for i in instructions_of(report) if i.council_id == actor.council.pk],
            "may": {
                "decide": can.can_decide_receipt(actor, forwarding),
                "forward": can.can_forward_receipt(actor, forwarding),
            },
            "forward_form": ForwardForm(council=request.council)
            if can.can_forward_receipt(actor, forwarding)
            else None,
        },
    )


@council_view(Perm.VIEW_ALL_OPINIONS)
def received_attachment(request: CouncilRequest, pk: int, attachment_id: int) -> HttpResponse:
    """Download a file of a report forwarded up here (it travels with the report)."""
    forwarding = access_received(request.actor, pk)
    return cast(HttpResponse, attachment_response(access_report_file(forwarding.report, attachment_id)))


@require_POST
@council_view(Perm.MANAGE_OPINIONS)
def received_adopt(request: CouncilRequest, pk: int) -> HttpResponse:
    forwarding = access_received(request.actor, pk)
    forward_actions.adopt_received(forwarding, actor=request.actor)
    messages.success(request, _("The report was adopted by this council."))
    return _to_received(request, forwarding)


@council_view(Perm.MANAGE_OPINIONS)
def received_decline(request: CouncilRequest, pk: int) -> HttpResponse:
    forwarding = access_received(request.actor, pk)
    form = ReasonForm(request.POST or None)
    return form_page(
        request,
        form,
        title=_("Do not adopt the report"),
        subject=forwarding.report.title,
        success=_("The report was not adopted; the lower council and the reporter see the reason."),
        **_around(_received_url(request, forwarding), danger=True),
        call=lambda d: forward_actions.decline_received(forwarding, actor=request.actor, reason=d["reason"]),
    )


@council_view(Perm.MANAGE_OPINIONS)
def received_forward(request: CouncilRequest, pk: int) -> HttpResponse:
    forwarding = access_received(request.actor, pk)
    form = ForwardForm(request.POST or None, council=request.council)
    return form_page(
        request,
        form,
        title=_("Forward the report"),
        subject=forwarding.report.title,
        success=_("The report was forwarded."),
        **_around(_received_url(request, forwarding)),
        call=lambda d: forward_actions.forward_received(forwarding, actor=request.actor, **_forward_args(d)),
        template="opinions/forward_form.html",
    )


@council_view(Perm.MANAGE_OPINIONS)
def file_for_member(request: CouncilRequest) -> HttpResponse:
    """Enter a report for a member who cannot go online; the history records
    that staff filed it."""
    limit = int(get_setting(request.council, "opinion_report_max_chars"))
    form = FileForMemberForm(request.POST or None, council=request.council, limit=limit)
    if request.method == "POST" and form.is_valid():
        try:
            report = file_opinion_report(
                actor=request.actor, content=form.content(), member=form.cleaned_data["member"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The report was filed for the member."))
            return to_detail(request, report)
    return render(request, "opinions/file_for_member.html", {"form": form, "limit": limit})
