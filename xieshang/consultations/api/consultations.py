"""Consultations: setting one up, its participants, the notice, holding it
and the minutes."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from xieshang.consultations.actions import consultations as consultation_actions
from xieshang.consultations.api.answers import ConsultationOut, ParticipantOut
from xieshang.consultations.api.schemas import (
    ConsultationFilterQuery,
    ConsultationIn,
    HeldIn,
    MinutesIn,
    ParticipantIn,
)
from xieshang.consultations.models import Consultation
from xieshang.consultations.queries import (
    ConsultationFilters,
    access_consultation,
    access_plan_item_any,
    consultations_of_council,
    my_consultations,
)
from xieshang.core.api import ERROR_RESPONSES, WRITE_ERROR_RESPONSES, ObjectId, Page, paginate
from xieshang.councils.api.schemas import CouncilSlug
from xieshang.councils.api.scoping import council_actor
from xieshang.councils.models import HandlingUnit, Member, SpecialCommittee
from xieshang.councils.queries import council_row
from xieshang.councils.roles import Perm

router = Router()


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
    return paginate(rows.prefetch_related("themes"), filters)


@router.get(
    "/c/{council_slug}/consultations/{consultation_id}", response={200: ConsultationOut, **ERROR_RESPONSES}
)
def get_consultation(
    request: HttpRequest, council_slug: CouncilSlug, consultation_id: ObjectId
) -> Consultation:
    actor = council_actor(request, council_slug)
    return access_consultation(actor, consultation_id)


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
            lead_committee=council_row(actor, SpecialCommittee, payload.lead_committee_id),
            themes=payload.themes,
        ),
        plan_item=item,
        actor=actor,
    )
    return Status(201, consultation)


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
        member=council_row(actor, Member, payload.member_id),
        handling_unit=council_row(actor, HandlingUnit, payload.handling_unit_id),
        name=payload.name,
        organisation=payload.organisation,
        phone=payload.phone,
        email=payload.email,
        actor=actor,
    )
    return Status(201, row)


@router.post(
    "/c/{council_slug}/consultations/{consultation_id}/notice",
    response={200: ConsultationOut, **WRITE_ERROR_RESPONSES},
)
def send_consultation_notice(
    request: HttpRequest, council_slug: CouncilSlug, consultation_id: ObjectId
) -> Consultation:
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    consultation = consultation_actions.send_notice(access_consultation(actor, consultation_id), actor=actor)
    return consultation


@router.post(
    "/c/{council_slug}/consultations/{consultation_id}/held",
    response={200: ConsultationOut, **WRITE_ERROR_RESPONSES},
)
def mark_consultation_held(
    request: HttpRequest, council_slug: CouncilSlug, consultation_id: ObjectId, payload: HeldIn
) -> Consultation:
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    consultation = consultation_actions.mark_held(
        access_consultation(actor, consultation_id), held_on=payload.held_on, actor=actor
    )
    return consultation


@router.post(
    "/c/{council_slug}/consultations/{consultation_id}/minutes",
    response={200: ConsultationOut, **WRITE_ERROR_RESPONSES},
)
def send_consultation_minutes(
    request: HttpRequest, council_slug: CouncilSlug, consultation_id: ObjectId, payload: MinutesIn
) -> Consultation:
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    consultation = consultation_actions.send_minutes(
        access_consultation(actor, consultation_id), minutes=payload.minutes, actor=actor
    )
    return consultation
