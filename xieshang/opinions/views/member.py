"""Reporters' pages: my reports, the filing form, a report's page."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.core.attachments import DOCUMENTS, attachment_response, attachments_of, store_upload
from xieshang.core.events import labelled_timeline
from xieshang.core.pages import add_errors, flash_errors
from xieshang.councils.queries import get_setting
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view
from xieshang.opinions import permissions as can
from xieshang.opinions.actions.filing import save_report_draft, submit_report
from xieshang.opinions.diffing import diff_versions
from xieshang.opinions.forms import ReportForm
from xieshang.opinions.queries import (
    access_report,
    access_report_file,
    every_forwarding,
    instructions_of,
    my_reports,
)
from xieshang.opinions.states import REPORT_STATUS_CSS, EventType
from xieshang.opinions.views.common import describe_step, to_detail

ATTACHMENT_KINDS = (*DOCUMENTS, "png", "jpg")


@council_view(Perm.FILE_OPINIONS)
def mine(request: CouncilRequest) -> HttpResponse:
    page = Paginator(my_reports(request.actor), 20).get_page(request.GET.get("page"))
    return render(request, "opinions/mine.html", {"page": page, "status_css": REPORT_STATUS_CSS})


@council_view(Perm.FILE_OPINIONS)
def edit(request: CouncilRequest, pk: int | None = None) -> HttpResponse:
    """Write a new report or change a draft. "Save draft" keeps it private;
    "Submit" files it."""
    report = access_report(request.actor, pk) if pk is not None else None
    if report is not None and not can.can_edit_draft(request.actor, report):
        return to_detail(request, report)
    limit = int(get_setting(request.council, "opinion_report_max_chars"))
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        initial=ReportForm.initial_from(report) if report is not None else None,
        member=request.actor.member,
        limit=limit,
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                uploads = []
                if form.cleaned_data.get("attachment"):
                    uploads.append(
                        store_upload(
                            form.cleaned_data["attachment"],
                            council=request.council,
                            user=request.user,
                            allowed_kinds=ATTACHMENT_KINDS,
                            purpose="opinion_report",
                        )
                    )
                saved = save_report_draft(
                    report,
                    actor=request.actor,
                    content=form.content(),
                    attachments=uploads,
                    expected_version=form.cleaned_data.get("version"),
                )
                if "submit" in request.POST:
                    submit_report(saved, actor=request.actor)
        except ValidationError as error:
            if hasattr(error, "error_dict") and "attachments" in error.error_dict:
                form.add_error("attachment", error.error_dict.pop("attachments")[0].messages[0])
            if not hasattr(error, "error_dict"):
                form.add_error("attachment", error.messages[0])
            elif error.error_dict:
                add_errors(form, error)
        else:
            if "submit" in request.POST:
                messages.success(request, _("Your opinion report was submitted."))
            else:
                messages.success(request, _("Draft saved. Only you can see it."))
            return to_detail(request, saved)
    return render(request, "opinions/form.html", {"form": form, "report": report, "limit": limit})


@require_POST
@council_view(Perm.FILE_OPINIONS)
def submit(request: CouncilRequest, pk: int) -> HttpResponse:
    report = access_report(request.actor, pk)
    try:
        submit_report(report, actor=request.actor, expected_version=None)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Your opinion report was submitted."))
    return to_detail(request, report)


@council_view()
def detail(request: CouncilRequest, pk: int) -> HttpResponse:
    """The report with its current text, what staff changed, every forwarding
    and instruction at any level, and its history."""
    actor = request.actor
    report = access_report(actor, pk)
    versions = list(report.versions.select_related("edited_by"))
    changes = diff_versions(versions[0], versions[-1]) if len(versions) > 1 else []
    may = {
        "edit_draft": can.can_edit_draft(actor, report),
        "staff_edit": can.can_staff_edit(actor, report),
        "decide": can.can_decide(actor, report),
        "forward": can.can_forward(actor, report),
        "tag_themes": can.can_tag_themes(actor, report),
    }
    return render(
        request,
        "opinions/detail.html",
        {
            "report": report,
            "status_css": REPORT_STATUS_CSS.get(report.status, ""),
            "versions": versions,
            "changes": changes,
            "forwardings": list(every_forwarding(report)),
            "instructions": list(instructions_of(report)),
            "attachments": list(attachments_of(report)),
            "events": labelled_timeline(report, EventType, describe=describe_step),
            "may": may,
        },
    )


@council_view()
def attachment(request: CouncilRequest, pk: int, attachment_id: int) -> HttpResponse:
    report = access_report(request.actor, pk)
    return cast(HttpResponse, attachment_response(access_report_file(report, attachment_id)))
