"""Who may do what to which meeting, now. Used by the actions (to refuse) and
by the pages (to show only the actions the user may take).

Times are passed in so that pages and actions agree on "now".
"""

from __future__ import annotations

import datetime as dt

from xieshang.councils.roles import Actor, Perm
from xieshang.meetings.models import CheckIn, Invitation, LeaveRequest, Meeting
from xieshang.meetings.states import EDITABLE, VISIBLE_TO_INVITEES, LeaveStatus, MeetingStatus


def _in_council(actor: Actor, meeting: Meeting) -> bool:
    return meeting.council_id == actor.council.pk


def is_invited(actor: Actor, meeting: Meeting) -> bool:
    if actor.member is None:
        return False
    return Invitation.objects.filter(meeting=meeting, member=actor.member).exists()


def can_view(actor: Actor, meeting: Meeting) -> bool:
    """Staff and leaders see every meeting; members the published meetings
    they are invited to."""
    if not _in_council(actor, meeting):
        return False
    if actor.has(Perm.VIEW_ALL_MEETINGS):
        return True
    return (
        actor.has(Perm.ATTEND_MEETINGS)
        and meeting.status in VISIBLE_TO_INVITEES
        and is_invited(actor, meeting)
    )


def can_manage(actor: Actor, meeting: Meeting) -> bool:
    """Staff change details, invitees, guests and materials until it closes."""
    return _in_council(actor, meeting) and actor.has(Perm.MANAGE_MEETINGS) and meeting.status in EDITABLE


def can_publish(actor: Actor, meeting: Meeting) -> bool:
    return (
        _in_council(actor, meeting)
        and actor.has(Perm.MANAGE_MEETINGS)
        and meeting.status == MeetingStatus.DRAFT
    )


can_cancel = can_manage


def can_close(actor: Actor, meeting: Meeting, *, now: dt.datetime) -> bool:
    """A published meeting is closed (attendance fixed) once it has begun."""
    return (
        _in_council(actor, meeting)
        and actor.has(Perm.MANAGE_MEETINGS)
        and meeting.status == MeetingStatus.PUBLISHED
        and now >= meeting.starts_at
    )


def can_take_attendance(actor: Actor, meeting: Meeting) -> bool:
    """Staff check people in by hand and correct attendance, also after closing."""
    return (
        _in_council(actor, meeting)
        and actor.has(Perm.MANAGE_MEETINGS)
        and meeting.status in (MeetingStatus.PUBLISHED, MeetingStatus.CLOSED)
    )


def open_leave_request(actor: Actor, meeting: Meeting) -> LeaveRequest | None:
    if actor.member is None:
        return None
    return (
        LeaveRequest.objects.filter(
            meeting=meeting, member=actor.member, status__in=(LeaveStatus.PENDING, LeaveStatus.APPROVED)
        )
        .order_by("-id")
        .first()
    )


def has_checked_in(actor: Actor, meeting: Meeting) -> bool:
    """Whether the actor has checked in to a sitting of meeting."""
    if actor.member is None:
        return False
    return CheckIn.objects.filter(sitting__meeting=meeting, member=actor.member).exists()


def may_ask_leave(actor: Actor, meeting: Meeting) -> bool:
    """Whether the actor is someone who could ask for leave of this meeting at
    all (an invited member of a published meeting); the time is checked by
    the action, which says why it is too late."""
    return (
        _in_council(actor, meeting)
        and actor.has(Perm.ATTEND_MEETINGS)
        and meeting.status == MeetingStatus.PUBLISHED
        and is_invited(actor, meeting)
    )


def can_request_leave(actor: Actor, meeting: Meeting, *, now: dt.datetime) -> bool:
    return (
        may_ask_leave(actor, meeting)
        and now < meeting.starts_at
        and open_leave_request(actor, meeting) is None
        and not has_checked_in(actor, meeting)
    )


def can_decide_leave(actor: Actor, leave: LeaveRequest) -> bool:
    return (
        leave.council_id == actor.council.pk
        and actor.has(Perm.DECIDE_LEAVE)
        and leave.status == LeaveStatus.PENDING
    )


def can_withdraw_leave(actor: Actor, leave: LeaveRequest, *, now: dt.datetime) -> bool:
    return (
        leave.council_id == actor.council.pk
        and actor.member is not None
        and leave.member_id == actor.member.pk
        and leave.status == LeaveStatus.PENDING
        and now < leave.meeting.starts_at
    )
