"""Members' pages: my meetings (phone-first cards), asking for leave and
withdrawing the request."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.core.pages import flash_errors
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view
from xieshang.meetings.actions import leave as actions
from xieshang.meetings.forms import ReasonForm
from xieshang.meetings.queries import (
    access_leave_request,
    access_meeting,
    member_attendance,
    my_meetings,
    my_open_leaves,
)
from xieshang.meetings.views.common import to_detail


@council_view(Perm.ATTEND_MEETINGS)
def mine(request: CouncilRequest) -> HttpResponse:
    """The member's upcoming meetings (soonest first), with their leave
    status, and their attendance of past meetings."""
    actor = request.actor
    now = timezone.now()
    upcoming = list(my_meetings(actor, now=now)[:50])
    leaves = my_open_leaves(actor, upcoming)
    for meeting in upcoming:
        meeting.my_leave = leaves.get(meeting.pk)  # type: ignore[attr-defined]
    past = list(member_attendance(actor, actor.member)[:20]) if actor.member is not None else []
    return render(request, "meetings/mine.html", {"upcoming": upcoming, "past": past, "now": now})


@require_POST
@council_view(Perm.ATTEND_MEETINGS)
def request_leave(request: CouncilRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.actor, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason; staff decide on it."))
        return to_detail(request, meeting)
    try:
        actions.request_leave(
            meeting, actor=request.actor, reason=form.cleaned_data["reason"], now=timezone.now()
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Your request was sent. You will be told of the decision."))
    return to_detail(request, meeting)


@require_POST
@council_view(Perm.ATTEND_MEETINGS)
def withdraw_leave(request: CouncilRequest, leave_id: int) -> HttpResponse:
    leave = access_leave_request(request.actor, leave_id)
    actions.withdraw_leave(leave, actor=request.actor, now=timezone.now())
    messages.success(request, _("Your leave request was withdrawn. Please attend the meeting."))
    return to_detail(request, leave.meeting)
