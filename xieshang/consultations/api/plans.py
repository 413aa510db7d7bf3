"""Yearly consultation plans and their items: drafting, revision by the
offices, approval and issue."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from xieshang.consultations.actions import plans as plan_actions
from xieshang.consultations.api.schemas import (
    ApprovalIn,
    IssueIn,
    PlanDetailOut,
    PlanIn,
    PlanItemIn,
    PlanOut,
    SuggestionIn,
    SuggestionOut,
)
from xieshang.consultations.models import ConsultationPlan, PlanItem
from xieshang.consultations.queries import access_plan, access_plan_item, plan_items, plans_of_council
from xieshang.core.api import ERROR_RESPONSES, WRITE_ERROR_RESPONSES, ObjectId, Page, PageQuery, paginate
from xieshang.councils.api.schemas import CouncilSlug
from xieshang.councils.api.scoping import council_actor
from xieshang.councils.models import HandlingUnit, SpecialCommittee
from xieshang.councils.queries import council_row
from xieshang.councils.roles import Actor, Perm

router = Router()


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
