"""Meetings (会议), leave requests (请假) and attendance (出席), as tables.

A meeting is prepared as a draft, published to its invitees (notices go out
at the configured lead time), and closed once held, which fixes everyone's
attendance; a draft or published meeting may be cancelled. A leave request
waits for a decision by staff or a leader, or is withdrawn by the member.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xieshang.core.states import TransitionTable, ensure_transition


class MeetingKind(models.TextChoices):
    PLENARY = "plenary", _("plenary session")  # 全体会议, several sittings
    STANDING_COMMITTEE = "standing_committee", _("standing committee meeting")  # 常委会议
    CHAIR_MEETING = "chair_meeting", _("chair meeting")  # 主席会议
    SECRETARY_GENERAL_MEETING = "secretary_general_meeting", _("secretary-general meeting")  # 秘书长会议
    SPECIAL_COMMITTEE = "special_committee", _("special committee meeting")  # 专委会会议
    SECTOR_GROUP = "sector_group", _("sector group meeting")  # 界别小组会议
    MEMBER_DAY = "member_day", _("member activity day")  # 委员活动日
    TRAINING = "training", _("training")  # 学习培训


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("draft")  # being prepared; invitees do not see it
    PUBLISHED = "published", _("published")  # invitees see it; notices go out when due
    CLOSED = "closed", _("closed")  # held; attendance is fixed
    CANCELLED = "cancelled", _("cancelled")  # will not take place; invitees were told


MEETING_TRANSITIONS: TransitionTable = {
    MeetingStatus.DRAFT: frozenset({MeetingStatus.PUBLISHED, MeetingStatus.CANCELLED}),
    MeetingStatus.PUBLISHED: frozenset({MeetingStatus.CLOSED, MeetingStatus.CANCELLED}),
    MeetingStatus.CLOSED: frozenset(),
    MeetingStatus.CANCELLED: frozenset(),
}

# Statuses in which staff may still change the meeting's details.
EDITABLE = frozenset({MeetingStatus.DRAFT, MeetingStatus.PUBLISHED})
# Statuses in which invitees see the meeting.
VISIBLE_TO_INVITEES = frozenset({MeetingStatus.PUBLISHED, MeetingStatus.CLOSED, MeetingStatus.CANCELLED})

MEETING_STATUS_CSS = {
    MeetingStatus.DRAFT: "status-draft",
    MeetingStatus.PUBLISHED: "status-waiting",
    MeetingStatus.CLOSED: "status-done",
    MeetingStatus.CANCELLED: "status-closed",
}


def ensure_meeting_transition(current: str, target: str) -> None:
    """Raise InvalidTransition unless the meeting table allows current → target."""
    ensure_transition(MEETING_TRANSITIONS, current, target)


class LeaveStatus(models.TextChoices):
    PENDING = "pending", _("waiting for a decision")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")
    WITHDRAWN = "withdrawn", _("withdrawn")


LEAVE_TRANSITIONS: TransitionTable = {
    LeaveStatus.PENDING: frozenset({LeaveStatus.APPROVED, LeaveStatus.REFUSED, LeaveStatus.WITHDRAWN}),
    LeaveStatus.APPROVED: frozenset(),
    LeaveStatus.REFUSED: frozenset(),
    LeaveStatus.WITHDRAWN: frozenset(),
}

# A member has at most one leave request in these statuses per meeting.
OPEN_LEAVE = frozenset({LeaveStatus.PENDING, LeaveStatus.APPROVED})

LEAVE_STATUS_CSS = {
    LeaveStatus.PENDING: "status-waiting",
    LeaveStatus.APPROVED: "status-done",
    LeaveStatus.REFUSED: "status-closed",
    LeaveStatus.WITHDRAWN: "status-draft",
}


def ensure_leave_transition(current: str, target: str) -> None:
    """Raise InvalidTransition unless the leave table allows current → target."""
    ensure_transition(LEAVE_TRANSITIONS, current, target)


class AttendanceStatus(models.TextChoices):
    """A member's attendance of one meeting, fixed when the meeting closes."""

    PRESENT = "present", _("present")  # attended at least the configured share of sittings
    PARTIAL = "partial", _("partial (counts as absent)")  # attended some, below the share
    EXCUSED = "excused", _("excused")  # approved leave, and not present
    ABSENT = "absent", _("absent")  # neither present nor excused


# Statuses that count as an absence for the threshold flags (DOMAIN.md §3).
COUNTS_AS_ABSENT = frozenset({AttendanceStatus.ABSENT, AttendanceStatus.PARTIAL})

ATTENDANCE_CSS = {
    AttendanceStatus.PRESENT: "status-done",
    AttendanceStatus.PARTIAL: "status-progress",
    AttendanceStatus.EXCUSED: "status-waiting",
    AttendanceStatus.ABSENT: "status-overdue",
}


class CheckInMethod(models.TextChoices):
    CODE = "code", _("scanned the code")
    BY_STAFF = "by_staff", _("checked in by staff")


class InvitedVia(models.TextChoices):
    """How a member came onto a meeting's invitation list."""

    ALL_MEMBERS = "all_members", _("all members")
    STANDING_COMMITTEE = "standing_committee", _("standing committee")
    SECTOR = "sector", _("sector")
    SPECIAL_COMMITTEE = "special_committee", _("special committee")
    GROUP = "group", _("member group")
    HAND_PICKED = "hand_picked", _("chosen by name")


class EventType(models.TextChoices):
    """Event types written to a meeting's history, with timeline labels."""

    CREATED = "meeting.created", _("Meeting created")
    CHANGED = "meeting.changed", _("Meeting details changed")
    PUBLISHED = "meeting.published", _("Meeting published to invitees")
    INVITEES_CHANGED = "meeting.invitees_changed", _("Invitees changed")
    NOTICE_SENT = "meeting.notice_sent", _("Notice sent")
    CANCELLED = "meeting.cancelled", _("Meeting cancelled")
    CLOSED = "meeting.closed", _("Meeting closed; attendance fixed")
    LEAVE_REQUESTED = "meeting.leave_requested", _("Leave requested")
    LEAVE_APPROVED = "meeting.leave_approved", _("Leave approved")
    LEAVE_REFUSED = "meeting.leave_refused", _("Leave refused")
    LEAVE_WITHDRAWN = "meeting.leave_withdrawn", _("Leave request withdrawn")
    CHECKED_IN = "meeting.checked_in", _("Checked in")
    ATTENDANCE_CORRECTED = "meeting.attendance_corrected", _("Attendance corrected by staff")
    WALK_INS_CHANGED = "meeting.walk_ins_changed", _("Walk-in rule changed")
