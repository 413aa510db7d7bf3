"""Oversight offices' pages: the inbox of forwarded reports and recording
leaders' instructions."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from xieshang.core.attachments import attachment_response
from xieshang.core.pages import add_errors
from xieshang.councils.forms.instructions import InstructionForm
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view
from xieshang.opinions import permissions as can
from xieshang.opinions.actions.forwarding import record_instruction
from xieshang.opinions.queries import access_office_forwarding, access_report_file, office_inbox, report_files


@council_view(Perm.RECEIVE_OPINIONS)
def inbox(request: CouncilRequest) -> HttpResponse:
    page = Paginator(office_inbox(request.actor), 20).get_page(request.GET.get("page"))
    return render(request, "opinions/office_inbox.html", {"page": page, "query": ""})


@council_view(Perm.RECEIVE_OPINIONS)
def item(request: CouncilRequest, pk: int) -> HttpResponse:
    """A report sent to the office, its instructions, and the form to record one."""
    forwarding = access_office_forwarding(request.actor, pk)
    may_instruct = can.can_instruct(request.actor, forwarding)
    # A leader's instruction comes, most often, from the office's own level.
    level = {"level": request.council.level}
    form = InstructionForm(request.POST or None, initial=level) if may_instruct else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            record_instruction(forwarding, actor=request.actor, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The instruction was recorded; the reporter is told."))
            return redirect("opinions:office_item", council_slug=request.council.slug, pk=forwarding.pk)
    return render(
        request,
        "opinions/office_item.html",
        {
            "forwarding": forwarding,
            "report": forwarding.report,
            "instructions": list(forwarding.instructions.all()),
            "attachments": report_files(forwarding.report),
            "form": form,
        },
    )


@council_view(Perm.RECEIVE_OPINIONS)
def item_attachment(request: CouncilRequest, pk: int, attachment_id: int) -> HttpResponse:
    """Download a file of a report sent to the office (it travels with the report)."""
    forwarding = access_office_forwarding(request.actor, pk)
    return cast(HttpResponse, attachment_response(access_report_file(forwarding.report, attachment_id)))
