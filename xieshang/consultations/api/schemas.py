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
    InstructionLevel,
    OutcomeKind,
    SpeechKind,
)
from xieshang.consultations.taggable import TAGGABLE
from xieshang.core.api import AttachmentOut, ObjectId, PageQuery, Printable

Name = Annotated[str, Field(min_length=1, max_length=100), Printable]


Note = Annotated[str, Field(max_length=300), Printable]


Text = Annotated[str, Field(max_length=50000), Printable]


ThemeName = Annotated[str, Field(min_length=1, max_length=50), Printable]


class PlanOut(Schema):
    id: int
    year: int
    title: str
    status: str
    approved_on: dt.date | None
    approval_note: str
    issued_on: dt.date | None
    document_number: str
    version: int


class PlanItemOut(Schema):
    id: int
    position: int
    topic: str
    kind: str
    lead_committee_id: int | None
    partner_unit_id: int | None
    quarter: int
    decision_expected_on: dt.date | None
    note: str
    themes: list[str]
    is_withdrawn: bool
    is_held: bool


class PlanDetailOut(PlanOut):
    items: list[PlanItemOut]


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


class SuggestionOut(Schema):
    id: int
    item_id: int | None
    office_id: int
    text: str
    proposed: dict[str, str]
    status: str


class ConsultationOut(Schema):
    id: int
    year: int
    kind: str
    topic: str
    status: str
    starts_at: dt.datetime
    place: str
    plan_item_id: int | None
    notice_due_on: dt.date
    materials_due_on: dt.date
    minutes_due_on: dt.date | None
    notice_sent_at: dt.datetime | None
    materials_sent_at: dt.datetime | None
    held_on: dt.date | None
    minutes_sent_at: dt.datetime | None
    themes: list[str]
    version: int


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


class ParticipantOut(Schema):
    id: int
    category: str
    member_id: int | None
    name: str
    organisation: str
    invited_at: dt.datetime | None


class HeldIn(Schema):
    held_on: dt.date


class MinutesIn(Schema):
    minutes: Annotated[str, Field(min_length=1, max_length=50000), Printable]


class SpeechOut(Schema):
    id: int
    member_id: int
    member_name: str
    kind: str
    title: str
    text: str
    position: int
    allotted_seconds: int
    duration_seconds: int | None
    is_over_time: bool


class SpeechIn(Schema):
    member_id: ObjectId | None = Field(None, description="Staff name the speaker; members book their own.")
    kind: SpeechKind = SpeechKind.BOOKED
    title: Name
    text: Text = ""


class MoveIn(Schema):
    up: bool


class DurationIn(Schema):
    duration_seconds: int = Field(ge=0, le=10**6)


class InstructionOut(Schema):
    id: int
    office_id: int
    leader_name: str
    leader_title: str
    level: str
    text: str
    instructed_on: dt.date


class OutcomeOut(Schema):
    id: int
    consultation_id: int
    kind: str
    title: str
    status: str
    sent_at: dt.datetime | None
    adoption: str
    adoption_note: str
    follow_up_on: dt.date | None
    version: int


class OutcomeDetailOut(OutcomeOut):
    text: str
    office_ids: list[int]
    instructions: list[InstructionOut]


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


class DeliberationOut(Schema):
    id: int
    consultation_id: int
    topic: str
    background: str
    questions: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    public_enabled: bool
    is_open: bool


class OpinionOut(Schema):
    id: int
    author_name: str
    text: str
    support_count: int
    created_at: dt.datetime
    is_hidden: bool
    hidden_reason: str


class OpinionIn(Schema):
    text: Annotated[str, Field(min_length=1, max_length=deliberation_actions.MAX_OPINION_CHARS)]


class ArticleOut(Schema):
    number: int
    label: str
    text: str


class ArticleCommentOut(Schema):
    id: int
    article_number: int
    author_name: str
    is_expert: bool
    text: str
    created_at: dt.datetime


class DraftOut(Schema):
    id: int
    consultation_id: int
    title: str
    articles: list[ArticleOut]


class CommentIn(Schema):
    text: Annotated[str, Field(min_length=1, max_length=3000)]


class ThemeContinuityOut(Schema):
    name: str
    counts: dict[int, int]
    longest_run: int
    run_until: int | None


class LowerCouncilThemesOut(Schema):
    council: str
    themes: list[ThemeContinuityOut]


class ContinuityOut(Schema):
    years: list[int]
    themes: list[ThemeContinuityOut]
    lower_councils: list[LowerCouncilThemesOut]


# Joint consultations with lower councils ----------------------------------------


class JointInviteIn(Schema):
    lower_council_id: ObjectId


class JointAcceptIn(Schema):
    member_ids: list[ObjectId] = Field(max_length=200, description="The participants, from this council.")


class CouncilRefOut(Schema):
    id: int
    name: str


class SentInvitationOut(Schema):
    """An invitation as the inviting (upper) council sees it."""

    id: int
    lower_council: CouncilRefOut
    status: str
    invited_at: dt.datetime
    accepted_at: dt.datetime | None
    participant_count: int


class ParticipantRefOut(Schema):
    id: int
    full_name: str


class JointInvitationOut(Schema):
    """An invitation as the invited (lower) council sees it, with the upper
    council's consultation."""

    id: int
    upper_council: str
    status: str
    invited_at: dt.datetime
    accepted_at: dt.datetime | None
    topic: str
    kind: str
    consultation_status: str
    starts_at: dt.datetime
    place: str


class JointInvitationDetailOut(JointInvitationOut):
    description: str
    materials: list[AttachmentOut]
    participants: list[ParticipantRefOut] = Field(
        description="The members this council named (its staff and leaders only; empty for members)."
    )
    may_accept: bool


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


# Themes on proposals and opinion reports ------------------------------------------

TaggableKey = Annotated[str, Field(pattern="^(" + "|".join(TAGGABLE) + ")$", max_length=20)]


class ThemeTagOut(Schema):
    id: int
    name: str
    year: int


class TaggedItemOut(Schema):
    kind: str
    id: int
    title: str
    year: int
    tags: list[ThemeTagOut]


class TagIn(Schema):
    names: list[ThemeName] = Field(
        max_length=20, description="Theme names: the council's existing themes, or new ones to create."
    )
