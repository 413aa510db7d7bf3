"""What the meetings API accepts and answers."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.db.models import QuerySet
from django.urls import reverse
from ninja import Field, Schema

from xieshang.core.api import Overlay, PageQuery, Printable
from xieshang.core.attachments import attachments_of
from xieshang.core.models import Attachment
from xieshang.councils.api.scoping import Context, asking_actor
from xieshang.councils.roles import Perm
from xieshang.meetings.models import REASON_MAX, CheckIn, LeaveRequest, Meeting
from xieshang.meetings.queries import invitation_count, my_check_ins, my_leave_requests, sittings_of
from xieshang.meetings.states import MeetingKind, MeetingStatus


class MeetingFilters(PageQuery):
    kind: MeetingKind | None = Field(None, description="Only meetings of this kind.")
    status: MeetingStatus | None = Field(None, description="Only meetings in this status.")
    year: int | None = Field(None, ge=2000, le=2100, description="Only meetings starting in this year.")


class SittingOut(Schema):
    # Built from a Sitting overlaid with the requester's check-in time.
    id: int
    number: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    allows_walk_ins: bool
    checked_in_at: dt.datetime | None = Field(None, description="When the requester checked in, if they did.")


class MaterialOut(Schema):
    # Built from a meeting's Attachment.
    id: int
    name: str
    size: int
    url: str

    @staticmethod
    def resolve_name(row: Attachment) -> str:
        return row.original_name

    @staticmethod
    def resolve_url(row: Attachment, context: Context) -> str:
        slug = asking_actor(context).council.slug
        return reverse(
            "meetings:material", kwargs={"council_slug": slug, "pk": row.owner_id, "attachment_id": row.pk}
        )


class LeaveOut(Schema):
    id: int
    meeting_id: int
    member_id: int
    member_name: str
    reason: str
    status: str
    requested_at: dt.datetime
    decided_at: dt.datetime | None
    decision_note: str

    @staticmethod
    def resolve_member_name(leave: LeaveRequest) -> str:
        return leave.member.full_name


class MeetingOut(Schema):
    id: int
    kind: str
    title: str
    place: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str
    url: str

    @staticmethod
    def resolve_url(meeting: Meeting) -> str:
        return reverse("meetings:detail", kwargs={"council_slug": meeting.council.slug, "pk": meeting.pk})


class MeetingDetailOut(MeetingOut):
    # As the requester sees it: their own check-ins and leave requests, and
    # (staff and leaders) how many were invited.
    agenda: str
    cancel_reason: str
    sittings: list[SittingOut]
    materials: list[MaterialOut]
    my_leave_requests: list[LeaveOut]
    invited: int | None = Field(None, description="Number of invitees (staff and leaders only).")

    @staticmethod
    def resolve_sittings(meeting: Meeting, context: Context) -> list[Overlay]:
        mine = my_check_ins(asking_actor(context), meeting)
        return [
            Overlay(s, checked_in_at=mine[s.pk].checked_in_at if s.pk in mine else None)
            for s in sittings_of(meeting)
        ]

    @staticmethod
    def resolve_materials(meeting: Meeting) -> QuerySet[Attachment]:
        return attachments_of(meeting)

    @staticmethod
    def resolve_my_leave_requests(meeting: Meeting, context: Context) -> list[LeaveRequest]:
        return my_leave_requests(asking_actor(context), meeting)

    @staticmethod
    def resolve_invited(meeting: Meeting, context: Context) -> int | None:
        return invitation_count(meeting) if asking_actor(context).has(Perm.VIEW_ALL_MEETINGS) else None


class LeaveIn(Schema):
    reason: Annotated[str, Field(min_length=1, max_length=REASON_MAX), Printable]


class DecisionIn(Schema):
    approve: bool
    note: Annotated[str, Field(max_length=REASON_MAX), Printable] = ""


class CheckInIn(Schema):
    code: Annotated[str, Field(min_length=1, max_length=100)] = Field(
        ..., description="The code from the QR code on the meeting room's screen."
    )


class CheckInOut(Schema):
    id: int
    meeting_id: int
    sitting_id: int
    sitting_number: int
    checked_in_at: dt.datetime
    is_walk_in: bool
    is_late: bool

    @staticmethod
    def resolve_meeting_id(row: CheckIn) -> int:
        return row.sitting.meeting_id

    @staticmethod
    def resolve_sitting_number(row: CheckIn) -> int:
        return row.sitting.number
