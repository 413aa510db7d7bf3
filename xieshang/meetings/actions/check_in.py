"""Check-in (签到): members scan the sitting's changing code with their
phone; staff check people in by hand and mark late arrival or early
departure. Corrections after the meeting closed update its attendance."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from xieshang.core.errors import Conflict, require
from xieshang.core.events import history
from xieshang.councils.models import Member
from xieshang.councils.queries import get_setting
from xieshang.councils.roles import Actor, Perm
from xieshang.meetings.actions.meetings import fix_attendance
from xieshang.meetings.codes import CodeState, check_code
from xieshang.meetings.models import CheckIn, Invitation, Sitting
from xieshang.meetings.permissions import can_take_attendance
from xieshang.meetings.states import CheckInMethod, EventType, MeetingStatus

# A member who checks in this long after the sitting began is marked late.
LATE_AFTER = dt.timedelta(minutes=15)


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _already(row: CheckIn) -> ValidationError:
    when = time_format(timezone.localtime(row.checked_in_at), "H:i")
    return _refuse(
        _("You have already checked in to this sitting (at %(time)s). Nothing more to do.") % {"time": when},
        "already_checked_in",
    )


def _create(
    sitting: Sitting,
    member: Member,
    *,
    actor: Actor,
    now: dt.datetime,
    method: str,
    walk_in: bool,
    late: bool,
) -> CheckIn:
    existing = CheckIn.objects.filter(sitting=sitting, member=member).first()
    if existing is not None:
        raise _already(existing)
    try:
        # A savepoint: two scans racing end in one row and one "already".
        with transaction.atomic():
            row = CheckIn.objects.create(
                council=sitting.council,
                sitting=sitting,
                member=member,
                checked_in_at=now,
                method=method,
                is_walk_in=walk_in,
                is_late=late,
                recorded_by=actor.user,
            )
    except IntegrityError as exc:
        raise _already(CheckIn.objects.get(sitting=sitting, member=member)) from exc
    history(
        sitting.meeting,
        EventType.CHECKED_IN,
        actor,
        sitting=sitting.number,
        member_id=member.pk,
        method=method,
        walk_in=walk_in or None,
        late=late or None,
    )
    if sitting.meeting.status == MeetingStatus.CLOSED:
        fix_attendance(sitting.meeting, member_ids=[member.pk])
    return row


def check_in_window(sitting: Sitting) -> tuple[dt.datetime, dt.datetime]:
    """When members may check in to sitting with the code: from the
    council's check_in_opens_minutes_before its start until its end."""
    minutes = int(get_setting(sitting.council, "check_in_opens_minutes_before"))
    return sitting.starts_at - dt.timedelta(minutes=minutes), sitting.ends_at


class CheckInClosed(Conflict):
    """The code was scanned outside the sitting's check-in window (409): the
    sitting is in no state to take check-ins now."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def _check_window(sitting: Sitting, now: dt.datetime) -> None:
    opens, closes = check_in_window(sitting)
    if now < opens:
        local = timezone.localtime(opens)
        raise CheckInClosed(
            _("Check-in to this sitting opens at %(time)s on %(day)s. Please scan the code then.")
            % {"time": time_format(local, "H:i"), "day": date_format(local, "DATE_FORMAT")},
            "not_yet_open",
        )
    if now > closes:
        raise CheckInClosed(
            _("This sitting has ended, so check-in is closed. Please ask the meeting staff."),
            "sitting_ended",
        )


@transaction.atomic
def check_in_with_code(
    *, actor: Actor, code: str, now: dt.datetime, meeting_id: int | None = None
) -> CheckIn:
    """Check the acting member in to the sitting the scanned code names.

    Raise ValidationError with a message for the member (and a code naming
    the reason: invalid_code, expired_code, other_council, other_meeting,
    not_open, not_invited, already_checked_in), and CheckInClosed (a
    Conflict, code not_yet_open or sitting_ended) outside the sitting's
    check-in window (check_in_window). meeting_id, when given, is
    the meeting the member meant to check in to.
    """
    require(
        actor.has(Perm.ATTEND_MEETINGS) and actor.member is not None,
        _("Only members check in with the code. Staff check people in on the attendance sheet."),
    )
    assert actor.member is not None
    result = check_code(code, now)
    if result.state == CodeState.INVALID:
        raise _refuse(
            _("This check-in code is not valid. Scan the code on the screen again."), "invalid_code"
        )
    if result.state == CodeState.EXPIRED:
        raise _refuse(
            _(
                "This check-in code has expired: it changes every 30 seconds. "
                "Scan the code on the screen again."
            ),
            "expired_code",
        )
    sitting = (
        Sitting.objects.select_for_update(of=("self",))
        .select_related("meeting__council", "council")
        .filter(pk=result.sitting_id or 0)
        .first()
    )
    if sitting is None:
        raise _refuse(
            _("This check-in code is not valid. Scan the code on the screen again."), "invalid_code"
        )
    if sitting.council_id != actor.council.pk:
        raise _refuse(
            _("This code is for a meeting of another council. Open the link from the council you attend."),
            "other_council",
        )
    if meeting_id is not None and sitting.meeting_id != meeting_id:
        raise _refuse(_("This code is for another meeting."), "other_meeting")
    if sitting.meeting.status != MeetingStatus.PUBLISHED:
        raise _refuse(_("This meeting is not open for check-in."), "not_open")
    _check_window(sitting, now)
    invited = Invitation.objects.filter(meeting_id=sitting.meeting_id, member=actor.member).exists()
    if not invited and not sitting.allows_walk_ins:
        raise _refuse(
            _("You are not on the invitation list of this meeting. Please ask the meeting staff."),
            "not_invited",
        )
    return _create(
        sitting,
        actor.member,
        actor=actor,
        now=now,
        method=CheckInMethod.CODE,
        walk_in=not invited,
        late=now > sitting.starts_at + LATE_AFTER,
    )


@transaction.atomic
def check_in_by_staff(
    sitting: Sitting, *, actor: Actor, member: Member, now: dt.datetime, is_late: bool = False
) -> CheckIn:
    """Check a member in by hand (no phone, code trouble). Members not
    invited are accepted as walk-ins only where the sitting allows them."""
    sitting = (
        Sitting.objects.select_for_update(of=("self",))
        .select_related("meeting__council")
        .get(pk=sitting.pk, council=actor.council)
    )
    require(can_take_attendance(actor, sitting.meeting))
    if member.council_id != actor.council.pk:
        raise ValidationError({"member": [_("Choose a member of this council.")]})
    invited = Invitation.objects.filter(meeting_id=sitting.meeting_id, member=member).exists()
    if not invited and not sitting.allows_walk_ins:
        raise ValidationError(
            {
                "member": [
                    _("%(name)s is not invited. Allow walk-ins for this sitting first.")
                    % {"name": member.full_name}
                ]
            }
        )
    return _create(
        sitting,
        member,
        actor=actor,
        now=now,
        method=CheckInMethod.BY_STAFF,
        walk_in=not invited,
        late=is_late,
    )


@transaction.atomic
def mark_check_in(check_in: CheckIn, *, actor: Actor, is_late: bool, left_early: bool) -> CheckIn:
    """Mark late arrival and early departure on a check-in."""
    row = (
        CheckIn.objects.select_for_update(of=("self",))
        .select_related("sitting__meeting__council")
        .get(pk=check_in.pk, council=actor.council)
    )
    meeting = row.sitting.meeting
    require(can_take_attendance(actor, meeting))
    row.is_late = is_late
    row.left_early = left_early
    row.save(update_fields=["is_late", "left_early"])
    history(
        meeting,
        EventType.ATTENDANCE_CORRECTED,
        actor,
        member_id=row.member_id,
        sitting=row.sitting.number,
        late=is_late,
        left_early=left_early,
    )
    if meeting.status == MeetingStatus.CLOSED:
        fix_attendance(meeting, member_ids=[row.member_id])
    return row


@transaction.atomic
def undo_check_in(check_in: CheckIn, *, actor: Actor) -> None:
    """Remove a check-in made by mistake."""
    row = (
        CheckIn.objects.select_for_update(of=("self",))
        .select_related("sitting__meeting__council")
        .get(pk=check_in.pk, council=actor.council)
    )
    meeting = row.sitting.meeting
    require(can_take_attendance(actor, meeting))
    member_id, number = row.member_id, row.sitting.number
    row.delete()
    history(meeting, EventType.ATTENDANCE_CORRECTED, actor, member_id=member_id, sitting=number, removed=True)
    if meeting.status == MeetingStatus.CLOSED:
        fix_attendance(meeting, member_ids=[member_id])


@transaction.atomic
def set_walk_ins(sitting: Sitting, *, actor: Actor, allowed: bool) -> Sitting:
    """Allow or stop check-in by members who are not invited, for one sitting."""
    sitting = (
        Sitting.objects.select_for_update(of=("self",))
        .select_related("meeting__council")
        .get(pk=sitting.pk, council=actor.council)
    )
    require(can_take_attendance(actor, sitting.meeting))
    sitting.allows_walk_ins = allowed
    sitting.save(update_fields=["allows_walk_ins"])
    history(sitting.meeting, EventType.WALK_INS_CHANGED, actor, sitting=sitting.number, allowed=allowed)
    return sitting
