"""What the proposals API accepts and answers."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema

from xieshang.core.api import ObjectId, PageQuery, Printable
from xieshang.proposals.states import (
    AssignmentRole,
    ConversionTarget,
    FollowUpStatus,
    NoteKind,
    ProposalStatus,
    Satisfaction,
    SupervisionKind,
    Window,
)

Section = Annotated[str, Field(max_length=10000), Printable]


Reason = Annotated[str, Field(max_length=500), Printable]


# A body of the council as "kind:id" (affiliation, sector, committee or group).
BodyKey = Annotated[
    str,
    Field(
        max_length=40,
        pattern=r"^(affiliation|sector|committee|group):[1-9][0-9]{0,17}$",
        description="A body of the council as kind:id, e.g. affiliation:12.",
    ),
]


class ProposalOut(Schema):
    id: int
    title: str
    status: str
    case_number: str
    window: str
    author_name: str
    category: str
    is_key: bool
    is_outstanding: bool
    submitted_at: dt.datetime | None
    version: int


class AssignmentOut(Schema):
    id: int
    proposal_id: int
    unit: str
    role: str
    assigned_on: dt.date
    due_on: dt.date
    objected: bool


class ReplyOut(Schema):
    id: int
    proposal_id: int
    unit: str
    handling_round: int
    status: str
    category: str
    text: str
    signer: str
    contact_person: str
    feedback_due_on: dt.date | None
    version: int


class CosignerOut(Schema):
    member_id: int
    name: str
    status: str


class ProposalDetailOut(ProposalOut):
    situation: str
    analysis: str
    suggestions: str
    decline_reason: str
    review_note: str
    handling_round: int
    cosigners: list[CosignerOut]
    assignments: list[AssignmentOut]
    replies: list[ReplyOut]


class ListsOut(Schema):
    categories: list[dict[str, Any]]
    decline_reasons: list[dict[str, Any]]
    reply_categories: list[dict[str, Any]]


class ProposalIn(Schema):
    title: Annotated[str, Field(min_length=1, max_length=100), Printable]
    category_id: ObjectId | None = None
    window: Window = Window.SESSION
    situation: Section = ""
    analysis: Section = ""
    suggestions: Section = ""
    suggested_unit_ids: list[ObjectId] = Field(default_factory=list, max_length=20)
    consents_to_publish_reply: bool = False
    version: int | None = None


class ProposalPatch(Schema):
    """Only the fields sent change; send the version you read."""

    title: Annotated[str, Field(min_length=1, max_length=100), Printable] | None = None
    category_id: ObjectId | None = None
    window: Window | None = None
    situation: Section | None = None
    analysis: Section | None = None
    suggestions: Section | None = None
    suggested_unit_ids: list[ObjectId] | None = Field(default=None, max_length=20)
    consents_to_publish_reply: bool | None = None
    version: int | None = None


class NewProposalIn(ProposalIn):
    """A new draft: a member's own, one staff enter for a member who cannot
    go online (proposer_id), or one in the name of a body the member is
    authorised to file for (file_as)."""

    proposer_id: ObjectId | None = Field(
        None, description="Staff only: the seated member the proposal is entered for."
    )
    file_as: BodyKey | None = None


class VersionIn(Schema):
    version: int | None = None


class ReasonIn(VersionIn):
    reason: Reason


class DeclineIn(VersionIn):
    reason_id: ObjectId
    note: Reason = ""


class ConvertIn(VersionIn):
    target: ConversionTarget
    consent_note: Reason


class MergeIn(VersionIn):
    into_id: ObjectId
    note: Reason = ""


class UnitRoleIn(Schema):
    unit_id: ObjectId
    role: AssignmentRole


class AssignIn(VersionIn):
    units: list[UnitRoleIn] = Field(min_length=1, max_length=20)
    assigned_on: dt.date | None = None


class CosignersIn(Schema):
    member_ids: list[ObjectId] = Field(min_length=1, max_length=20)


class CosignAnswerIn(Schema):
    confirm: bool


class ObjectionIn(Schema):
    reason: Reason


class ReplyIn(VersionIn):
    category_id: ObjectId | None = None
    text: Annotated[str, Field(max_length=20000), Printable]
    signer: Annotated[str, Field(max_length=50), Printable]
    contact_person: Annotated[str, Field(max_length=50), Printable]
    contact_phone: Annotated[str, Field(max_length=30), Printable] = ""
    submit: bool = False


class RatingIn(Schema):
    satisfaction: Satisfaction
    comment: Annotated[str, Field(max_length=2000), Printable] = ""


class ExtensionIn(VersionIn):
    new_due_on: dt.date
    reason: Reason


class MarkIn(Schema):
    is_key: bool | None = None
    supervising_leader_id: ObjectId | None = None
    is_outstanding: bool | None = None


class NoteIn(Schema):
    kind: NoteKind
    happened_on: dt.date
    text: Annotated[str, Field(max_length=3000), Printable]


class SupervisionIn(Schema):
    kind: SupervisionKind
    happened_on: dt.date
    note: Annotated[str, Field(max_length=3000), Printable]


class ProposalFilters(PageQuery):
    status: ProposalStatus | None = None
    mine: bool = False
    category_id: ObjectId | None = Field(None, description="Staff lists: one category.")
    window: Window | None = Field(None, description="Staff lists: session or regular proposals.")
    q: Annotated[str, Field(max_length=100), Printable] = Field(
        "", description="Staff lists: words in the title or the case number."
    )


class ProposalIdsIn(Schema):
    proposal_ids: list[ObjectId] = Field(min_length=1, max_length=100)


class MeetingItemIn(Schema):
    proposal_id: ObjectId
    units: list[UnitRoleIn] = Field(min_length=1, max_length=20)


class MeetingIn(Schema):
    """The assignment meeting's decisions: each proposal with its units, all
    due from the meeting day (today when not given)."""

    assigned_on: dt.date | None = None
    items: list[MeetingItemIn] = Field(min_length=1, max_length=200)


class ProposalsOut(Schema):
    items: list[ProposalOut]


class RefOut(Schema):
    id: int
    name: str


class MeetingRowOut(ProposalOut):
    suggested_units: list[RefOut]


class KeyProposalOut(ProposalOut):
    supervising_leader: str
    supervision_activities: int


class CosignRequestOut(Schema):
    id: int
    proposal_id: int
    proposal_title: str
    lead_proposer: str
    status: str
    invited_at: dt.datetime


class FollowUpOut(Schema):
    id: int
    proposal_id: int
    proposal_title: str
    case_number: str
    unit: str
    reply_category: str
    due_on: dt.date
    status: str
    result: str
    reported_at: dt.datetime | None
    close_note: str
    closed_at: dt.datetime | None
    version: int


class FollowUpFilterQuery(PageQuery):
    year: int | None = Field(None, ge=1901, le=2999, description="The year the re-check is due in.")
    status: FollowUpStatus | None = None
    unit_id: ObjectId | None = None


class FollowUpReportIn(VersionIn):
    result: Annotated[str, Field(max_length=3000), Printable]


class FollowUpCloseIn(VersionIn):
    note: Reason = ""


class SearchQuery(PageQuery):
    q: Annotated[str, Field(min_length=1, max_length=100), Printable] = Field(
        description="Words to find in titles, bodies and released replies."
    )
    year: int | None = Field(None, ge=1901, le=2999)
    status: ProposalStatus | None = None
    category_id: ObjectId | None = None
    unit_id: ObjectId | None = None
    sector_id: ObjectId | None = None
    affiliation_id: ObjectId | None = None
    key: bool | None = Field(None, description="Only key proposals (true) or only the others (false).")


class SearchHitOut(ProposalOut):
    title_html: str = Field(description="The title, HTML-escaped, with the matched words in <mark>.")
    snippet_html: str = Field(description="Where the words matched, HTML-escaped, with them in <mark>.")


class SimilarIn(Schema):
    """The text being written, or a filed proposal to compare."""

    title: Annotated[str, Field(max_length=300), Printable] = ""
    situation: Section = ""
    analysis: Section = ""
    suggestions: Section = ""
    proposal_id: ObjectId | None = None


class SimilarOut(Schema):
    id: int | None = Field(description="Given only when the requester may open the proposal.")
    case_number: str
    title: str
    title_html: str
    snippet_html: str


class EventOut(Schema):
    type: str
    label: str
    actor: str = Field(description="Who acted; empty when the system did.")
    reason: str
    created_at: dt.datetime


class NoteOut(Schema):
    id: int
    unit: str
    kind: str
    happened_on: dt.date
    text: str
    written_by: str


class FiguresOut(Schema):
    filed: int
    accepted: int
    assigned: int
    due: int
    on_time: int
    ratings: int
    satisfied: int
    replied: int
    implemented: int
    acceptance_rate: float | None = Field(description="Percent, one decimal; null when nothing was counted.")
    on_time_reply_rate: float | None
    satisfaction_rate: float | None
    implementation_rate: float | None


class StatisticsRowOut(Schema):
    key: int = Field(description="The unit, category, sector or affiliation id; 0 for not given.")
    name: str
    rank: int | None
    figures: FiguresOut


class StatisticsOut(Schema):
    year: int
    years: list[int]
    total: FiguresOut
    units: list[StatisticsRowOut] = Field(description="The league table, best first.")
    categories: list[StatisticsRowOut]
    sectors: list[StatisticsRowOut]
    affiliations: list[StatisticsRowOut]


class StatisticsQuery(Schema):
    year: int | None = Field(None, ge=1901, le=2999, description="The latest year with proposals by default.")


class SupervisionOut(Schema):
    id: int
    kind: str
    happened_on: dt.date
    note: str
    recorded_by: str


class CollectiveFilerIn(Schema):
    user_id: ObjectId
    body: BodyKey


class CollectiveFilerOut(Schema):
    id: int
    user_id: int
    user_name: str
    body: str
    body_name: str
    created_at: dt.datetime
