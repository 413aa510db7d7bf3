"""Shapes of the meetings API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema

from xieshang.core.api import PageQuery, Printable
from xieshang.meetings.models import REASON_MAX
from xieshang.meetings.states import MeetingKind, MeetingStatus


class MeetingFilters(PageQuery):
    kind: MeetingKind | None = Field(None, description="Only meetings of this kind.")
    status: MeetingStatus | None = Field(None, description="Only meetings in this status.")
    year: int | None = Field(None, ge=2000, le=2100, description="Only meetings starting in this year.")


class SittingOut(Schema):
    id: int
    number: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    allows_walk_ins: bool
    checked_in_at: dt.datetime | None = Field(None, description="When the requester checked in, if they did.")


class MaterialOut(Schema):
    id: int
    name: str
    size: int
    url: str


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


class MeetingOut(Schema):
    id: int
    kind: str
    title: str
    place: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str
    url: str


class MeetingDetailOut(MeetingOut):
    agenda: str
    cancel_reason: str
    sittings: list[SittingOut]
    materials: list[MaterialOut]
    my_leave_requests: list[LeaveOut]
    invited: int | None = Field(None, description="Number of invitees (staff and leaders only).")


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
