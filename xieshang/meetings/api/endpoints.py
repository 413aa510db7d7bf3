"""Endpoints of the meetings API."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from xieshang.core.api import ERROR_RESPONSES, WRITE_ERROR_RESPONSES, ObjectId, Page, PageQuery, paginate
from xieshang.councils.api.schemas import CouncilSlug
from xieshang.councils.api.scoping import council_actor
from xieshang.councils.roles import Perm
from xieshang.meetings.actions.check_in import check_in_with_code
from xieshang.meetings.actions.leave import decide_leave, request_leave
from xieshang.meetings.api.schemas import (
    CheckInIn,
    CheckInOut,
    DecisionIn,
    LeaveIn,
    LeaveOut,
    MeetingDetailOut,
    MeetingFilters,
    MeetingOut,
)
from xieshang.meetings.models import LeaveRequest, Meeting
from xieshang.meetings.queries import (
    access_leave_request,
    access_meeting,
    meetings_for,
    my_meetings,
)

router = Router(tags=["meetings"])


@router.get("/c/{council_slug}/meetings", response={200: Page[MeetingOut], **ERROR_RESPONSES})
def list_meetings(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[MeetingFilters]
) -> dict[str, Any]:
    """Meetings the requester may see, newest first: every meeting for staff
    and leaders, their published invitations for members."""
    actor = council_actor(request, council_slug)
    rows = meetings_for(actor).select_related("council")
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.year:
        rows = rows.filter(starts_at__year=filters.year)
    return paginate(rows.order_by("-starts_at", "-id"), filters)


@router.get("/c/{council_slug}/meetings/mine", response={200: Page[MeetingOut], **ERROR_RESPONSES})
def list_my_meetings(
    request: HttpRequest, council_slug: CouncilSlug, query: Query[PageQuery]
) -> dict[str, Any]:
    """The member's upcoming meetings, soonest first (cancelled ones included)."""
    actor = council_actor(request, council_slug, Perm.ATTEND_MEETINGS)
    return paginate(my_meetings(actor, now=timezone.now()).select_related("council"), query)


@router.get("/c/{council_slug}/meetings/{meeting_id}", response={200: MeetingDetailOut, **ERROR_RESPONSES})
def get_meeting(request: HttpRequest, council_slug: CouncilSlug, meeting_id: ObjectId) -> Meeting:
    """One meeting with its sittings, materials and the requester's leave requests."""
    actor = council_actor(request, council_slug)
    return access_meeting(actor, meeting_id)


@router.post(
    "/c/{council_slug}/meetings/{meeting_id}/leave", response={201: LeaveOut, **WRITE_ERROR_RESPONSES}
)
def ask_for_leave(
    request: HttpRequest, council_slug: CouncilSlug, meeting_id: ObjectId, payload: LeaveIn
) -> Status[Any]:
    """Ask to be excused from a meeting the requester is invited to; refused
    (400) once the meeting has started or while another request is open."""
    actor = council_actor(request, council_slug, Perm.ATTEND_MEETINGS)
    meeting = access_meeting(actor, meeting_id)
    leave = request_leave(meeting, actor=actor, reason=payload.reason, now=timezone.now())
    return Status(201, leave)


@router.post(
    "/c/{council_slug}/meetings/leave/{leave_id}/decision", response={200: LeaveOut, **WRITE_ERROR_RESPONSES}
)
def decide_leave_request(
    request: HttpRequest, council_slug: CouncilSlug, leave_id: ObjectId, payload: DecisionIn
) -> LeaveRequest:
    """Approve or refuse a pending leave request (a refusal needs a note)."""
    actor = council_actor(request, council_slug, Perm.DECIDE_LEAVE)
    leave = access_leave_request(actor, leave_id)
    return decide_leave(leave, actor=actor, approve=payload.approve, note=payload.note)


@router.post(
    "/c/{council_slug}/meetings/{meeting_id}/check-in", response={201: CheckInOut, **WRITE_ERROR_RESPONSES}
)
def check_in(
    request: HttpRequest, council_slug: CouncilSlug, meeting_id: ObjectId, payload: CheckInIn
) -> Status[Any]:
    """Check the requester in with the code scanned in the meeting room.
    Refused (400, with the reason) for invalid, expired or replayed codes,
    codes of another meeting or council, and members not invited; 409 before
    the sitting's check-in window opens or after it ends."""
    actor = council_actor(request, council_slug, Perm.ATTEND_MEETINGS)
    # No access_meeting first: a walk-in (not invited) may check in where the
    # sitting allows it; the action checks the code belongs to meeting_id.
    row = check_in_with_code(actor=actor, code=payload.code, now=timezone.now(), meeting_id=meeting_id)
    return Status(201, row)
