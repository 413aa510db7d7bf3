"""Yearly consultation plans and their items: drafting, revision by the
offices, approval and issue."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from xieshang.consultations.actions import plans as plan_actions
from xieshang.consultations.api.answers import PlanDetailOut, PlanOut, SuggestionOut
from xieshang.consultations.api.schemas import ApprovalIn, IssueIn, PlanIn, PlanItemIn, SuggestionIn
from xieshang.consultations.models import ConsultationPlan
from xieshang.consultations.queries import access_plan, access_plan_item, plans_of_council
from xieshang.core.api import ERROR_RESPONSES, WRITE_ERROR_RESPONSES, ObjectId, Page, PageQuery, paginate
from xieshang.councils.api.schemas import CouncilSlug
from xieshang.councils.api.scoping import council_actor
from xieshang.councils.models import HandlingUnit, SpecialCommittee
from xieshang.councils.queries import council_row
from xieshang.councils.roles import Actor, Perm

router = Router()


def _reread(plan: ConsultationPlan) -> ConsultationPlan:
    """The plan as stored now: an action may have changed it through another instance."""
    plan.refresh_from_db()
    return plan


@router.get("/c/{council_slug}/consultation-plans", response={200: Page[PlanOut], **ERROR_RESPONSES})
def list_consultation_plans(
    request: HttpRequest, council_slug: CouncilSlug, query: Query[PageQuery]
) -> dict[str, Any]:
    """The council's yearly plans, newest first (the offices see them from revision on)."""
    actor = council_actor(request, council_slug, Perm.VIEW_CONSULTATION_PLANS)
    return paginate(plans_of_council(actor), query)


@router.get(
    "/c/{council_slug}/consultation-plans/{plan_id}", response={200: PlanDetailOut, **ERROR_RESPONSES}
)
def get_consultation_plan(
    request: HttpRequest, council_slug: CouncilSlug, plan_id: ObjectId
) -> ConsultationPlan:
    actor = council_actor(request, council_slug, Perm.VIEW_CONSULTATION_PLANS)
    return _reread(access_plan(actor, plan_id))


@router.post("/c/{council_slug}/consultation-plans", response={201: PlanDetailOut, **WRITE_ERROR_RESPONSES})
def create_consultation_plan(request: HttpRequest, council_slug: CouncilSlug, payload: PlanIn) -> Status[Any]:
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    plan = plan_actions.create_plan(year=payload.year, title=payload.title, actor=actor)
    return Status(201, _reread(plan))


def _item_values(actor: Actor, payload: PlanItemIn) -> plan_actions.ItemValues:
    return plan_actions.ItemValues(
        topic=payload.topic,
        kind=payload.kind,
        quarter=payload.quarter,
        lead_committee=council_row(actor, SpecialCommittee, payload.lead_committee_id),
        partner_unit=council_row(actor, HandlingUnit, payload.partner_unit_id),
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
    return Status(201, _reread(plan))


@router.put(
    "/c/{council_slug}/consultation-plans/{plan_id}/items/{item_id}",
    response={200: PlanDetailOut, **WRITE_ERROR_RESPONSES},
)
def change_consultation_plan_item(
    request: HttpRequest, council_slug: CouncilSlug, plan_id: ObjectId, item_id: ObjectId, payload: PlanItemIn
) -> ConsultationPlan:
    """Change an item; once the plan is issued, reason is required."""
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    plan = access_plan(actor, plan_id)
    item = access_plan_item(actor, plan, item_id)
    plan_actions.save_plan_item(
        plan, item=item, values=_item_values(actor, payload), reason=payload.reason, actor=actor
    )
    return _reread(plan)


@router.post(
    "/c/{council_slug}/consultation-plans/{plan_id}/revision",
    response={200: PlanDetailOut, **WRITE_ERROR_RESPONSES},
)
def send_consultation_plan_for_revision(
    request: HttpRequest, council_slug: CouncilSlug, plan_id: ObjectId
) -> ConsultationPlan:
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    plan = plan_actions.send_plan_for_revision(access_plan(actor, plan_id), actor=actor)
    return _reread(plan)


@router.post(
    "/c/{council_slug}/consultation-plans/{plan_id}/approve",
    response={200: PlanDetailOut, **WRITE_ERROR_RESPONSES},
)
def approve_consultation_plan(
    request: HttpRequest, council_slug: CouncilSlug, plan_id: ObjectId, payload: ApprovalIn
) -> ConsultationPlan:
    """Record the chair meeting's approval (leaders)."""
    actor = council_actor(request, council_slug, Perm.APPROVE_CONSULTATION_PLANS)
    plan = plan_actions.approve_plan(
        access_plan(actor, plan_id), approved_on=payload.approved_on, note=payload.note, actor=actor
    )
    return _reread(plan)


@router.post(
    "/c/{council_slug}/consultation-plans/{plan_id}/issue",
    response={200: PlanDetailOut, **WRITE_ERROR_RESPONSES},
)
def issue_consultation_plan(
    request: HttpRequest, council_slug: CouncilSlug, plan_id: ObjectId, payload: IssueIn
) -> ConsultationPlan:
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    plan = plan_actions.issue_plan(
        access_plan(actor, plan_id),
        issued_on=payload.issued_on,
        document_number=payload.document_number,
        actor=actor,
    )
    return _reread(plan)


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
    return Status(201, row)
