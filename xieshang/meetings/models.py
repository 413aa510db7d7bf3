"""Meetings (会议): who is invited, who asked for leave, who checked in to
which sitting, and each member's attendance once the meeting is closed.

Only actions.py writes these rows; pages read them through queries.py.
Other apps (duty records) read Attendance through queries.py as well.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieshang.core.fields import EncryptedTextField
from xieshang.core.models import TenantModel
from xieshang.councils.models import Member, MemberGroup, Sector, Session, SpecialCommittee, Term
from xieshang.meetings.states import (
    ATTENDANCE_CSS,
    COUNTS_AS_ABSENT,
    LEAVE_STATUS_CSS,
    MEETING_STATUS_CSS,
    AttendanceStatus,
    CheckInMethod,
    InvitedVia,
    LeaveStatus,
    MeetingKind,
    MeetingStatus,
)

TITLE_MAX = 100
AGENDA_MAX = 5000
PLACE_MAX = 200
REASON_MAX = 500


class Meeting(TenantModel):
    """One meeting of the council, held in one or more sittings."""

    kind = models.CharField(_("kind"), max_length=32, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    agenda = models.TextField(_("agenda"), max_length=AGENDA_MAX, blank=True)
    place = models.CharField(_("place"), max_length=PLACE_MAX)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(
        _("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT
    )
    # The term whose absences the meeting counts towards (threshold flags).
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+", verbose_name=_("term"))
    # The yearly plenary session, for plenary meetings.
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("session")
    )
    # The body that convenes it, for special-committee and sector-group meetings.
    special_committee = models.ForeignKey(
        SpecialCommittee,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("special committee"),
    )
    sector = models.ForeignKey(
        Sector, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("sector")
    )
    # The day notices go out: the configured working days before the start.
    notice_due_on = models.DateField(_("notices go out on"))
    notice_sent_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every change that invitees should hear about (a new notice).
    notice_round = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=REASON_MAX, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("meeting")
        indexes = [
            models.Index(fields=["council", "status", "starts_at"]),
            models.Index(fields=["council", "kind", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def status_css(self) -> str:
        return MEETING_STATUS_CSS.get(MeetingStatus(self.status), "status-draft")

    def has_started(self, now: dt.datetime) -> bool:
        return now >= self.starts_at


class Sitting(TenantModel):
    """One sitting (场次) of a meeting: members check in to sittings."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="sittings")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=TITLE_MAX, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    # Staff may let people who were not invited check in (recorded as walk-ins).
    allows_walk_ins = models.BooleanField(_("walk-ins allowed"), default=False)

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("sitting")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="sitting_number_unique"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="sitting_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title or str(_("Sitting %(number)s") % {"number": self.number})


class Invitation(TenantModel):
    """A member invited to a meeting, and how they came onto the list."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="meeting_invitations")
    via = models.CharField(_("invited as"), max_length=24, choices=InvitedVia.choices)
    # The group, sector or committee the member was invited through, by name.
    via_name = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["member__full_name", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="invitation_unique")]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.member_id}"


class InvitationRule(TenantModel):
    """A choice staff made when inviting (all members of a sector …), kept so
    that the form shows what was chosen; the Invitation rows are the result."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitation_rules")
    via = models.CharField(max_length=24, choices=InvitedVia.choices)
    sector = models.ForeignKey(Sector, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    special_committee = models.ForeignKey(
        SpecialCommittee, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    group = models.ForeignKey(MemberGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return self.via


class Guest(TenantModel):
    """A non-member attendee (a department head, an expert), by name."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="guests")
    full_name = models.CharField(_("full name"), max_length=50)
    organisation = models.CharField(_("organisation"), max_length=100, blank=True)
    title = models.CharField(pgettext_lazy("job", "title"), max_length=50, blank=True)
    mobile = EncryptedTextField(_("mobile number"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("guest")

    def __str__(self) -> str:
        return self.full_name


class LeaveRequest(TenantModel):
    """A member's request to be excused from a meeting (请假)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="leave_requests")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="leave_requests")
    reason = models.CharField(_("reason"), max_length=REASON_MAX)
    status = models.CharField(
        _("status"), max_length=16, choices=LeaveStatus.choices, default=LeaveStatus.PENDING
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=REASON_MAX, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("leave request")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                condition=Q(status__in=["pending", "approved"]),
                name="one_open_leave_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} @ {self.meeting_id}: {self.status}"

    @property
    def status_css(self) -> str:
        return LEAVE_STATUS_CSS.get(LeaveStatus(self.status), "status-draft")


class CheckIn(TenantModel):
    """A member present at one sitting. One row per member and sitting: the
    constraint is what makes a second scan say "already checked in"."""

    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="check_ins")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="check_ins")
    checked_in_at = models.DateTimeField()
    method = models.CharField(max_length=16, choices=CheckInMethod.choices)
    is_walk_in = models.BooleanField(_("walk-in"), default=False)
    is_late = models.BooleanField(_("arrived late"), default=False)
    left_early = models.BooleanField(_("left early"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["checked_in_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sitting", "member"], name="check_in_once_per_sitting")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} @ sitting {self.sitting_id}"


class Attendance(TenantModel):
    """A member's attendance of one closed meeting: the figure thresholds and
    duty records count. Written when the meeting closes and rewritten when
    staff correct a check-in afterwards; never edited by hand."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="attendances")
    status = models.CharField(_("attendance"), max_length=16, choices=AttendanceStatus.choices)
    sittings_attended = models.PositiveSmallIntegerField(default=0)
    sittings_total = models.PositiveSmallIntegerField(default=0)
    is_invited = models.BooleanField(default=True)
    was_late = models.BooleanField(_("arrived late"), default=False)
    left_early = models.BooleanField(_("left early"), default=False)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["member__full_name", "id"]
        verbose_name = _("attendance")
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_unique")]
        indexes = [models.Index(fields=["council", "member", "status"])]

    def __str__(self) -> str:
        return f"{self.member_id} @ {self.meeting_id}: {self.status}"

    @property
    def counts_as_absent(self) -> bool:
        return self.status in COUNTS_AS_ABSENT

    @property
    def status_css(self) -> str:
        return ATTENDANCE_CSS.get(AttendanceStatus(self.status), "status-draft")
