"""The yearly consultation plan: drafting items, revision with the party-
committee and government offices, the chair meeting's approval, the joint
issue, and amendments (with their reason) after the issue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.consultations import permissions as can
from xieshang.consultations.actions.common import (
    office_users,
    plan_url,
    same_council,
    users_with_role,
)
from xieshang.consultations.models import ConsultationPlan, PlanAmendment, PlanItem, PlanSuggestion
from xieshang.consultations.states import (
    AmendmentKind,
    ConsultationKind,
    EventType,
    PlanStatus,
    SuggestionStatus,
    ensure_plan_transition,
    ensure_suggestion_transition,
)
from xieshang.core.errors import Conflict, require
from xieshang.core.events import history
from xieshang.core.notifications import notify
from xieshang.core.states import ensure_state
from xieshang.core.versions import save_new_version
from xieshang.councils.models import HandlingUnit, Role, SpecialCommittee
from xieshang.councils.roles import Actor
from xieshang.themes.actions import themes_named


@dataclass(frozen=True)
class ItemValues:
    topic: str
    kind: str
    quarter: int
    lead_committee: SpecialCommittee | None = None
    partner_unit: HandlingUnit | None = None
    decision_expected_on: dt.date | None = None
    note: str = ""
    themes: Sequence[str] = field(default_factory=tuple)


def _lock(plan: ConsultationPlan) -> ConsultationPlan:
    return ConsultationPlan.objects.select_for_update(of=("self",)).select_related("council").get(pk=plan.pk)


@transaction.atomic
def create_plan(*, year: int, title: str, actor: Actor) -> ConsultationPlan:
    """Start the council's plan for year. Raise Conflict when it exists."""
    require(can.can_create_plan(actor))
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Enter a year such as 2026.")})
    if ConsultationPlan.objects.filter(council=actor.council, year=year).exists():
        raise Conflict(_("There is already a consultation plan for %(year)s.") % {"year": year})
    plan = ConsultationPlan.objects.create(
        council=actor.council,
        year=year,
        title=title.strip()[:100] or _("Consultation plan for %(year)s") % {"year": year},
        created_by=actor.user,
    )
    history(plan, EventType.PLAN_CREATED, actor, year=year)
    return plan


def _clean_values(actor: Actor, values: ItemValues) -> ItemValues:
    errors: dict[str, str] = {}
    if not values.topic.strip():
        errors["topic"] = _("Enter the topic.")
    if values.kind not in ConsultationKind.values:
        errors["kind"] = _("Choose the kind of consultation.")
    if values.quarter not in (1, 2, 3, 4):
        errors["quarter"] = _("Choose a quarter from 1 to 4.")
    if errors:
        raise ValidationError(errors)
    same_council(actor, "lead_committee", values.lead_committee)
    same_council(actor, "partner_unit", values.partner_unit)
    return values


def _item_snapshot(item: PlanItem) -> dict[str, object]:
    return {
        "topic": item.topic,
        "kind": item.kind,
        "quarter": item.quarter,
        "lead_committee": item.lead_committee.name if item.lead_committee else "",
        "partner_unit": item.partner_unit.name if item.partner_unit else "",
        "decision_expected_on": item.decision_expected_on.isoformat() if item.decision_expected_on else "",
        "note": item.note,
        "themes": sorted(t.name for t in item.themes.all()),
    }


def _require_reason(plan: ConsultationPlan, reason: str) -> str:
    """An issued plan changes only with a recorded reason."""
    reason = reason.strip()
    if plan.status == PlanStatus.ISSUED and not reason:
        raise ValidationError(
            {"reason": _("This plan has been issued: give the reason for the change, for the record.")}
        )
    return reason[:300]


@transaction.atomic
def save_plan_item(
    plan: ConsultationPlan,
    *,
    values: ItemValues,
    actor: Actor,
    item: PlanItem | None = None,
    reason: str = "",
) -> PlanItem:
    """Add an item to the plan (item None) or change one.

    Raise PermissionDenied unless actor is staff of the plan's council and
    the plan is a draft, in revision or issued; ValidationError for bad
    values, and when the plan is issued and no reason is given.
    """
    plan = _lock(plan)
    require(can.can_edit_items(actor, plan))
    values = _clean_values(actor, values)
    reason = _require_reason(plan, reason)
    before: dict[str, object] = {}
    if item is None:
        position = (PlanItem.objects.filter(plan=plan).aggregate(m=Max("position"))["m"] or 0) + 1
        item = PlanItem(plan=plan, council=actor.council, position=position)
    else:
        item = PlanItem.objects.select_for_update().get(pk=item.pk, plan=plan)
        if item.is_withdrawn:
            raise Conflict(_("This item was withdrawn from the plan."))
        before = _item_snapshot(item)
    is_new = item.pk is None
    item.topic = values.topic.strip()[:100]
    item.kind = values.kind
    item.quarter = values.quarter
    item.lead_committee = values.lead_committee
    item.partner_unit = values.partner_unit
    item.decision_expected_on = values.decision_expected_on
    item.note = values.note.strip()[:300]
    item.save()
    item.themes.set(themes_named(actor, values.themes))
    after = _item_snapshot(item)
    changes = {k: [before.get(k, ""), v] for k, v in after.items() if before.get(k, "") != v}
    if plan.status == PlanStatus.ISSUED:
        PlanAmendment.objects.create(
            council=actor.council,
            plan=plan,
            item=item,
            kind=AmendmentKind.ADDED if is_new else AmendmentKind.CHANGED,
            reason=reason,
            changes=changes,
            made_by=actor.user,
        )
    event = EventType.PLAN_ITEM_ADDED if is_new else EventType.PLAN_ITEM_CHANGED
    history(plan, event, actor, item=item.pk, topic=item.topic, reason=reason, changes=sorted(changes))
    save_new_version(plan, update_fields=["updated_at"])
    return item


@transaction.atomic
def remove_plan_item(plan: ConsultationPlan, *, item: PlanItem, actor: Actor, reason: str = "") -> None:
    """Delete an item from a plan being drafted or revised; withdraw it (kept,
    struck through, with the reason) from an issued plan."""
    plan = _lock(plan)
    require(can.can_edit_items(actor, plan))
    reason = _require_reason(plan, reason)
    item = PlanItem.objects.select_for_update().get(pk=item.pk, plan=plan)
    if plan.status == PlanStatus.ISSUED:
        if item.is_withdrawn:
            raise Conflict(_("This item was already withdrawn."))
        item.is_withdrawn = True
        item.save(update_fields=["is_withdrawn"])
        PlanAmendment.objects.create(
            council=actor.council,
            plan=plan,
            item=item,
            kind=AmendmentKind.WITHDRAWN,
            reason=reason,
            made_by=actor.user,
        )
    else:
        if item.consultations.exists():
            raise Conflict(_("A consultation was already set up from this item; it cannot be deleted."))
        item.delete()
    history(plan, EventType.PLAN_ITEM_WITHDRAWN, actor, topic=item.topic, reason=reason)
    save_new_version(plan, update_fields=["updated_at"])


@transaction.atomic
def send_plan_for_revision(plan: ConsultationPlan, *, actor: Actor) -> ConsultationPlan:
    """Open the draft to the party-committee and government offices."""
    plan = _lock(plan)
    ensure_plan_transition(plan.status, PlanStatus.IN_REVISION)
    require(can.can_send_for_revision(actor, plan))
    if not plan.items.exists():
        raise ValidationError(_("Add the plan's items before sending it to the offices."))
    plan.status = PlanStatus.IN_REVISION
    save_new_version(plan, update_fields=["status", "updated_at"])
    history(plan, EventType.PLAN_REVISION, actor)
    notify(
        recipients=office_users(actor.council),
        council=actor.council,
        title=_("Consultation plan for your comments: %(title)s") % {"title": plan.title},
        url=plan_url(plan),
        kind="consultations.plan_revision",
    )
    return plan


@transaction.atomic
def take_plan_back_to_draft(plan: ConsultationPlan, *, actor: Actor) -> ConsultationPlan:
    plan = _lock(plan)
    ensure_plan_transition(plan.status, PlanStatus.DRAFT)
    require(can.can_take_back_to_draft(actor, plan))
    plan.status = PlanStatus.DRAFT
    save_new_version(plan, update_fields=["status", "updated_at"])
    history(plan, EventType.PLAN_BACK_TO_DRAFT, actor)
    return plan


@transaction.atomic
def approve_plan(
    plan: ConsultationPlan, *, approved_on: dt.date, note: str, actor: Actor
) -> ConsultationPlan:
    """Record the chair meeting's approval on approved_on (not in the future).

    Raise Conflict while proposed changes from the offices wait for a decision."""
    plan = _lock(plan)
    ensure_plan_transition(plan.status, PlanStatus.APPROVED)
    require(can.can_approve_plan(actor, plan))
    if approved_on > timezone.localdate():
        raise ValidationError({"approved_on": _("The approval date cannot be in the future.")})
    if plan.suggestions.filter(status=SuggestionStatus.OPEN).exists():
        raise Conflict(_("Decide on every comment from the offices before the plan is approved."))
    plan.status = PlanStatus.APPROVED
    plan.approved_on = approved_on
    plan.approval_note = note.strip()[:200]
    save_new_version(plan, update_fields=["status", "approved_on", "approval_note", "updated_at"])
    history(
        plan, EventType.PLAN_APPROVED, actor, approved_on=approved_on.isoformat(), note=plan.approval_note
    )
    return plan


@transaction.atomic
def reopen_plan(plan: ConsultationPlan, *, actor: Actor) -> ConsultationPlan:
    """Take an approved (not yet issued) plan back into revision."""
    plan = _lock(plan)
    ensure_plan_transition(plan.status, PlanStatus.IN_REVISION)
    require(can.can_reopen_plan(actor, plan))
    plan.status = PlanStatus.IN_REVISION
    plan.approved_on = None
    save_new_version(plan, update_fields=["status", "approved_on", "updated_at"])
    history(plan, EventType.PLAN_REVISION, actor, reopened=True)
    return plan


@transaction.atomic
def issue_plan(
    plan: ConsultationPlan, *, issued_on: dt.date, document_number: str, actor: Actor
) -> ConsultationPlan:
    """Issue the approved plan as the joint document of the council, the
    party committee and the government; tell staff, leaders and offices."""
    plan = _lock(plan)
    ensure_plan_transition(plan.status, PlanStatus.ISSUED)
    require(can.can_issue_plan(actor, plan))
    if plan.approved_on and issued_on < plan.approved_on:
        raise ValidationError({"issued_on": _("A plan is issued on or after the day it was approved.")})
    plan.status = PlanStatus.ISSUED
    plan.issued_on = issued_on
    plan.document_number = document_number.strip()[:60]
    save_new_version(plan, update_fields=["status", "issued_on", "document_number", "updated_at"])
    history(plan, EventType.PLAN_ISSUED, actor, issued_on=issued_on.isoformat(), number=plan.document_number)
    notify(
        recipients=users_with_role(actor.council, Role.STAFF, Role.LEADER) + office_users(actor.council),
        council=actor.council,
        title=_("The consultation plan was issued: %(title)s") % {"title": plan.title},
        url=plan_url(plan),
        kind="consultations.plan_issued",
    )
    return plan


PROPOSABLE = ("topic", "kind", "quarter", "decision_expected_on")


@transaction.atomic
def suggest_plan_change(
    plan: ConsultationPlan,
    *,
    text: str,
    actor: Actor,
    item: PlanItem | None = None,
    proposed: dict[str, str] | None = None,
) -> PlanSuggestion:
    """An office user comments on an item (or on the plan) and may propose
    new values for it, or a new item (item None, proposed topic given)."""
    plan = _lock(plan)
    require(can.can_suggest(actor, plan))
    if item is not None and (item.plan_id != plan.pk or item.is_withdrawn):
        raise ValidationError({"item": _("Choose an item of this plan.")})
    wanted = {k: str(v).strip() for k, v in (proposed or {}).items() if k in PROPOSABLE and str(v).strip()}
    if not text.strip():
        raise ValidationError({"text": _("Write your comment.")})
    if "kind" in wanted and wanted["kind"] not in ConsultationKind.values:
        raise ValidationError({"kind": _("Choose the kind of consultation.")})
    if "quarter" in wanted and wanted["quarter"] not in {"1", "2", "3", "4"}:
        raise ValidationError({"quarter": _("Choose a quarter from 1 to 4.")})
    if "decision_expected_on" in wanted:
        try:
            dt.date.fromisoformat(wanted["decision_expected_on"])
        except ValueError as exc:
            raise ValidationError({"decision_expected_on": _("Enter a valid date.")}) from exc
    office_id = min(actor.oversight_office_ids)
    suggestion = PlanSuggestion.objects.create(
        council=actor.council,
        plan=plan,
        item=item,
        office_id=office_id,
        text=text.strip()[:3000],
        proposed=wanted,
        author=actor.user,
    )
    history(plan, EventType.SUGGESTION_MADE, actor, suggestion=suggestion.pk, proposed=sorted(wanted))
    notify(
        recipients=users_with_role(actor.council, Role.STAFF),
        council=actor.council,
        title=_("A comment on the consultation plan: %(title)s") % {"title": plan.title},
        url=plan_url(plan),
        kind="consultations.plan_suggestion",
    )
    return suggestion


def _apply(plan: ConsultationPlan, suggestion: PlanSuggestion, actor: Actor) -> None:
    proposed = suggestion.proposed
    if not proposed:
        return
    item = suggestion.item
    if item is None and not proposed.get("topic"):
        return
    decision = proposed.get("decision_expected_on")
    values = ItemValues(
        topic=proposed.get("topic") or (item.topic if item else ""),
        kind=proposed.get("kind") or (item.kind if item else ConsultationKind.TOPIC),
        quarter=int(proposed.get("quarter") or (item.quarter if item else 4)),
        lead_committee=item.lead_committee if item else None,
        partner_unit=item.partner_unit if item else None,
        decision_expected_on=(
            dt.date.fromisoformat(decision) if decision else (item.decision_expected_on if item else None)
        ),
        note=item.note if item else "",
        themes=[t.name for t in item.themes.all()] if item else (),
    )
    save_plan_item(plan, values=values, actor=actor, item=item)


@transaction.atomic
def decide_plan_suggestion(
    suggestion: PlanSuggestion, *, accept: bool, note: str, actor: Actor
) -> PlanSuggestion:
    """Accept (applying any proposed values to the plan) or reject an office's
    comment; a rejection says why. The office's users are told."""
    plan = _lock(suggestion.plan)
    suggestion = (
        PlanSuggestion.objects.select_for_update(of=("self",)).select_related("item").get(pk=suggestion.pk)
    )
    suggestion.plan = plan
    target = SuggestionStatus.ACCEPTED if accept else SuggestionStatus.REJECTED
    ensure_suggestion_transition(suggestion.status, target)
    ensure_state(plan.status, {PlanStatus.IN_REVISION})
    require(can.can_decide_suggestion(actor, suggestion))
    if not accept and not note.strip():
        raise ValidationError({"note": _("Say why the proposed change is not accepted.")})
    if accept:
        _apply(plan, suggestion, actor)
    suggestion.status = target
    suggestion.decided_by = actor.user
    suggestion.decided_at = timezone.now()
    suggestion.decision_note = note.strip()[:300]
    suggestion.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    history(
        plan,
        EventType.SUGGESTION_ACCEPTED if accept else EventType.SUGGESTION_REJECTED,
        actor,
        suggestion=suggestion.pk,
        note=suggestion.decision_note,
    )
    notify(
        recipients=office_users(actor.council, [suggestion.office_id]),
        council=actor.council,
        title=(
            _("Your comment on the consultation plan was accepted")
            if accept
            else _("Your comment on the consultation plan was not accepted")
        ),
        body=suggestion.decision_note,
        url=plan_url(plan),
        kind="consultations.plan_suggestion_decided",
    )
    return suggestion
