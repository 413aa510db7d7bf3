"""Outcomes: written, sent to the oversight offices, instructed on and
followed up until adopted."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from xieshang.consultations.actions import outcomes as outcome_actions
from xieshang.consultations.api.answers import InstructionOut, OutcomeDetailOut, OutcomeOut, YearReportOut
from xieshang.consultations.api.schemas import AdoptionIn, FollowUpIn, InstructionIn, OutcomeIn, SendIn
from xieshang.consultations.models import Outcome
from xieshang.consultations.queries import (
    YearReport,
    access_consultation,
    access_outcome,
    office_outcomes,
    outcomes_of_council,
    year_report,
)
from xieshang.core.api import ERROR_RESPONSES, WRITE_ERROR_RESPONSES, ObjectId, Page, PageQuery, paginate
from xieshang.councils.api.schemas import CouncilSlug
from xieshang.councils.api.scoping import council_actor
from xieshang.councils.models import OversightOffice
from xieshang.councils.queries import council_rows
from xieshang.councils.roles import Actor, Perm

router = Router()


def _reread(outcome: Outcome) -> Outcome:
    """The outcome as stored now: an action may have changed it through another instance."""
    outcome.refresh_from_db()
    return outcome


def _outcome_for(actor: Actor, outcome_id: int) -> Outcome:
    """Staff and leaders read any outcome; office users those sent to them."""
    if actor.has(Perm.VIEW_CONSULTATIONS):
        return access_outcome(actor, outcome_id)
    row = office_outcomes(actor).filter(pk=outcome_id).first()
    if row is None:
        raise Http404
    return row


class YearQuery(Schema):
    year: Annotated[int, Field(ge=2000, le=2100)] | None = None


@router.get(
    "/c/{council_slug}/consultation-outcomes/year-report", response={200: YearReportOut, **ERROR_RESPONSES}
)
def get_consultation_year_report(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[YearQuery]
) -> YearReport:
    """A year's consultations and what became of their outcomes, the same as
    the year-end report page (this year when no year is given)."""
    actor = council_actor(request, council_slug, Perm.VIEW_CONSULTATIONS)
    return year_report(actor.council, filters.year or timezone.localdate().year)


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
    return paginate(rows, query)


@router.get(
    "/c/{council_slug}/consultation-outcomes/{outcome_id}",
    response={200: OutcomeDetailOut, **ERROR_RESPONSES},
)
def get_consultation_outcome(
    request: HttpRequest, council_slug: CouncilSlug, outcome_id: ObjectId
) -> Outcome:
    actor = council_actor(request, council_slug)
    return _reread(_outcome_for(actor, outcome_id))


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
    return Status(201, _reread(outcome))


@router.post(
    "/c/{council_slug}/consultation-outcomes/{outcome_id}/send",
    response={200: OutcomeDetailOut, **WRITE_ERROR_RESPONSES},
)
def send_consultation_outcome(
    request: HttpRequest, council_slug: CouncilSlug, outcome_id: ObjectId, payload: SendIn
) -> Outcome:
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    offices = council_rows(actor, OversightOffice, payload.office_ids)
    outcome = outcome_actions.send_outcome(access_outcome(actor, outcome_id), offices=offices, actor=actor)
    return _reread(outcome)


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
    return Status(201, row)


@router.post(
    "/c/{council_slug}/consultation-outcomes/{outcome_id}/adoption",
    response={200: OutcomeDetailOut, **WRITE_ERROR_RESPONSES},
)
def record_consultation_outcome_adoption(
    request: HttpRequest, council_slug: CouncilSlug, outcome_id: ObjectId, payload: AdoptionIn
) -> Outcome:
    """Record what became of an outcome (evidence files are added on the page)."""
    actor = council_actor(request, council_slug, Perm.INSTRUCT_OUTCOMES)
    outcome = outcome_actions.record_adoption(
        _outcome_for(actor, outcome_id),
        adoption=payload.adoption,
        note=payload.note,
        follow_up_on=payload.follow_up_on,
        actor=actor,
    )
    return _reread(outcome)


@router.post(
    "/c/{council_slug}/consultation-outcomes/{outcome_id}/follow-up",
    response={200: OutcomeDetailOut, **WRITE_ERROR_RESPONSES},
)
def set_consultation_outcome_follow_up(
    request: HttpRequest, council_slug: CouncilSlug, outcome_id: ObjectId, payload: FollowUpIn
) -> Outcome:
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    outcome = outcome_actions.set_follow_up(
        access_outcome(actor, outcome_id), follow_up_on=payload.follow_up_on, actor=actor
    )
    return _reread(outcome)
