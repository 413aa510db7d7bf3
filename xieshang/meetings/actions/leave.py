"""Leave requests (请假): members ask before the meeting starts; staff or a
leader approve or refuse; the member is told either way."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.errors import require
from xieshang.core.events import history
from xieshang.councils.roles import Actor
from xieshang.meetings.actions.common import leave_deciders, lock_meeting, tell
from xieshang.meetings.actions.meetings import fix_attendance
from xieshang.meetings.models import REASON_MAX, LeaveRequest, Meeting
from xieshang.meetings.permissions import (
    can_decide_leave,
    can_withdraw_leave,
    has_checked_in,
    may_ask_leave,
    open_leave_request,
)
from xieshang.meetings.states import EventType, LeaveStatus, MeetingStatus, ensure_leave_transition


@transaction.atomic
def request_leave(meeting: Meeting, *, actor: Actor, reason: str, now: dt.datetime) -> LeaveRequest:
    """Ask to be excused from a meeting the actor is invited to.

    Raise PermissionDenied unless the actor is an invited member of this
    published meeting, and ValidationError when the reason is empty, the
    meeting has started, the member already asked or has checked in.
    """
    meeting = lock_meeting(meeting, actor.council.pk)
    require(may_ask_leave(actor, meeting))
    assert actor.member is not None
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Give a reason; staff decide on it.")]})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": [_("Keep the reason to %(n)s characters.") % {"n": REASON_MAX}]})
    if now >= meeting.starts_at:
        raise ValidationError(
            {
                "reason": [
                    _(
                        "The meeting has already started, so leave can no longer be requested here. "
                        "Please tell the meeting staff directly."
                    )
                ]
            }
        )
    if open_leave_request(actor, meeting) is not None:
        raise ValidationError({"reason": [_("You have already asked for leave from this meeting.")]})
    if has_checked_in(actor, meeting):
        message = _("You have checked in to this meeting, so you can no longer ask for leave from it.")
        raise ValidationError({"reason": [message]})
    try:
        with transaction.atomic():
            leave = LeaveRequest.objects.create(
                council=meeting.council,
                meeting=meeting,
                member=actor.member,
                reason=reason,
                requested_by=actor.user,
            )
    except IntegrityError as exc:
        raise ValidationError({"reason": [_("You have already asked for leave from this meeting.")]}) from exc
    history(
        meeting, EventType.LEAVE_REQUESTED, actor, leave_id=leave.pk, member_id=actor.member.pk, reason=reason
    )
    tell(
        leave_deciders(meeting),
        meeting,
        _("%(name)s asks for leave from %(title)s")
        % {"name": actor.member.full_name, "title": meeting.title},
        kind="meeting.leave_requested",
        body=reason,
    )
    return leave


def _lock_leave(leave: LeaveRequest, actor: Actor) -> LeaveRequest:
    return (
        LeaveRequest.objects.select_for_update(of=("self",))
        .select_related("meeting__council", "member__user")
        .get(pk=leave.pk, council=actor.council)
    )


@transaction.atomic
def decide_leave(leave: LeaveRequest, *, actor: Actor, approve: bool, note: str = "") -> LeaveRequest:
    """Approve or refuse a pending leave request and tell the member.

    A refusal needs a note (the member reads why). Raise PermissionDenied
    unless the actor decides leave here, InvalidTransition unless pending.
    """
    leave = _lock_leave(leave, actor)
    target = LeaveStatus.APPROVED if approve else LeaveStatus.REFUSED
    ensure_leave_transition(leave.status, target)
    require(can_decide_leave(actor, leave))
    note = note.strip()[:REASON_MAX]
    if not approve and not note:
        raise ValidationError({"note": [_("Say why the leave is refused; the member reads it.")]})
    leave.status = target
    leave.decided_by = actor.user
    leave.decided_at = timezone.now()
    leave.decision_note = note
    leave.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    meeting = leave.meeting
    history(
        meeting,
        EventType.LEAVE_APPROVED if approve else EventType.LEAVE_REFUSED,
        actor,
        leave_id=leave.pk,
        member_id=leave.member_id,
        reason=note,
    )
    if meeting.status == MeetingStatus.CLOSED:
        fix_attendance(meeting, member_ids=[leave.member_id])
    title = (
        _("Your leave from %(title)s was approved")
        if approve
        else _("Your leave from %(title)s was refused; please attend")
    ) % {"title": meeting.title}
    tell(
        [leave.member.user] if leave.member.user else [],
        meeting,
        title,
        kind="meeting.leave_decided",
        body=note,
    )
    return leave


@transaction.atomic
def withdraw_leave(leave: LeaveRequest, *, actor: Actor, now: dt.datetime) -> LeaveRequest:
    """The member takes back a pending request before the meeting starts."""
    leave = _lock_leave(leave, actor)
    ensure_leave_transition(leave.status, LeaveStatus.WITHDRAWN)
    require(can_withdraw_leave(actor, leave, now=now))
    leave.status = LeaveStatus.WITHDRAWN
    leave.save(update_fields=["status"])
    history(leave.meeting, EventType.LEAVE_WITHDRAWN, actor, leave_id=leave.pk, member_id=leave.member_id)
    return leave
