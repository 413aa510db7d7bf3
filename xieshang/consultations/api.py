"""The consultation API: plans and their items, consultations, speeches and
outcomes, joint consultations with lower councils, and theme tags on
proposals and opinion reports, with the same permissions and actions as the
pages."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from xieshang.consultations.actions import consultations as consultation_actions
from xieshang.consultations.actions import continuity as continuity_actions
from xieshang.consultations.actions import deliberation as deliberation_actions
from xieshang.consultations.actions import joint as joint_actions
from xieshang.consultations.actions import legislative as legislative_actions
from xieshang.consultations.actions import outcomes as outcome_actions
from xieshang.consultations.actions import plans as plan_actions
from xieshang.consultations.actions import speeches as speech_actions
from xieshang.consultations.models import (
    Consultation,
    ConsultationPlan,
    Deliberation,
    JointInvitation,
    Opinion,
    Outcome,
    PlanItem,
    Speech,
)
from xieshang.consultations.queries import (
    ConsultationFilters,
    TaggedItem,
    access_consultation,
    access_deliberation,
    access_draft,
    access_joint_invitation,
    access_outcome,
    access_plan,
    access_plan_item,
    access_plan_item_any,
    access_speech,
    access_taggable,
    consultations_of_council,
    instructions_of,
    joint_invitations_for,
    joint_invitations_to_accept,
    my_consultations,
    my_joint_invitations,
    office_outcomes,
    outcomes_of_council,
    plan_items,
    plans_of_council,
    public_deliberation,
    speeches_of,
    tags_of,
    themes_of_council,
    upcoming_joint_invitations,
)
from xieshang.consultations.states import (
    Adoption,
    ConsultationKind,
    ConsultationStatus,
    InstructionLevel,
    OutcomeKind,
    SpeechKind,
)
from xieshang.consultations.taggable import TAGGABLE
from xieshang.core.api import (
    ERROR_RESPONSES,
    WRITE_ERROR_RESPONSES,
    AttachmentOut,
    ObjectId,
    Page,
    PageQuery,
    Printable,
    attachment_out,
    paginate,
)
from xieshang.core.attachments import attachment_response, attachments_of
from xieshang.core.errors import require
from xieshang.councils.api.schemas import CouncilSlug
from xieshang.councils.api.scoping import council_actor
from xieshang.councils.models import Council, HandlingUnit, Member, OversightOffice, SpecialCommittee
from xieshang.councils.roles import Actor, Perm

router = Router(tags=["consultations"])
Name = Annotated[str, Field(min_length=1, max_length=100), Printable]
Note = Annotated[str, Field(max_length=300), Printable]
Text = Annotated[str, Field(max_length=50000), Printable]
ThemeName = Annotated[str, Field(min_length=1, max_length=50), Printable]


# Schemas ----------------------------------------------------------------------


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


# Builders ---------------------------------------------------------------------


def plan_out(plan: ConsultationPlan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "year": plan.year,
        "title": plan.title,
        "status": plan.status,
        "approved_on": plan.approved_on,
        "approval_note": plan.approval_note,
        "issued_on": plan.issued_on,
        "document_number": plan.document_number,
        "version": plan.version,
    }


def item_out(item: PlanItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "position": item.position,
        "topic": item.topic,
        "kind": item.kind,
        "lead_committee_id": item.lead_committee_id,
        "partner_unit_id": item.partner_unit_id,
        "quarter": item.quarter,
        "decision_expected_on": item.decision_expected_on,
        "note": item.note,
        "themes": [t.name for t in item.themes.all()],
        "is_withdrawn": item.is_withdrawn,
        "is_held": bool(getattr(item, "is_held", False)),
    }


def plan_detail_out(plan: ConsultationPlan) -> dict[str, Any]:
    plan.refresh_from_db()
    return {**plan_out(plan), "items": [item_out(i) for i in plan_items(plan)]}


def consultation_out(consultation: Consultation) -> dict[str, Any]:
    return {
        "id": consultation.pk,
        "year": consultation.year,
        "kind": consultation.kind,
        "topic": consultation.topic,
        "status": consultation.status,
        "starts_at": consultation.starts_at,
        "place": consultation.place,
        "plan_item_id": consultation.plan_item_id,
        "notice_due_on": consultation.notice_due_on,
        "materials_due_on": consultation.materials_due_on,
        "minutes_due_on": consultation.minutes_due_on,
        "notice_sent_at": consultation.notice_sent_at,
        "materials_sent_at": consultation.materials_sent_at,
        "held_on": consultation.held_on,
        "minutes_sent_at": consultation.minutes_sent_at,
        "themes": [t.name for t in consultation.themes.all()],
        "version": consultation.version,
    }


def speech_out(speech: Speech, actor: Actor | None = None) -> dict[str, Any]:
    hide = (
        actor is not None
        and not actor.has(Perm.VIEW_CONSULTATIONS)
        and (actor.member is None or actor.member.pk != speech.member_id)
    )
    return {
        "id": speech.pk,
        "member_id": speech.member_id,
        "member_name": speech.member.full_name,
        "kind": speech.kind,
        "title": speech.title,
        "text": "" if hide else speech.text,
        "position": speech.position,
        "allotted_seconds": speech.allotted_seconds,
        "duration_seconds": speech.duration_seconds,
        "is_over_time": speech.is_over_time,
    }


def outcome_out(outcome: Outcome) -> dict[str, Any]:
    return {
        "id": outcome.pk,
        "consultation_id": outcome.consultation_id,
        "kind": outcome.kind,
        "title": outcome.title,
        "status": outcome.status,
        "sent_at": outcome.sent_at,
        "adoption": outcome.adoption,
        "adoption_note": outcome.adoption_note,
        "follow_up_on": outcome.follow_up_on,
        "version": outcome.version,
    }


def instruction_out(row: Any) -> dict[str, Any]:
    return {
        "id": row.pk,
        "office_id": row.office_id,
        "leader_name": row.leader_name,
        "leader_title": row.leader_title,
        "level": row.level,
        "text": row.text,
        "instructed_on": row.instructed_on,
    }


def outcome_detail_out(outcome: Outcome) -> dict[str, Any]:
    outcome.refresh_from_db()
    return {
        **outcome_out(outcome),
        "text": outcome.text,
        "office_ids": sorted(outcome.offices.values_list("pk", flat=True)),
        "instructions": [instruction_out(i) for i in instructions_of(outcome)],
    }


def _own(actor: Actor, model: Any, pk: int | None) -> Any:
    """A body of the actor's council by id (None stays None); 404 otherwise."""
    if pk is None:
        return None
    row = model.objects.filter(council=actor.council, pk=pk).first()
    if row is None:
        raise Http404
    return row


# Plans ------------------------------------------------------------------------


@router.get("/c/{council_slug}/consultation-plans", response={200: Page[PlanOut], **ERROR_RESPONSES})
def list_consultation_plans(
    request: HttpRequest, council_slug: CouncilSlug, query: Query[PageQuery]
) -> dict[str, Any]:
    """The council's yearly plans, newest first (the offices see them from revision on)."""
    actor = council_actor(request, council_slug, Perm.VIEW_CONSULTATION_PLANS)
    return paginate(plans_of_council(actor), query, plan_out)


@router.get(
    "/c/{council_slug}/consultation-plans/{plan_id}", response={200: PlanDetailOut, **ERROR_RESPONSES}
)
def get_consultation_plan(
    request: HttpRequest, council_slug: CouncilSlug, plan_id: ObjectId
) -> dict[str, Any]:
    actor = council_actor(request, council_slug, Perm.VIEW_CONSULTATION_PLANS)
    return plan_detail_out(access_plan(actor, plan_id))


@router.post("/c/{council_slug}/consultation-plans", response={201: PlanDetailOut, **WRITE_ERROR_RESPONSES})
def create_consultation_plan(request: HttpRequest, council_slug: CouncilSlug, payload: PlanIn) -> Status[Any]:
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    plan = plan_actions.create_plan(year=payload.year, title=payload.title, actor=actor)
    return Status(201, plan_detail_out(plan))


def _item_values(actor: Actor, payload: PlanItemIn) -> plan_actions.ItemValues:
    return plan_actions.ItemValues(
        topic=payload.topic,
        kind=payload.kind,
        quarter=payload.quarter,
        lead_committee=_own(actor, SpecialCommittee, payload.lead_committee_id),
        partner_unit=_own(actor, HandlingUnit, payload.partner_unit_id),
        decision_expected_on=payload.decision_expected_on,
        note=payload.note,
        themes=payload.themes,
    )


@router.post(
    "/c/{council_slug}/consultation-plans/{plan_id}/items",
    response={201: PlanDetailOut, **WRITE_ERROR_RESPONSES},
)
def add_consultation_plan_item(
    request: HttpRequest, council_slug: CouncilSlug, plan_id: ObjectId, payload: PlanItemIn
) -> Status[Any]:
    """Add an item; once the plan is issued, reason is required."""
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    plan = access_plan(actor, plan_id)
    plan_actions.save_plan_item(plan, values=_item_values(actor, payload), reason=payload.reason, actor=actor)
    return Status(201, plan_detail_out(plan))


@router.put(
    "/c/{council_slug}/consultation-plans/{plan_id}/items/{item_id}",
    response={200: PlanDetailOut, **WRITE_ERROR_RESPONSES},
)
def change_consultation_plan_item(
    request: HttpRequest, council_slug: CouncilSlug, plan_id: ObjectId, item_id: ObjectId, payload: PlanItemIn
) -> dict[str, Any]:
    """Change an item; once the plan is issued, reason is required."""
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    plan = access_plan(actor, plan_id)
    item = access_plan_item(actor, plan, item_id)
    plan_actions.save_plan_item(
        plan, item=item, values=_item_values(actor, payload), reason=payload.reason, actor=actor
    )
    return plan_detail_out(plan)


@router.post(
    "/c/{council_slug}/consultation-plans/{plan_id}/revision",
    response={200: PlanDetailOut, **WRITE_ERROR_RESPONSES},
)
def send_consultation_plan_for_revision(
    request: HttpRequest, council_slug: CouncilSlug, plan_id: ObjectId
) -> dict[str, Any]:
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    plan = plan_actions.send_plan_for_revision(access_plan(actor, plan_id), actor=actor)
    return plan_detail_out(plan)


@router.post(
    "/c/{council_slug}/consultation-plans/{plan_id}/approve",
    response={200: PlanDetailOut, **WRITE_ERROR_RESPONSES},
)
def approve_consultation_plan(
    request: HttpRequest, council_slug: CouncilSlug, plan_id: ObjectId, payload: ApprovalIn
) -> dict[str, Any]:
    """Record the chair meeting's approval (leaders)."""
    actor = council_actor(request, council_slug, Perm.APPROVE_CONSULTATION_PLANS)
    plan = plan_actions.approve_plan(
        access_plan(actor, plan_id), approved_on=payload.approved_on, note=payload.note, actor=actor
    )
    return plan_detail_out(plan)


@router.post(
    "/c/{council_slug}/consultation-plans/{plan_id}/issue",
    response={200: PlanDetailOut, **WRITE_ERROR_RESPONSES},
)
def issue_consultation_plan(
    request: HttpRequest, council_slug: CouncilSlug, plan_id: ObjectId, payload: IssueIn
) -> dict[str, Any]:
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    plan = plan_actions.issue_plan(
        access_plan(actor, plan_id),
        issued_on=payload.issued_on,
        document_number=payload.document_number,
        actor=actor,
    )
    return plan_detail_out(plan)


@router.post(
    "/c/{council_slug}/consultation-plans/{plan_id}/suggestions",
    response={201: SuggestionOut, **WRITE_ERROR_RESPONSES},
)
def suggest_consultation_plan_change(
    request: HttpRequest, council_slug: CouncilSlug, plan_id: ObjectId, payload: SuggestionIn
) -> Status[Any]:
    """An office's comment on the plan in revision, with any proposed values."""
    actor = council_actor(request, council_slug, Perm.COMMENT_CONSULTATION_PLANS)
    plan = access_plan(actor, plan_id)
    item = access_plan_item(actor, plan, payload.item_id) if payload.item_id else None
    proposed = {
        "topic": payload.topic,
        "kind": payload.kind or "",
        "quarter": str(payload.quarter or ""),
        "decision_expected_on": payload.decision_expected_on.isoformat()
        if payload.decision_expected_on
        else "",
    }
    row = plan_actions.suggest_plan_change(plan, item=item, text=payload.text, proposed=proposed, actor=actor)
    return Status(
        201,
        {
            "id": row.pk,
            "item_id": row.item_id,
            "office_id": row.office_id,
            "text": row.text,
            "proposed": row.proposed,
            "status": row.status,
        },
    )


# Consultations ------------------------------------------------------------------


@router.get("/c/{council_slug}/consultations", response={200: Page[ConsultationOut], **ERROR_RESPONSES})
def list_consultations(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[ConsultationFilterQuery]
) -> dict[str, Any]:
    """Staff and leaders: every consultation; members (or mine=true): the
    ones they are invited to."""
    actor = council_actor(request, council_slug)
    if filters.mine or not actor.has(Perm.VIEW_CONSULTATIONS):
        rows = my_consultations(actor)
    else:
        rows = consultations_of_council(
            actor,
            ConsultationFilters(status=filters.status or "", kind=filters.kind or "", year=filters.year),
        )
    return paginate(rows.prefetch_related("themes"), filters, consultation_out)


@router.get(
    "/c/{council_slug}/consultations/{consultation_id}", response={200: ConsultationOut, **ERROR_RESPONSES}
)
def get_consultation(
    request: HttpRequest, council_slug: CouncilSlug, consultation_id: ObjectId
) -> dict[str, Any]:
    actor = council_actor(request, council_slug)
    return consultation_out(access_consultation(actor, consultation_id))


@router.post("/c/{council_slug}/consultations", response={201: ConsultationOut, **WRITE_ERROR_RESPONSES})
def create_consultation(
    request: HttpRequest, council_slug: CouncilSlug, payload: ConsultationIn
) -> Status[Any]:
    """Set up a consultation, from a plan item or ad hoc; due dates are computed."""
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    item = access_plan_item_any(actor, payload.plan_item_id) if payload.plan_item_id else None
    consultation = consultation_actions.create_consultation(
        details=consultation_actions.ConsultationDetails(
            kind=payload.kind,
            topic=payload.topic,
            starts_at=payload.starts_at,
            place=payload.place,
            description=payload.description,
            lead_committee=_own(actor, SpecialCommittee, payload.lead_committee_id),
            themes=payload.themes,
        ),
        plan_item=item,
        actor=actor,
    )
    return Status(201, consultation_out(consultation))


@router.post(
    "/c/{council_slug}/consultations/{consultation_id}/participants",
    response={201: ParticipantOut, **WRITE_ERROR_RESPONSES},
)
def add_consultation_participant(
    request: HttpRequest, council_slug: CouncilSlug, consultation_id: ObjectId, payload: ParticipantIn
) -> Status[Any]:
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    consultation = access_consultation(actor, consultation_id)
    row = consultation_actions.add_participant(
        consultation,
        category=payload.category,
        member=_own(actor, Member, payload.member_id),
        handling_unit=_own(actor, HandlingUnit, payload.handling_unit_id),
        name=payload.name,
        organisation=payload.organisation,
        phone=payload.phone,
        email=payload.email,
        actor=actor,
    )
    return Status(
        201,
        {
            "id": row.pk,
            "category": row.category,
            "member_id": row.member_id,
            "name": row.name,
            "organisation": row.organisation,
            "invited_at": row.invited_at,
        },
    )


@router.post(
    "/c/{council_slug}/consultations/{consultation_id}/notice",
    response={200: ConsultationOut, **WRITE_ERROR_RESPONSES},
)
def send_consultation_notice(
    request: HttpRequest, council_slug: CouncilSlug, consultation_id: ObjectId
) -> dict[str, Any]:
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    consultation = consultation_actions.send_notice(access_consultation(actor, consultation_id), actor=actor)
    return consultation_out(consultation)


@router.post(
    "/c/{council_slug}/consultations/{consultation_id}/held",
    response={200: ConsultationOut, **WRITE_ERROR_RESPONSES},
)
def mark_consultation_held(
    request: HttpRequest, council_slug: CouncilSlug, consultation_id: ObjectId, payload: HeldIn
) -> dict[str, Any]:
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    consultation = consultation_actions.mark_held(
        access_consultation(actor, consultation_id), held_on=payload.held_on, actor=actor
    )
    return consultation_out(consultation)


@router.post(
    "/c/{council_slug}/consultations/{consultation_id}/minutes",
    response={200: ConsultationOut, **WRITE_ERROR_RESPONSES},
)
def send_consultation_minutes(
    request: HttpRequest, council_slug: CouncilSlug, consultation_id: ObjectId, payload: MinutesIn
) -> dict[str, Any]:
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    consultation = consultation_actions.send_minutes(
        access_consultation(actor, consultation_id), minutes=payload.minutes, actor=actor
    )
    return consultation_out(consultation)


# Speeches --------------------------------------------------------------------------


@router.get(
    "/c/{council_slug}/consultations/{consultation_id}/speeches",
    response={200: list[SpeechOut], **ERROR_RESPONSES},
)
def list_consultation_speeches(
    request: HttpRequest, council_slug: CouncilSlug, consultation_id: ObjectId
) -> list[dict[str, Any]]:
    """The speakers list in order (members see only their own texts)."""
    actor = council_actor(request, council_slug)
    consultation = access_consultation(actor, consultation_id)
    return [speech_out(s, actor) for s in speeches_of(consultation)]


@router.post(
    "/c/{council_slug}/consultations/{consultation_id}/speeches",
    response={201: SpeechOut, **WRITE_ERROR_RESPONSES},
)
def add_consultation_speech(
    request: HttpRequest, council_slug: CouncilSlug, consultation_id: ObjectId, payload: SpeechIn
) -> Status[Any]:
    """Staff add a speaker; an invited member books their own speech (with its text)."""
    actor = council_actor(request, council_slug)
    consultation = access_consultation(actor, consultation_id)
    if payload.member_id is not None:
        member = _own(actor, Member, payload.member_id)
    elif actor.member is not None:
        member = actor.member
    else:
        raise Http404
    speech = speech_actions.add_speech(
        consultation, member=member, kind=payload.kind, title=payload.title, text=payload.text, actor=actor
    )
    return Status(201, speech_out(speech))


@router.post(
    "/c/{council_slug}/consultations/{consultation_id}/speeches/{speech_id}/move",
    response={200: list[SpeechOut], **WRITE_ERROR_RESPONSES},
)
def move_consultation_speech(
    request: HttpRequest,
    council_slug: CouncilSlug,
    consultation_id: ObjectId,
    speech_id: ObjectId,
    payload: MoveIn,
) -> list[dict[str, Any]]:
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    consultation = access_consultation(actor, consultation_id)
    speech_actions.move_speech(access_speech(actor, consultation, speech_id), up=payload.up, actor=actor)
    return [speech_out(s) for s in speeches_of(consultation)]


@router.post(
    "/c/{council_slug}/consultations/{consultation_id}/speeches/{speech_id}/duration",
    response={200: SpeechOut, **WRITE_ERROR_RESPONSES},
)
def record_consultation_speech_duration(
    request: HttpRequest,
    council_slug: CouncilSlug,
    consultation_id: ObjectId,
    speech_id: ObjectId,
    payload: DurationIn,
) -> dict[str, Any]:
    """Record the time a speech took; over its allotted time it is flagged."""
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    consultation = access_consultation(actor, consultation_id)
    speech = speech_actions.record_speech_duration(
        access_speech(actor, consultation, speech_id), duration_seconds=payload.duration_seconds, actor=actor
    )
    return speech_out(speech)


# Outcomes --------------------------------------------------------------------------


def _outcome_for(actor: Actor, outcome_id: int) -> Outcome:
    """Staff and leaders read any outcome; office users those sent to them."""
    if actor.has(Perm.VIEW_CONSULTATIONS):
        return access_outcome(actor, outcome_id)
    row = office_outcomes(actor).filter(pk=outcome_id).first()
    if row is None:
        raise Http404
    return row


@router.get("/c/{council_slug}/consultation-outcomes", response={200: Page[OutcomeOut], **ERROR_RESPONSES})
def list_consultation_outcomes(
    request: HttpRequest, council_slug: CouncilSlug, query: Query[PageQuery]
) -> dict[str, Any]:
    """Staff and leaders: every outcome; office users: those sent to their office."""
    actor = council_actor(request, council_slug)
    if actor.has(Perm.VIEW_CONSULTATIONS):
        rows = outcomes_of_council(actor)
    elif actor.has(Perm.RECEIVE_OUTCOMES):
        rows = office_outcomes(actor)
    else:
        rows = Outcome.objects.none()
    return paginate(rows, query, outcome_out)


@router.get(
    "/c/{council_slug}/consultation-outcomes/{outcome_id}",
    response={200: OutcomeDetailOut, **ERROR_RESPONSES},
)
def get_consultation_outcome(
    request: HttpRequest, council_slug: CouncilSlug, outcome_id: ObjectId
) -> dict[str, Any]:
    actor = council_actor(request, council_slug)
    return outcome_detail_out(_outcome_for(actor, outcome_id))


@router.post(
    "/c/{council_slug}/consultations/{consultation_id}/outcomes",
    response={201: OutcomeDetailOut, **WRITE_ERROR_RESPONSES},
)
def write_consultation_outcome(
    request: HttpRequest, council_slug: CouncilSlug, consultation_id: ObjectId, payload: OutcomeIn
) -> Status[Any]:
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    outcome = outcome_actions.write_outcome(
        access_consultation(actor, consultation_id),
        kind=payload.kind,
        title=payload.title,
        text=payload.text,
        actor=actor,
    )
    return Status(201, outcome_detail_out(outcome))


@router.post(
    "/c/{council_slug}/consultation-outcomes/{outcome_id}/send",
    response={200: OutcomeDetailOut, **WRITE_ERROR_RESPONSES},
)
def send_consultation_outcome(
    request: HttpRequest, council_slug: CouncilSlug, outcome_id: ObjectId, payload: SendIn
) -> dict[str, Any]:
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    offices = list(OversightOffice.objects.filter(council=actor.council, pk__in=payload.office_ids))
    if len(offices) != len(set(payload.office_ids)):
        raise Http404
    outcome = outcome_actions.send_outcome(access_outcome(actor, outcome_id), offices=offices, actor=actor)
    return outcome_detail_out(outcome)


@router.post(
    "/c/{council_slug}/consultation-outcomes/{outcome_id}/instructions",
    response={201: InstructionOut, **WRITE_ERROR_RESPONSES},
)
def instruct_consultation_outcome(
    request: HttpRequest, council_slug: CouncilSlug, outcome_id: ObjectId, payload: InstructionIn
) -> Status[Any]:
    """Record a leader's instruction on an outcome sent to the requester's office."""
    actor = council_actor(request, council_slug, Perm.INSTRUCT_OUTCOMES)
    row = outcome_actions.record_outcome_instruction(
        _outcome_for(actor, outcome_id),
        leader_name=payload.leader_name,
        leader_title=payload.leader_title,
        level=payload.level,
        text=payload.text,
        instructed_on=payload.instructed_on,
        actor=actor,
    )
    return Status(201, instruction_out(row))


@router.post(
    "/c/{council_slug}/consultation-outcomes/{outcome_id}/adoption",
    response={200: OutcomeDetailOut, **WRITE_ERROR_RESPONSES},
)
def record_consultation_outcome_adoption(
    request: HttpRequest, council_slug: CouncilSlug, outcome_id: ObjectId, payload: AdoptionIn
) -> dict[str, Any]:
    """Record what became of an outcome (evidence files are added on the page)."""
    actor = council_actor(request, council_slug, Perm.INSTRUCT_OUTCOMES)
    outcome = outcome_actions.record_adoption(
        _outcome_for(actor, outcome_id),
        adoption=payload.adoption,
        note=payload.note,
        follow_up_on=payload.follow_up_on,
        actor=actor,
    )
    return outcome_detail_out(outcome)


@router.post(
    "/c/{council_slug}/consultation-outcomes/{outcome_id}/follow-up",
    response={200: OutcomeDetailOut, **WRITE_ERROR_RESPONSES},
)
def set_consultation_outcome_follow_up(
    request: HttpRequest, council_slug: CouncilSlug, outcome_id: ObjectId, payload: FollowUpIn
) -> dict[str, Any]:
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    outcome = outcome_actions.set_follow_up(
        access_outcome(actor, outcome_id), follow_up_on=payload.follow_up_on, actor=actor
    )
    return outcome_detail_out(outcome)


# Online deliberation, legislative comments, themes ----------------------------


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


def deliberation_out(item: Deliberation) -> dict[str, Any]:
    return {
        "id": item.pk,
        "consultation_id": item.consultation_id,
        "topic": item.topic,
        "background": item.background,
        "questions": item.questions,
        "opens_at": item.opens_at,
        "closes_at": item.closes_at,
        "public_enabled": item.public_enabled,
        "is_open": deliberation_actions.is_open(item),
    }


def opinion_out(opinion: Opinion) -> dict[str, Any]:
    return {
        "id": opinion.pk,
        "author_name": opinion.author_name,
        "text": opinion.text,
        "support_count": opinion.support_count,
        "created_at": opinion.created_at,
        "is_hidden": opinion.is_hidden,
        "hidden_reason": opinion.hidden_reason,
    }


@router.get(
    "/c/{council_slug}/deliberations/{deliberation_id}/public",
    response={200: DeliberationOut, **ERROR_RESPONSES},
    auth=None,
)
def getpublic_deliberation(
    request: HttpRequest, council_slug: CouncilSlug, deliberation_id: ObjectId
) -> dict[str, Any]:
    """A deliberation open to the public: readable without logging in."""
    return deliberation_out(public_deliberation(council_slug, deliberation_id))


@router.get(
    "/c/{council_slug}/deliberations/{deliberation_id}/public/opinions",
    response={200: Page[OpinionOut], **ERROR_RESPONSES},
    auth=None,
)
def list_public_opinions(
    request: HttpRequest, council_slug: CouncilSlug, deliberation_id: ObjectId, page: Query[PageQuery]
) -> dict[str, Any]:
    """The visible opinions of a public deliberation, most supported first."""
    item = public_deliberation(council_slug, deliberation_id)
    rows = Opinion.objects.filter(deliberation=item, is_hidden=False).order_by(
        "-support_count", "-created_at"
    )
    return paginate(rows, page, opinion_out)


@router.get(
    "/c/{council_slug}/deliberations/{deliberation_id}",
    response={200: DeliberationOut, **ERROR_RESPONSES},
)
def get_deliberation(
    request: HttpRequest, council_slug: CouncilSlug, deliberation_id: ObjectId
) -> dict[str, Any]:
    actor = council_actor(request, council_slug)
    return deliberation_out(access_deliberation(actor, deliberation_id))


@router.get(
    "/c/{council_slug}/deliberations/{deliberation_id}/opinions",
    response={200: Page[OpinionOut], **ERROR_RESPONSES},
)
def list_deliberation_opinions(
    request: HttpRequest, council_slug: CouncilSlug, deliberation_id: ObjectId, page: Query[PageQuery]
) -> dict[str, Any]:
    """Visible opinions; staff also see hidden ones, authors their own."""
    actor = council_actor(request, council_slug)
    item = access_deliberation(actor, deliberation_id)
    rows = Opinion.objects.filter(deliberation=item)
    if not deliberation_actions.can_manage_deliberation(actor, item):
        rows = rows.filter(is_hidden=False) | rows.filter(user=actor.user)
    return paginate(rows.order_by("-support_count", "-created_at"), page, opinion_out)


@router.post(
    "/c/{council_slug}/deliberations/{deliberation_id}/opinions",
    response={201: OpinionOut, **WRITE_ERROR_RESPONSES},
)
def post_deliberation_opinion(
    request: HttpRequest, council_slug: CouncilSlug, deliberation_id: ObjectId, payload: OpinionIn
) -> Status[Any]:
    """A member posts an opinion (blocked words and hourly limits apply)."""
    actor = council_actor(request, council_slug)
    item = access_deliberation(actor, deliberation_id)
    opinion = deliberation_actions.post_opinion(
        item, text=payload.text, poster=deliberation_actions.Poster.of_actor(actor)
    )
    return Status(201, opinion_out(opinion))


@router.post(
    "/c/{council_slug}/deliberations/{deliberation_id}/opinions/{opinion_id}/support",
    response={200: OpinionOut, **WRITE_ERROR_RESPONSES},
)
def support_deliberation_opinion(
    request: HttpRequest, council_slug: CouncilSlug, deliberation_id: ObjectId, opinion_id: ObjectId
) -> dict[str, Any]:
    actor = council_actor(request, council_slug)
    item = access_deliberation(actor, deliberation_id)
    opinion = Opinion.objects.filter(deliberation=item, pk=opinion_id).first()
    if opinion is None:
        raise Http404
    return opinion_out(
        deliberation_actions.support_opinion(opinion, poster=deliberation_actions.Poster.of_actor(actor))
    )


@router.get("/c/{council_slug}/drafts/{draft_id}", response={200: DraftOut, **ERROR_RESPONSES})
def get_draft_regulation(
    request: HttpRequest, council_slug: CouncilSlug, draft_id: ObjectId
) -> dict[str, Any]:
    actor = council_actor(request, council_slug)
    draft = access_draft(actor, draft_id)
    return {
        "id": draft.pk,
        "consultation_id": draft.consultation_id,
        "title": draft.title,
        "articles": [{"number": a.number, "label": a.label, "text": a.text} for a in draft.articles.all()],
    }


def comment_out(comment: Any, number: int) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "article_number": number,
        "author_name": comment.author_name,
        "is_expert": comment.expert_id is not None,
        "text": comment.text,
        "created_at": comment.created_at,
    }


@router.get(
    "/c/{council_slug}/drafts/{draft_id}/comments",
    response={200: list[ArticleCommentOut], **ERROR_RESPONSES},
)
def list_draft_comments(
    request: HttpRequest, council_slug: CouncilSlug, draft_id: ObjectId
) -> list[dict[str, Any]]:
    """Staff: every comment, by article; members: their own."""
    actor = council_actor(request, council_slug)
    draft = access_draft(actor, draft_id)
    staff = legislative_actions.can_manage_drafts(actor, draft.consultation)
    return [
        comment_out(c, article.number)
        for article, comments in legislative_actions.comments_by_article(draft)
        for c in comments
        if staff or c.user_id == actor.user.pk
    ]


@router.post(
    "/c/{council_slug}/drafts/{draft_id}/articles/{number}/comments",
    response={201: ArticleCommentOut, **WRITE_ERROR_RESPONSES},
)
def comment_on_draft_article(
    request: HttpRequest, council_slug: CouncilSlug, draft_id: ObjectId, number: int, payload: CommentIn
) -> Status[Any]:
    """Comment on article number (404 when the draft has no such article)."""
    actor = council_actor(request, council_slug)
    draft = access_draft(actor, draft_id)
    comment = legislative_actions.comment_on_article(draft, number=number, text=payload.text, actor=actor)
    return Status(201, comment_out(comment, number))


def _theme_rows(rows: list[continuity_actions.ThemeYears]) -> list[dict[str, Any]]:
    return [
        {"name": t.name, "counts": t.counts, "longest_run": t.run, "run_until": t.run_until} for t in rows
    ]


@router.get("/c/{council_slug}/themes/continuity", response={200: ContinuityOut, **ERROR_RESPONSES})
def get_theme_continuity(request: HttpRequest, council_slug: CouncilSlug) -> dict[str, Any]:
    """Each theme's items per year and its longest run of consecutive years;
    for an upper council, its lower councils' themes as counts."""
    actor = council_actor(request, council_slug, Perm.VIEW_CONSULTATIONS)
    result = continuity_actions.continuity(actor)
    return {
        "years": result.years,
        "themes": _theme_rows(result.themes),
        "lower_councils": [{"council": c.name, "themes": _theme_rows(rows)} for c, rows in result.lower],
    }


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


def sent_invitation_out(invitation: JointInvitation) -> dict[str, Any]:
    count = getattr(invitation, "participant_count", None)
    return {
        "id": invitation.pk,
        "lower_council": {"id": invitation.lower_council.pk, "name": invitation.lower_council.name},
        "status": invitation.status,
        "invited_at": invitation.invited_at,
        "accepted_at": invitation.accepted_at,
        "participant_count": invitation.members.count() if count is None else count,
    }


def joint_invitation_out(invitation: JointInvitation) -> dict[str, Any]:
    consultation = invitation.consultation
    return {
        "id": invitation.pk,
        "upper_council": invitation.council.name,
        "status": invitation.status,
        "invited_at": invitation.invited_at,
        "accepted_at": invitation.accepted_at,
        "topic": consultation.topic,
        "kind": consultation.kind,
        "consultation_status": consultation.status,
        "starts_at": consultation.starts_at,
        "place": consultation.place,
    }


def joint_invitation_detail_out(invitation: JointInvitation, actor: Actor) -> dict[str, Any]:
    staff = actor.has(Perm.VIEW_CONSULTATIONS)
    members = invitation.members.order_by("full_name", "pk") if staff else []
    return {
        **joint_invitation_out(invitation),
        "description": invitation.consultation.description,
        "materials": [attachment_out(a) for a in attachments_of(invitation.consultation)],
        "participants": [{"id": m.pk, "full_name": m.full_name} for m in members],
        "may_accept": actor.has(Perm.MANAGE_CONSULTATIONS),
    }


def _sent_invitations(consultation: Consultation) -> Any:
    return (
        JointInvitation.objects.filter(council=consultation.council_id, consultation=consultation)
        .select_related("lower_council")
        .annotate(participant_count=Count("members"))
        .order_by("lower_council__name", "pk")
    )


@router.get(
    "/c/{council_slug}/consultations/{consultation_id}/joint-invitations",
    response={200: list[SentInvitationOut], **ERROR_RESPONSES},
)
def list_sent_joint_invitations(
    request: HttpRequest, council_slug: CouncilSlug, consultation_id: ObjectId
) -> list[dict[str, Any]]:
    """The lower councils invited to a consultation, and which have accepted."""
    actor = council_actor(request, council_slug, Perm.VIEW_CONSULTATIONS)
    consultation = access_consultation(actor, consultation_id)
    return [sent_invitation_out(i) for i in _sent_invitations(consultation)]


@router.post(
    "/c/{council_slug}/consultations/{consultation_id}/joint-invitations",
    response={201: SentInvitationOut, **WRITE_ERROR_RESPONSES},
)
def invite_lower_council_to_consultation(
    request: HttpRequest, council_slug: CouncilSlug, consultation_id: ObjectId, payload: JointInviteIn
) -> Status[Any]:
    """Invite one of this council's lower councils; its staff are told in
    its own space. Inviting the same council twice is a conflict."""
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    consultation = access_consultation(actor, consultation_id)
    # Any other council (missing, foreign, inactive) gets the same answer.
    lower = Council.objects.filter(pk=payload.lower_council_id, parent=actor.council, is_active=True).first()
    if lower is None:
        raise ValidationError({"lower_council_id": _("Choose one of this council's lower councils.")})
    invitation = joint_actions.invite_lower_council(consultation, lower=lower, actor=actor)
    return Status(201, sent_invitation_out(_sent_invitations(consultation).get(pk=invitation.pk)))


def _received_invitations(actor: Actor, scope: JointScope) -> Any:
    if scope == JointScope.MINE:
        return my_joint_invitations(actor)
    if scope == JointScope.UPCOMING:
        return upcoming_joint_invitations(actor, timezone.now())
    if scope == JointScope.TO_ACCEPT:
        return joint_invitations_to_accept(actor)
    return joint_invitations_for(actor)


@router.get(
    "/c/{council_slug}/joint-invitations", response={200: Page[JointInvitationOut], **ERROR_RESPONSES}
)
def list_joint_invitations(
    request: HttpRequest, council_slug: CouncilSlug, query: Query[JointInvitationQuery]
) -> dict[str, Any]:
    """Upper councils' consultations this council was invited to: staff and
    leaders see every invitation, members the accepted ones naming them."""
    actor = council_actor(request, council_slug)
    require(actor.has(Perm.VIEW_CONSULTATIONS) or actor.has(Perm.SPEAK_AT_CONSULTATIONS))
    return paginate(_received_invitations(actor, query.scope), query, joint_invitation_out)


@router.get(
    "/c/{council_slug}/joint-invitations/{invitation_id}",
    response={200: JointInvitationDetailOut, **ERROR_RESPONSES},
)
def get_joint_invitation(
    request: HttpRequest, council_slug: CouncilSlug, invitation_id: ObjectId
) -> dict[str, Any]:
    """One invitation with its consultation and the list of materials."""
    actor = council_actor(request, council_slug)
    return joint_invitation_detail_out(access_joint_invitation(actor, invitation_id), actor)


@router.get(
    "/c/{council_slug}/joint-invitations/{invitation_id}/materials/{material_id}",
    response={200: None, **ERROR_RESPONSES},
    openapi_extra={
        "responses": {200: {"description": "The material file.", "content": {"application/octet-stream": {}}}}
    },
)
def download_joint_material(
    request: HttpRequest, council_slug: CouncilSlug, invitation_id: ObjectId, material_id: ObjectId
) -> FileResponse:
    """Download a material of the consultation, for whoever may see the invitation."""
    actor = council_actor(request, council_slug)
    invitation = access_joint_invitation(actor, invitation_id)
    material = attachments_of(invitation.consultation).filter(pk=material_id).first()
    if material is None:
        raise Http404
    return attachment_response(material)


@router.post(
    "/c/{council_slug}/joint-invitations/{invitation_id}/accept",
    response={200: JointInvitationDetailOut, **WRITE_ERROR_RESPONSES},
)
def accept_joint_invitation(
    request: HttpRequest, council_slug: CouncilSlug, invitation_id: ObjectId, payload: JointAcceptIn
) -> dict[str, Any]:
    """Accept and name the participants (this council's active members); the
    named members are told. Sending again replaces the participants."""
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    invitation = access_joint_invitation(actor, invitation_id)
    wanted = list(dict.fromkeys(payload.member_ids))
    if not wanted:
        raise ValidationError({"member_ids": _("Name at least one participant.")})
    found = {m.pk: m for m in Member.objects.filter(council=actor.council, is_active=True, pk__in=wanted)}
    if len(found) != len(wanted):
        raise ValidationError({"member_ids": _("Choose from this council's own list.")})
    invitation = joint_actions.accept_joint(invitation, members=[found[pk] for pk in wanted], actor=actor)
    return joint_invitation_detail_out(access_joint_invitation(actor, invitation.pk), actor)


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


def tagged_item_out(item: TaggedItem) -> dict[str, Any]:
    return {
        "kind": item.kind.key,
        "id": item.obj.pk,
        "title": item.title,
        "year": item.year,
        "tags": [{"id": t.pk, "name": t.theme.name, "year": t.year} for t in tags_of(item.obj)],
    }


@router.get("/c/{council_slug}/themes", response={200: list[str], **ERROR_RESPONSES})
def list_themes(request: HttpRequest, council_slug: CouncilSlug) -> list[str]:
    """The council's theme names, to choose from when tagging."""
    actor = council_actor(request, council_slug, Perm.VIEW_CONSULTATIONS)
    return list(themes_of_council(actor.council).values_list("name", flat=True))


@router.get("/c/{council_slug}/theme-tags/{kind}/{item_id}", response={200: TaggedItemOut, **ERROR_RESPONSES})
def get_item_themes(
    request: HttpRequest, council_slug: CouncilSlug, kind: TaggableKey, item_id: ObjectId
) -> dict[str, Any]:
    """The themes a filed proposal (kind=proposal) or opinion report
    (kind=opinion) is tagged with, for the staff who tag them."""
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    return tagged_item_out(access_taggable(actor, kind, item_id))


@router.post(
    "/c/{council_slug}/theme-tags/{kind}/{item_id}", response={200: TaggedItemOut, **WRITE_ERROR_RESPONSES}
)
def tag_item_with_themes(
    request: HttpRequest, council_slug: CouncilSlug, kind: TaggableKey, item_id: ObjectId, payload: TagIn
) -> dict[str, Any]:
    """Tag an item with themes, creating the names the council does not have
    yet; a theme the item already has is kept once."""
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    item = access_taggable(actor, kind, item_id)
    continuity_actions.tag_item(item.obj, year=item.year, names=payload.names, actor=actor)
    return tagged_item_out(item)


@router.post(
    "/c/{council_slug}/theme-tags/{kind}/{item_id}/{tag_id}/remove",
    response={200: TaggedItemOut, **WRITE_ERROR_RESPONSES},
)
def untag_item_theme(
    request: HttpRequest, council_slug: CouncilSlug, kind: TaggableKey, item_id: ObjectId, tag_id: ObjectId
) -> dict[str, Any]:
    """Remove one theme (by its tag id) from an item."""
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    item = access_taggable(actor, kind, item_id)
    tag = tags_of(item.obj).filter(pk=tag_id).first()
    if tag is None:
        raise Http404
    continuity_actions.untag_item(tag, actor=actor)
    return tagged_item_out(item)
