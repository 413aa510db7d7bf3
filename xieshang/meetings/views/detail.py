"""The meeting page (for staff, leaders and invited members) and the
download of its materials."""

from __future__ import annotations

from typing import Any, cast

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from xieshang.core.attachments import attachment_response, attachments_of
from xieshang.core.events import labelled_timeline
from xieshang.councils.queries import get_setting
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view
from xieshang.meetings import permissions as can
from xieshang.meetings.forms import DecisionForm, GuestForm, MaterialForm, ReasonForm
from xieshang.meetings.models import Meeting
from xieshang.meetings.queries import (
    access_meeting,
    guests_of,
    invitation_count,
    my_check_ins,
    my_leave_requests,
    sittings_of,
)
from xieshang.meetings.states import EventType, LeaveStatus, MeetingStatus


def detail_context(request: CouncilRequest, meeting: Meeting) -> dict[str, Any]:
    actor = request.actor
    now = timezone.now()
    is_staff = actor.has(Perm.VIEW_ALL_MEETINGS)
    sittings = sittings_of(meeting)
    check_ins = my_check_ins(actor, meeting)
    for sitting in sittings:
        sitting.my_check_in = check_ins.get(sitting.pk)  # type: ignore[attr-defined]
    leaves = my_leave_requests(actor, meeting)
    for leave in leaves:
        leave.may_withdraw = can.can_withdraw_leave(actor, leave, now=now)  # type: ignore[attr-defined]
    pending = (
        list(meeting.leave_requests.filter(status=LeaveStatus.PENDING).select_related("member"))
        if actor.has(Perm.DECIDE_LEAVE)
        else []
    )
    may_manage = can.can_manage(actor, meeting)
    return {
        "meeting": meeting,
        "sittings": sittings,
        "materials": list(attachments_of(meeting)),
        "guests": guests_of(meeting) if is_staff else [],
        "invited": invitation_count(meeting) if is_staff else None,
        "is_staff": is_staff,
        "is_invited": can.is_invited(actor, meeting),
        "has_started": meeting.has_started(now),
        "check_in_opens": int(get_setting(meeting.council, "check_in_opens_minutes_before"))
        if meeting.status == MeetingStatus.PUBLISHED
        else None,
        "notice_day_passed": meeting.status == MeetingStatus.DRAFT
        and meeting.notice_due_on < timezone.localdate(now),
        "my_leaves": leaves,
        "pending_leaves": pending,
        # Check-ins are many and shown on the sheet; the history keeps the rest.
        "events": labelled_timeline(meeting, EventType, leave_out=[EventType.CHECKED_IN]) if is_staff else [],
        "may": {
            "manage": may_manage,
            "publish": can.can_publish(actor, meeting),
            "close": can.can_close(actor, meeting, now=now),
            "attendance": can.can_take_attendance(actor, meeting),
            # Once checked in to any sitting, the member attends: no leave.
            "ask_leave": can.may_ask_leave(actor, meeting)
            and can.open_leave_request(actor, meeting) is None
            and not check_ins,
            "decide": actor.has(Perm.DECIDE_LEAVE),
        },
        "leave_form": ReasonForm(),
        "decision_form": DecisionForm(),
        "guest_form": GuestForm() if may_manage else None,
        "material_form": MaterialForm() if may_manage else None,
        "cancel_form": ReasonForm() if may_manage else None,
    }


@council_view()
def detail(request: CouncilRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.actor, pk)
    return render(request, "meetings/detail.html", detail_context(request, meeting))


@council_view()
def material(request: CouncilRequest, pk: int, attachment_id: int) -> HttpResponse:
    """Download a material, for whoever may see the meeting."""
    meeting = access_meeting(request.actor, pk)
    attachment = attachments_of(meeting).filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    return cast(HttpResponse, attachment_response(attachment))
