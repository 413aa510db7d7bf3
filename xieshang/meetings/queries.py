"""Reads of meetings, always scoped by the acting council and what the actor
may see; access_* raise the same 404 for missing and forbidden.

For other apps (duty records): `attendance_records()` is the stable way to
read members' fixed attendance of closed meetings.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from xieshang.councils.models import Council, Member, Term
from xieshang.councils.queries import current_term, get_setting
from xieshang.councils.roles import Actor, Perm
from xieshang.meetings.models import Attendance, CheckIn, Guest, Invitation, LeaveRequest, Meeting, Sitting
from xieshang.meetings.permissions import can_view
from xieshang.meetings.states import (
    COUNTS_AS_ABSENT,
    OPEN_LEAVE,
    AttendanceStatus,
    LeaveStatus,
    MeetingKind,
    MeetingStatus,
)


def _base(council: Council) -> QuerySet[Meeting]:
    return Meeting.objects.filter(council=council).select_related(
        "term", "session", "special_committee", "sector"
    )


def access_meeting(actor: Actor, meeting_id: int) -> Meeting:
    """The meeting with this id, if the actor may see it; else Http404."""
    meeting = _base(actor.council).filter(pk=meeting_id).first()
    if meeting is None or not can_view(actor, meeting):
        raise Http404
    return meeting


def access_sitting(actor: Actor, sitting_id: int) -> Sitting:
    """A sitting of a meeting the actor may see; else Http404."""
    sitting = Sitting.objects.filter(council=actor.council, pk=sitting_id).select_related("meeting").first()
    if sitting is None or not can_view(actor, sitting.meeting):
        raise Http404
    return sitting


def access_leave_request(actor: Actor, leave_id: int) -> LeaveRequest:
    """A leave request: the member's own, or any in the council for those who decide."""
    leave = (
        LeaveRequest.objects.filter(council=actor.council, pk=leave_id)
        .select_related("meeting", "member")
        .first()
    )
    if leave is None:
        raise Http404
    own = actor.member is not None and leave.member_id == actor.member.pk
    if not (own or actor.has(Perm.DECIDE_LEAVE) or actor.has(Perm.VIEW_ALL_MEETINGS)):
        raise Http404
    return leave


def access_check_in(actor: Actor, check_in_id: int) -> CheckIn:
    row = (
        CheckIn.objects.filter(council=actor.council, pk=check_in_id)
        .select_related("sitting__meeting", "member")
        .first()
    )
    if row is None or not actor.has(Perm.VIEW_ALL_MEETINGS):
        raise Http404
    return row


def meetings_for(actor: Actor) -> QuerySet[Meeting]:
    """Every meeting for staff and leaders; a member's visible invitations."""
    rows = _base(actor.council)
    if actor.has(Perm.VIEW_ALL_MEETINGS):
        return rows
    if actor.member is None or not actor.has(Perm.ATTEND_MEETINGS):
        return rows.none()
    return rows.filter(
        invitations__member=actor.member,
        status__in=(MeetingStatus.PUBLISHED, MeetingStatus.CLOSED, MeetingStatus.CANCELLED),
    )


def my_meetings(actor: Actor, *, now: dt.datetime, upcoming: bool = True) -> QuerySet[Meeting]:
    """The member's invitations: upcoming (not ended, soonest first) or past
    (newest first). Cancelled upcoming meetings stay listed, marked so."""
    if actor.member is None or not actor.has(Perm.ATTEND_MEETINGS):
        return Meeting.objects.none()
    rows = _base(actor.council).filter(
        invitations__member=actor.member,
        status__in=(MeetingStatus.PUBLISHED, MeetingStatus.CLOSED, MeetingStatus.CANCELLED),
    )
    if upcoming:
        return rows.filter(ends_at__gte=now).order_by("starts_at", "id")
    return rows.filter(ends_at__lt=now).order_by("-starts_at", "-id")


def meetings_to_answer(actor: Actor, *, now: dt.datetime, within: dt.timedelta) -> QuerySet[Meeting]:
    """Published meetings starting within `within` that the member neither
    asked leave for nor checked in to: the home page's "meetings to answer"."""
    if actor.member is None:
        return Meeting.objects.none()
    asked = LeaveRequest.objects.filter(
        member=actor.member, status__in=(LeaveStatus.PENDING, LeaveStatus.APPROVED)
    ).values("meeting_id")
    checked_in = CheckIn.objects.filter(member=actor.member).values("sitting__meeting_id")
    return (
        my_meetings(actor, now=now)
        .filter(status=MeetingStatus.PUBLISHED, starts_at__gt=now, starts_at__lte=now + within)
        .exclude(pk__in=asked)
        .exclude(pk__in=checked_in)
    )


def leave_requests_waiting(actor: Actor) -> QuerySet[LeaveRequest]:
    """Pending leave requests in the council, oldest meeting first."""
    if not actor.has(Perm.DECIDE_LEAVE):
        return LeaveRequest.objects.none()
    return (
        LeaveRequest.objects.filter(council=actor.council, status=LeaveStatus.PENDING)
        .select_related("meeting", "member")
        .order_by("meeting__starts_at", "requested_at", "id")
    )


def my_leave_requests(actor: Actor, meeting: Meeting) -> list[LeaveRequest]:
    if actor.member is None:
        return []
    return list(LeaveRequest.objects.filter(meeting=meeting, member=actor.member).order_by("-requested_at"))


def my_open_leaves(actor: Actor, meetings: list[Meeting]) -> dict[int, LeaveRequest]:
    """meeting id → the actor's open leave request for it, among meetings."""
    if actor.member is None:
        return {}
    rows = LeaveRequest.objects.filter(member=actor.member, meeting__in=meetings, status__in=list(OPEN_LEAVE))
    return {leave.meeting_id: leave for leave in rows}


def my_check_ins(actor: Actor, meeting: Meeting) -> dict[int, CheckIn]:
    """sitting id → the actor's check-in at that sitting of meeting."""
    if actor.member is None:
        return {}
    rows = CheckIn.objects.filter(sitting__meeting=meeting, member=actor.member)
    return {check_in.sitting_id: check_in for check_in in rows}


def sittings_of(meeting: Meeting) -> list[Sitting]:
    return list(meeting.sittings.order_by("number"))


def guests_of(meeting: Meeting) -> list[Guest]:
    return list(meeting.guests.order_by("id"))


def find_guest(meeting: Meeting, guest_id: int) -> Guest | None:
    """A guest of a meeting the caller has read through access_meeting."""
    return Guest.objects.filter(meeting=meeting, pk=guest_id).first()


def invitation_count(meeting: Meeting) -> int:
    return meeting.invitations.count()


def attendance_status(
    *, attended: int, total: int, has_approved_leave: bool, min_percent: int
) -> AttendanceStatus:
    """A member's status from the sittings attended: present at or above the
    configured share (in whole percent, rounded, so that 2 of 3 sittings is
    67%); below it, excused with approved leave, partial when some sittings
    were attended (counts as absent), else absent."""
    if total > 0 and round(attended * 100 / total) >= min_percent:
        return AttendanceStatus.PRESENT
    if has_approved_leave:
        return AttendanceStatus.EXCUSED
    if attended > 0:
        return AttendanceStatus.PARTIAL
    return AttendanceStatus.ABSENT


@dataclass
class SheetRow:
    """One line of the attendance sheet: a member and each sitting."""

    member: Member
    is_invited: bool
    check_ins: dict[int, CheckIn] = field(default_factory=dict)
    leave: LeaveRequest | None = None
    status: AttendanceStatus = AttendanceStatus.ABSENT
    # (sitting, check-in or None) in sitting order, for the sheet's columns.
    cells: list[tuple[Sitting, CheckIn | None]] = field(default_factory=list)

    @property
    def attended(self) -> int:
        return len(self.check_ins)

    @property
    def was_late(self) -> bool:
        return any(c.is_late for c in self.check_ins.values())

    @property
    def left_early(self) -> bool:
        return any(c.left_early for c in self.check_ins.values())


@dataclass(frozen=True)
class Sheet:
    meeting: Meeting
    sittings: list[Sitting]
    rows: list[SheetRow]
    counts: dict[str, int]
    min_percent: int


def attendance_sheet(meeting: Meeting) -> Sheet:
    """The live sheet of a meeting: every invitee and walk-in, with check-ins
    per sitting, leave, and the status they would get if it closed now.
    A fixed number of queries whatever the size of the meeting."""
    year = meeting.starts_at.year
    min_percent = int(get_setting(meeting.council, "partial_attendance_min_percent", year=year))
    sittings = sittings_of(meeting)
    rows: dict[int, SheetRow] = {}
    invitations = Invitation.objects.filter(meeting=meeting).select_related(
        "member__sector", "member__affiliation"
    )
    for invitation in invitations.order_by("member__full_name", "member_id"):
        rows[invitation.member_id] = SheetRow(member=invitation.member, is_invited=True)
    check_ins = CheckIn.objects.filter(sitting__meeting=meeting).select_related(
        "member__sector", "member__affiliation"
    )
    for check_in in check_ins:
        row = rows.get(check_in.member_id)
        if row is None:
            row = rows[check_in.member_id] = SheetRow(member=check_in.member, is_invited=False)
        row.check_ins[check_in.sitting_id] = check_in
    leaves = LeaveRequest.objects.filter(
        meeting=meeting, status__in=(LeaveStatus.PENDING, LeaveStatus.APPROVED)
    ).order_by("requested_at")
    for leave in leaves:
        if leave.member_id in rows:
            rows[leave.member_id].leave = leave
    counts: dict[str, int] = defaultdict(int)
    for row in rows.values():
        row.status = attendance_status(
            attended=row.attended,
            total=len(sittings),
            has_approved_leave=row.leave is not None and row.leave.status == LeaveStatus.APPROVED,
            min_percent=min_percent,
        )
        counts[row.status] += 1
        row.cells = [(sitting, row.check_ins.get(sitting.pk)) for sitting in sittings]
    ordered = sorted(rows.values(), key=lambda r: (not r.is_invited, r.member.full_name, r.member.pk))
    return Sheet(
        meeting=meeting, sittings=sittings, rows=ordered, counts=dict(counts), min_percent=min_percent
    )


def attendance_records(
    council: Council,
    *,
    year: int | None = None,
    member: Member | None = None,
    kinds: tuple[str, ...] = (),
) -> QuerySet[Attendance]:
    """Members' fixed attendance of closed meetings in council (the figures
    duty records and thresholds count), with meeting and member loaded.

    Each row: member, meeting (kind, starts_at, term, session), status
    (present / partial / excused / absent; partial counts as absent),
    sittings_attended, sittings_total, is_invited, was_late, left_early.
    """
    rows = Attendance.objects.filter(council=council, meeting__status=MeetingStatus.CLOSED).select_related(
        "meeting", "member"
    )
    if year is not None:
        rows = rows.filter(meeting__starts_at__year=year)
    if member is not None:
        rows = rows.filter(member=member)
    if kinds:
        rows = rows.filter(meeting__kind__in=kinds)
    return rows.order_by("meeting__starts_at", "meeting_id", "member_id")


def member_attendance(actor: Actor, member: Member) -> QuerySet[Attendance]:
    """One member's attendance, for the member or for staff and leaders."""
    own = actor.member is not None and actor.member.pk == member.pk
    if member.council_id != actor.council.pk or not (own or actor.has(Perm.VIEW_ALL_MEETINGS)):
        return Attendance.objects.none()
    return attendance_records(actor.council, member=member).order_by("-meeting__starts_at")


@dataclass(frozen=True)
class FlaggedMember:
    """A member past one of the absence thresholds (a flag for staff only)."""

    member: Member
    plenary_absences_in_term: int
    standing_absences_in_year: int
    standing_absences_in_term: int
    reasons: tuple[str, ...]


def flagged_members(council: Council, *, year: int, term: Term | None = None) -> list[FlaggedMember]:
    """Members with plenary absences in the term at or above the setting, and
    standing-committee members with standing-committee absences in the year
    or term at or above theirs. Counts partial attendance as absence and
    leaves walk-ins out. Two queries."""
    term = term or current_term(council)
    if term is None:
        return []
    plenary_limit = int(get_setting(council, "plenary_absences_per_term_flag", year=year))
    standing_year_limit = int(get_setting(council, "standing_absences_per_year_flag", year=year))
    standing_term_limit = int(get_setting(council, "standing_absences_per_term_flag", year=year))
    absent = Q(
        attendances__status__in=list(COUNTS_AS_ABSENT),
        attendances__is_invited=True,
        attendances__meeting__status=MeetingStatus.CLOSED,
        attendances__meeting__term=term,
    )
    plenary = absent & Q(attendances__meeting__kind=MeetingKind.PLENARY)
    standing = absent & Q(attendances__meeting__kind=MeetingKind.STANDING_COMMITTEE)
    members = (
        Member.objects.filter(council=council, term=term)
        .annotate(
            plenary_term=Count("attendances", filter=plenary),
            standing_term=Count("attendances", filter=standing),
            standing_year=Count(
                "attendances", filter=standing & Q(attendances__meeting__starts_at__year=year)
            ),
        )
        .filter(
            Q(plenary_term__gte=plenary_limit)
            | Q(is_standing_committee_member=True, standing_year__gte=standing_year_limit)
            | Q(is_standing_committee_member=True, standing_term__gte=standing_term_limit)
        )
        .select_related("sector", "affiliation")
        .order_by("full_name", "id")
    )
    flagged = []
    for m in members:
        reasons = []
        if m.plenary_term >= plenary_limit:  # type: ignore[attr-defined]
            reasons.append(_("%(n)s plenary absences in the term") % {"n": m.plenary_term})  # type: ignore[attr-defined]
        if m.is_standing_committee_member and m.standing_year >= standing_year_limit:  # type: ignore[attr-defined]
            reasons.append(
                _("%(n)s standing-committee absences in %(year)s") % {"n": m.standing_year, "year": year}  # type: ignore[attr-defined]
            )
        if m.is_standing_committee_member and m.standing_term >= standing_term_limit:  # type: ignore[attr-defined]
            reasons.append(_("%(n)s standing-committee absences in the term") % {"n": m.standing_term})  # type: ignore[attr-defined]
        flagged.append(
            FlaggedMember(
                member=m,
                plenary_absences_in_term=m.plenary_term,  # type: ignore[attr-defined]
                standing_absences_in_year=m.standing_year,  # type: ignore[attr-defined]
                standing_absences_in_term=m.standing_term,  # type: ignore[attr-defined]
                reasons=tuple(reasons),
            )
        )
    return flagged


def meeting_list_rows(rows: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """Annotate invitation and pending-leave counts for the staff list."""
    return rows.annotate(
        invited=Count("invitations", distinct=True),
        leave_pending=Count(
            "leave_requests", filter=Q(leave_requests__status=LeaveStatus.PENDING), distinct=True
        ),
    ).prefetch_related(Prefetch("sittings", queryset=Sitting.objects.order_by("number")))
