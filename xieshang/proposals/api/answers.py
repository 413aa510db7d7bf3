"""What the proposals API answers: each answer's fields, once. Ninja builds
an answer from the object an endpoint returns; a resolver gives a field
that is not an attribute of the same name (see xieshang.core.api)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from ninja import Field, Schema

from xieshang.core.api import Overlay
from xieshang.core.models import Event
from xieshang.proposals.models import (
    Assignment,
    CollectiveFiler,
    Cosigner,
    FollowUp,
    HandlingNote,
    KeyProposalFollowThrough,
    Proposal,
    Reply,
)
from xieshang.proposals.search import SimilarProposal
from xieshang.proposals.states import EventType
from xieshang.proposals.statistics import Figures, Rate, Row, YearStatistics


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

    @staticmethod
    def resolve_category(proposal: Proposal) -> str:
        return proposal.category.name if proposal.category else ""


class AssignmentOut(Schema):
    id: int
    proposal_id: int
    unit: str
    role: str
    assigned_on: dt.date
    due_on: dt.date
    objected: bool

    @staticmethod
    def resolve_unit(assignment: Assignment) -> str:
        return assignment.unit.name

    @staticmethod
    def resolve_due_on(assignment: Assignment) -> dt.date:
        return assignment.effective_due_on

    @staticmethod
    def resolve_objected(assignment: Assignment) -> bool:
        return assignment.objected_at is not None


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

    @staticmethod
    def resolve_proposal_id(reply: Reply) -> int:
        return reply.assignment.proposal_id

    @staticmethod
    def resolve_unit(reply: Reply) -> str:
        return reply.assignment.unit.name

    @staticmethod
    def resolve_category(reply: Reply) -> str:
        return reply.category.code if reply.category else ""


class CosignerOut(Schema):
    member_id: int
    name: str
    status: str

    @staticmethod
    def resolve_name(cosigner: Cosigner) -> str:
        return cosigner.member.full_name


class ProposalDetailOut(ProposalOut):
    # Built from common.as_seen_by(): the proposal with the units and replies
    # the requester may see of it.
    situation: str
    analysis: str
    suggestions: str
    decline_reason: str
    review_note: str
    handling_round: int
    cosigners: list[CosignerOut]
    assignments: list[AssignmentOut]
    replies: list[ReplyOut]

    @staticmethod
    def resolve_decline_reason(proposal: Proposal) -> str:
        return proposal.decline_reason.name if proposal.decline_reason else ""

    @staticmethod
    def resolve_cosigners(proposal: Proposal) -> QuerySet[Cosigner]:
        return proposal.cosigners.select_related("member").order_by("id")

    @staticmethod
    def resolve_assignments(proposal: Overlay) -> QuerySet[Assignment]:
        return proposal.visible_handling.assignments  # type: ignore[no-any-return]

    @staticmethod
    def resolve_replies(proposal: Overlay) -> QuerySet[Reply]:
        return proposal.visible_handling.replies  # type: ignore[no-any-return]


class ListsOut(Schema):
    categories: list[dict[str, Any]]
    decline_reasons: list[dict[str, Any]]
    reply_categories: list[dict[str, Any]]


class ProposalsOut(Schema):
    items: list[ProposalOut]


class RefOut(Schema):
    id: int
    name: str


class MeetingRowOut(ProposalOut):
    suggested_units: list[RefOut]


class KeyProposalOut(ProposalOut):
    # From key_proposals(), which counts the activities.
    supervising_leader: str
    follow_throughs: int

    @staticmethod
    def resolve_supervising_leader(proposal: Proposal) -> str:
        leader = proposal.supervising_leader
        return leader.display_name if leader else ""

    @staticmethod
    def resolve_follow_throughs(proposal: Proposal) -> int:
        return proposal.activities  # type: ignore[attr-defined,no-any-return]


class CosignRequestOut(Schema):
    id: int
    proposal_id: int
    proposal_title: str
    lead_proposer: str
    status: str
    invited_at: dt.datetime

    @staticmethod
    def resolve_proposal_title(row: Cosigner) -> str:
        return row.proposal.title

    @staticmethod
    def resolve_lead_proposer(row: Cosigner) -> str:
        lead = row.proposal.lead_proposer
        return lead.full_name if lead else ""


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

    @staticmethod
    def resolve_proposal_title(row: FollowUp) -> str:
        return row.proposal.title

    @staticmethod
    def resolve_case_number(row: FollowUp) -> str:
        return row.proposal.case_number

    @staticmethod
    def resolve_unit(row: FollowUp) -> str:
        return row.unit.name

    @staticmethod
    def resolve_reply_category(row: FollowUp) -> str:
        return row.reply.category.code if row.reply.category else ""


class SearchHitOut(ProposalOut):
    # Built from a proposal overlaid with what the search matched.
    title_html: str = Field(description="The title, HTML-escaped, with the matched words in <mark>.")
    snippet_html: str = Field(description="Where the words matched, HTML-escaped, with them in <mark>.")


class SimilarOut(Schema):
    id: int | None = Field(description="Given only when the requester may open the proposal.")
    case_number: str
    title: str
    title_html: str
    snippet_html: str

    @staticmethod
    def resolve_id(row: SimilarProposal) -> int | None:
        return row.proposal.pk if row.may_open else None

    @staticmethod
    def resolve_case_number(row: SimilarProposal) -> str:
        return row.proposal.case_number

    @staticmethod
    def resolve_title(row: SimilarProposal) -> str:
        return row.proposal.title

    @staticmethod
    def resolve_title_html(row: SimilarProposal) -> str:
        return str(row.hit.title_html)

    @staticmethod
    def resolve_snippet_html(row: SimilarProposal) -> str:
        return str(row.hit.snippet_html)


EVENT_LABELS = {event.value: event.label for event in EventType}


class EventOut(Schema):
    type: str
    label: str
    actor: str = Field(description="Who acted; empty when the system did.")
    reason: str
    created_at: dt.datetime

    @staticmethod
    def resolve_label(event: Event) -> str:
        return str(EVENT_LABELS.get(event.type, event.type))

    @staticmethod
    def resolve_actor(event: Event) -> str:
        return event.actor.display_name if event.actor else ""

    @staticmethod
    def resolve_reason(event: Event) -> str:
        return str(event.data.get("reason") or "") if isinstance(event.data, dict) else ""


class NoteOut(Schema):
    id: int
    unit: str
    kind: str
    happened_on: dt.date
    text: str
    written_by: str

    @staticmethod
    def resolve_unit(note: HandlingNote) -> str:
        return note.assignment.unit.name

    @staticmethod
    def resolve_written_by(note: HandlingNote) -> str:
        return note.written_by.display_name


def _percent(rate: Rate) -> float | None:
    percent = rate.percent
    return None if percent is None else float(percent)


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

    @staticmethod
    def resolve_acceptance_rate(figures: Figures) -> float | None:
        return _percent(figures.acceptance_rate)

    @staticmethod
    def resolve_on_time_reply_rate(figures: Figures) -> float | None:
        return _percent(figures.on_time_reply_rate)

    @staticmethod
    def resolve_satisfaction_rate(figures: Figures) -> float | None:
        return _percent(figures.satisfaction_rate)

    @staticmethod
    def resolve_implementation_rate(figures: Figures) -> float | None:
        return _percent(figures.implementation_rate)


class StatisticsRowOut(Schema):
    key: int = Field(description="The unit, category, sector or affiliation id; 0 for not given.")
    name: str
    rank: int | None
    figures: FiguresOut


class ReplyCategoryCountOut(Schema):
    id: int
    code: str = Field(description="A, B, C or a category the council added.")
    meaning: str
    counts_as_implemented: bool
    replies: int = Field(description="Replies of this category among the total's replied.")


class StatisticsOut(Schema):
    # Built from a YearStatistics overlaid with the years that have proposals.
    year: int
    years: list[int]
    total: FiguresOut
    reply_categories: list[ReplyCategoryCountOut] = Field(
        description="Every reply category of the council, with its count: they add up to total.replied."
    )
    units: list[StatisticsRowOut] = Field(description="The league table, best first.")
    categories: list[StatisticsRowOut]
    sectors: list[StatisticsRowOut]
    affiliations: list[StatisticsRowOut]

    @staticmethod
    def resolve_units(stats: YearStatistics) -> list[Row]:
        return stats.league

    @staticmethod
    def resolve_categories(stats: YearStatistics) -> list[Row]:
        return stats.by["category"]

    @staticmethod
    def resolve_sectors(stats: YearStatistics) -> list[Row]:
        return stats.by["sector"]

    @staticmethod
    def resolve_affiliations(stats: YearStatistics) -> list[Row]:
        return stats.by["affiliation"]


class FollowThroughOut(Schema):
    id: int
    kind: str
    happened_on: dt.date
    note: str
    recorded_by: str

    @staticmethod
    def resolve_recorded_by(row: KeyProposalFollowThrough) -> str:
        return row.recorded_by.display_name


class CollectiveFilerOut(Schema):
    id: int
    user_id: int
    user_name: str
    body: str
    body_name: str
    created_at: dt.datetime

    @staticmethod
    def resolve_user_name(filer: CollectiveFiler) -> str:
        return filer.user.display_name

    @staticmethod
    def resolve_body(filer: CollectiveFiler) -> str:
        return filer.body_key

    @staticmethod
    def resolve_body_name(filer: CollectiveFiler) -> str:
        return filer.body.name
