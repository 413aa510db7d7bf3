"""What the consultation API accepts and answers."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from ninja import Field, Schema

from xieshang.consultations.actions import deliberation as deliberation_actions
from xieshang.consultations.states import (
    Adoption,
    ConsultationKind,
    ConsultationStatus,
    OutcomeKind,
    SpeechKind,
)
from xieshang.core.api import ObjectId, PageQuery, Printable
from xieshang.councils.models import InstructionLevel
from xieshang.themes.api import ThemeName

Name = Annotated[str, Field(min_length=1, max_length=100), Printable]


Note = Annotated[str, Field(max_length=300), Printable]


Text = Annotated[str, Field(max_length=50000), Printable]


class PlanIn(Schema):
    year: int = Field(ge=2000, le=2100)
    title: Annotated[str, Field(max_length=100), Printable] = ""


class PlanItemIn(Schema):
    topic: Name
    kind: ConsultationKind
    quarter: int = Field(ge=1, le=4)
    lead_committee_id: ObjectId | None = None
    partner_unit_id: ObjectId | None = None
    decision_expected_on: dt.date | None = None
    note: Note = ""
    themes: list[ThemeName] = Field(default_factory=list, max_length=20)
    reason: Note = Field("", description="Required once the plan has been issued.")


class ApprovalIn(Schema):
    approved_on: dt.date
    note: Annotated[str, Field(max_length=200), Printable] = ""


class IssueIn(Schema):
    issued_on: dt.date
    document_number: Annotated[str, Field(max_length=60), Printable] = ""


class SuggestionIn(Schema):
    item_id: ObjectId | None = None
    text: Annotated[str, Field(min_length=1, max_length=3000), Printable]
    topic: Annotated[str, Field(max_length=100), Printable] = ""
    kind: ConsultationKind | None = None
    quarter: int | None = Field(None, ge=1, le=4)
    decision_expected_on: dt.date | None = None


class ConsultationIn(Schema):
    kind: ConsultationKind
    topic: Name
    starts_at: dt.datetime
    place: Annotated[str, Field(max_length=200), Printable] = ""
    description: Annotated[str, Field(max_length=5000), Printable] = ""
    lead_committee_id: ObjectId | None = None
    plan_item_id: ObjectId | None = None
    themes: list[ThemeName] = Field(default_factory=list, max_length=20)


class ConsultationFilterQuery(PageQuery):
    status: ConsultationStatus | None = None
    kind: ConsultationKind | None = None
    year: int | None = Field(None, ge=2000, le=2100)
    mine: bool = False


class ParticipantIn(Schema):
    category: str = Field(pattern=r"^(member|government_leader|department|expert|citizen|grassroots)$")
    member_id: ObjectId | None = None
    handling_unit_id: ObjectId | None = None
    name: Annotated[str, Field(max_length=50), Printable] = ""
    organisation: Annotated[str, Field(max_length=100), Printable] = ""
    phone: Annotated[str, Field(max_length=20), Printable] = ""
    email: Annotated[str, Field(max_length=254), Printable] = ""


class HeldIn(Schema):
    held_on: dt.date


class MinutesIn(Schema):
    minutes: Annotated[str, Field(min_length=1, max_length=50000), Printable]


class SpeechIn(Schema):
    member_id: ObjectId | None = Field(None, description="Staff name the speaker; members book their own.")
    kind: SpeechKind = SpeechKind.BOOKED
    title: Name
    text: Text = ""


class MoveIn(Schema):
    up: bool


class DurationIn(Schema):
    duration_seconds: int = Field(ge=0, le=10**6)


class OutcomeIn(Schema):
    kind: OutcomeKind
    title: Name
    text: Annotated[str, Field(min_length=1, max_length=50000), Printable]


class SendIn(Schema):
    office_ids: list[ObjectId] = Field(min_length=1, max_length=20)


class InstructionIn(Schema):
    leader_name: Annotated[str, Field(min_length=1, max_length=50), Printable]
    leader_title: Annotated[str, Field(max_length=100), Printable] = ""
    level: InstructionLevel
    text: Annotated[str, Field(min_length=1, max_length=5000), Printable]
    instructed_on: dt.date


class AdoptionIn(Schema):
    adoption: Adoption
    note: Annotated[str, Field(max_length=500), Printable] = ""
    follow_up_on: dt.date | None = None


class FollowUpIn(Schema):
    follow_up_on: dt.date


# Online deliberation, legislative comments, continuity -----------------------


class DeliberationCommentIn(Schema):
    text: Annotated[str, Field(min_length=1, max_length=deliberation_actions.MAX_COMMENT_CHARS)]


class CommentIn(Schema):
    text: Annotated[str, Field(min_length=1, max_length=3000)]


# Joint consultations with lower councils ----------------------------------------


class JointInviteIn(Schema):
    lower_council_id: ObjectId


class JointAcceptIn(Schema):
    member_ids: list[ObjectId] = Field(max_length=200, description="The participants, from this council.")


class JointScope(StrEnum):
    ALL = "all"
    MINE = "mine"
    UPCOMING = "upcoming"
    TO_ACCEPT = "to_accept"


class JointInvitationQuery(PageQuery):
    scope: JointScope = Field(
        JointScope.ALL,
        description=(
            "all: every invitation the requester may see; mine: the accepted ones naming the "
            "requester; upcoming: of those, the ones still to be held; to_accept: the ones not "
            "answered yet (staff)."
        ),
    )
