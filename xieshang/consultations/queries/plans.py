"""Consultation plans, their items and suggestions."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from xieshang.consultations import permissions as can
from xieshang.consultations.models import Consultation, ConsultationPlan, PlanItem, PlanSuggestion
from xieshang.consultations.states import HELD_STATUSES, PlanStatus
from xieshang.councils.models import Council
from xieshang.councils.roles import Actor, Perm


def plans_of_council(actor: Actor) -> QuerySet[ConsultationPlan]:
    if not actor.has(Perm.VIEW_CONSULTATION_PLANS):
        return ConsultationPlan.objects.none()
    rows = ConsultationPlan.objects.filter(council=actor.council)
    if not (actor.has(Perm.MANAGE_CONSULTATIONS) or actor.has(Perm.APPROVE_CONSULTATION_PLANS)):
        rows = rows.exclude(status=PlanStatus.DRAFT)
    return rows.annotate(item_count=Count("items", filter=Q(items__is_withdrawn=False))).order_by("-year")


def access_plan(actor: Actor, plan_id: int) -> ConsultationPlan:
    plan = ConsultationPlan.objects.filter(council=actor.council, pk=plan_id).first()
    if plan is None or not can.can_view_plan(actor, plan):
        raise Http404
    return plan


def _held(item_ref: str = "pk") -> Exists:
    return Exists(Consultation.objects.filter(plan_item=OuterRef(item_ref), status__in=HELD_STATUSES))


def plan_items(plan: ConsultationPlan) -> QuerySet[PlanItem]:
    """The plan's items in order, with whether their consultation was held."""
    return (
        PlanItem.objects.filter(plan=plan)
        .select_related("lead_committee", "partner_unit")
        .prefetch_related("themes")
        .annotate(is_held=_held())
        .order_by("position", "id")
    )


def access_plan_item(actor: Actor, plan: ConsultationPlan, item_id: int) -> PlanItem:
    item = PlanItem.objects.filter(plan=plan, council=actor.council, pk=item_id).first()
    if item is None:
        raise Http404
    return item


def access_plan_item_any(actor: Actor, item_id: int) -> PlanItem:
    """A plan item of the council (from any of its plans) that staff may
    start a consultation from."""
    item = (
        PlanItem.objects.filter(council=actor.council, pk=item_id, is_withdrawn=False)
        .select_related("plan")
        .first()
    )
    if item is None or not can.can_view_plan(actor, item.plan):
        raise Http404
    return item


def plan_suggestions(plan: ConsultationPlan) -> QuerySet[PlanSuggestion]:
    return PlanSuggestion.objects.filter(plan=plan).select_related("item", "office", "author", "decided_by")


def access_suggestion(actor: Actor, plan: ConsultationPlan, suggestion_id: int) -> PlanSuggestion:
    row = plan_suggestions(plan).filter(council=actor.council, pk=suggestion_id).first()
    if row is None:
        raise Http404
    return row


def undecided_items(council: Council, today: dt.date) -> QuerySet[PlanItem]:
    """ "Consult before deciding": items of approved or issued plans whose
    decision date has passed without their consultation being held."""
    return (
        PlanItem.objects.filter(
            council=council,
            is_withdrawn=False,
            decision_expected_on__lt=today,
            plan__status__in=(PlanStatus.APPROVED, PlanStatus.ISSUED),
        )
        .annotate(is_held=_held())
        .filter(is_held=False)
        .select_related("plan", "lead_committee", "partner_unit")
        .order_by("decision_expected_on", "id")
    )


def flagged_items(actor: Actor, today: dt.date) -> QuerySet[PlanItem]:
    """undecided_items, for the staff and leaders who are told about them."""
    if not (actor.has(Perm.VIEW_CONSULTATIONS) and actor.has(Perm.VIEW_CONSULTATION_PLANS)):
        return PlanItem.objects.none()
    return undecided_items(actor.council, today)
