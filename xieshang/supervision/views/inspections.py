"""Recording an inspection on a phone (the draft kept in the browser while
the connection is lost), an inspection's page, and its photos."""

from __future__ import annotations

from typing import Any, cast

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from xieshang.core.attachments import attachment_response, attachments_of
from xieshang.core.pages import form_page
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view
from xieshang.supervision import queries
from xieshang.supervision.actions import InspectionData, ProblemData, record_inspection
from xieshang.supervision.forms import InspectionForm
from xieshang.supervision.views.common import url


@council_view(Perm.VIEW_SUPERVISION)
def inspect(request: CouncilRequest, pk: int) -> HttpResponse:
    actor = request.actor
    campaign = queries.access_campaign(actor, pk)
    form = InspectionForm(
        request.POST or None,
        request.FILES or None,
        targets=queries.inspection_targets(actor, campaign),
        members=queries.inspection_participants(actor, campaign),
        units=queries.units_of(request.council),
        initial={"target": request.GET.get("target")},
    )

    def call(d: dict[str, Any]) -> object:
        return record_inspection(
            campaign,
            actor=actor,
            data=InspectionData(
                target=d["target"],
                inspected_on=d["inspected_on"],
                is_unannounced=d["is_unannounced"],
                participants=list(d["participants"]),
                findings=d["findings"],
                problems=[ProblemData(text, unit) for text, unit in form.problem_pairs()],
                photos=d["photos"],
            ),
        )

    return form_page(
        request,
        form,
        title=_("Record an inspection"),
        subject=campaign.title,
        back=url(request, "campaign", pk=campaign.pk),
        call=call,
        success=_("The inspection was recorded."),
        done=lambda inspection: url(request, "inspection", pk=inspection.pk) + "?recorded=1",
        template="supervision/inspect.html",
        context={
            "campaign": campaign,
            "draft_key": f"inspection:{request.council.slug}:{campaign.pk}:{request.user.pk}",
        },
        multipart=True,
    )


@council_view(Perm.VIEW_SUPERVISION)
def inspection(request: CouncilRequest, pk: int) -> HttpResponse:
    row = queries.access_inspection(request.actor, pk)
    return render(
        request,
        "supervision/inspection.html",
        {
            "inspection": row,
            "participants": list(row.participants.all()),
            "problems": list(queries.problems_of(row)),
            "photos": list(attachments_of(row)),
            "draft_key": f"inspection:{request.council.slug}:{row.campaign_id}:{request.user.pk}"
            if request.GET.get("recorded")
            else "",
        },
    )


@council_view(Perm.VIEW_SUPERVISION)
def photo(request: CouncilRequest, pk: int, photo_id: int) -> HttpResponse:
    row = queries.access_inspection(request.actor, pk)
    attachment = attachments_of(row).filter(pk=photo_id).first()
    if attachment is None:
        raise Http404
    return cast(HttpResponse, attachment_response(attachment, inline=True))
