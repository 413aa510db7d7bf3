"""What the proposals API accepts (its answers: answers.py)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema

from xieshang.core.api import ObjectId, PageQuery, Printable
from xieshang.proposals.states import (
    AssignmentRole,
    ConversionTarget,
    FollowThroughKind,
    FollowUpStatus,
    NoteKind,
    ProposalStatus,
    Satisfaction,
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


class FollowThroughIn(Schema):
    kind: FollowThroughKind
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


class SimilarIn(Schema):
    """The text being written, or a filed proposal to compare."""

    title: Annotated[str, Field(max_length=300), Printable] = ""
    situation: Section = ""
    analysis: Section = ""
    suggestions: Section = ""
    proposal_id: ObjectId | None = None


class StatisticsQuery(Schema):
    year: int | None = Field(None, ge=1901, le=2999, description="The latest year with proposals by default.")


class CollectiveFilerIn(Schema):
    user_id: ObjectId
    body: BodyKey
