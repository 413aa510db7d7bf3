"""Assignment to handling units (交办), in one go or at an assignment meeting,
the units' objections, reassignment and deadline extensions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.errors import Conflict, require
from xieshang.core.events import history
from xieshang.core.versions import check_version, save_new_version
from xieshang.councils.models import HandlingUnit
from xieshang.councils.roles import Actor, Perm
from xieshang.proposals.actions.common import liaison_users, lock_proposal, staff_users, tell
from xieshang.proposals.deadlines import (
    contact_due_on,
    helper_opinion_due_on,
    latest_allowed_due_on,
    objection_due_on,
    reply_due_on,
)
from xieshang.proposals.models import Assignment, Proposal
from xieshang.proposals.permissions import (
    can_approve_extension,
    can_assign,
    can_object,
    can_reassign,
    is_unit_of,
)
from xieshang.proposals.states import (
    HANDLING,
    HELPER_ROLES,
    AssignmentRole,
    EventType,
    ProposalStatus,
    ensure_proposal_transition,
)


@dataclass(frozen=True)
class UnitRole:
    unit: HandlingUnit
    role: str


def validate_units(proposal: Proposal, units: Sequence[UnitRole]) -> None:
    """Raise ValidationError unless units form one of the modes: one unit;
    split (every unit replies); or one lead with assisting / joint units."""
    if not units:
        raise ValidationError({"units": _("Choose at least one handling unit.")})
    ids = [u.unit.pk for u in units]
    if len(set(ids)) != len(ids):
        raise ValidationError({"units": _("Each unit may be chosen once.")})
    if any(u.unit.council_id != proposal.council_id for u in units):
        raise ValidationError({"units": _("Choose handling units of this council.")})
    roles = [u.role for u in units]
    if any(role not in AssignmentRole.values for role in roles):
        raise ValidationError({"units": _("Choose a role for every unit.")})
    leads = roles.count(AssignmentRole.LEAD)
    splits = roles.count(AssignmentRole.SPLIT)
    if splits and splits != len(roles):
        raise ValidationError(
            {"units": _("In split handling every unit replies: do not mix split with other roles.")}
        )
    if not splits and leads != 1:
        raise ValidationError(
            {"units": _("Name exactly one lead unit; the others assist or handle jointly.")}
        )


def _new_assignment(proposal: Proposal, item: UnitRole, assigned_on: dt.date) -> Assignment:
    council = proposal.council
    return Assignment.objects.create(
        council=council,
        proposal=proposal,
        unit=item.unit,
        role=item.role,
        assigned_on=assigned_on,
        due_on=reply_due_on(council, assigned_on),
        objection_due_on=objection_due_on(council, assigned_on),
        contact_due_on=contact_due_on(council, assigned_on),
        helper_opinion_due_on=helper_opinion_due_on(council, assigned_on)
        if item.role in HELPER_ROLES
        else None,
    )


@transaction.atomic
def assign_proposal(
    proposal: Proposal,
    *,
    actor: Actor,
    units: Sequence[UnitRole],
    assigned_on: dt.date,
    expected_version: int | None = None,
) -> Proposal:
    """Hand an accepted proposal to handling units, due reply_due_months later.

    Raise PermissionDenied unless actor may assign, InvalidTransition unless
    the proposal is accepted, ValidationError for an impossible set of units.
    """
    proposal = lock_proposal(proposal, actor)
    require(actor.has(Perm.ASSIGN_PROPOSALS))
    check_version(proposal, expected_version)
    ensure_proposal_transition(proposal.status, ProposalStatus.ASSIGNED)
    require(can_assign(actor, proposal))
    validate_units(proposal, units)
    rows = [_new_assignment(proposal, item, assigned_on) for item in units]
    proposal.status = ProposalStatus.ASSIGNED
    save_new_version(proposal)
    history(
        proposal,
        EventType.ASSIGNED,
        actor,
        units=[f"{row.unit.name} ({row.get_role_display()})" for row in rows],
        due_on=rows[0].due_on.isoformat(),
    )
    tell(
        liaison_users(proposal, [row.unit_id for row in rows]),
        proposal,
        _("New proposal assigned to your unit: %(title)s") % {"title": proposal.title},
        kind="proposal.assigned",
    )
    return proposal


@transaction.atomic
def object_to_assignment(assignment: Assignment, *, actor: Actor, reason: str, today: dt.date) -> Assignment:
    """Tell staff the unit got a proposal it should not handle, within the
    objection window. Staff then reassign; the unit cannot pass it on itself.

    Raise PermissionDenied unless the assignment is the actor's unit's,
    Conflict when the window has closed or it was objected already.
    """
    proposal = lock_proposal(assignment.proposal, actor)
    assignment = (
        Assignment.objects.select_for_update(of=("self",)).select_related("unit").get(pk=assignment.pk)
    )
    assignment.proposal = proposal
    require(is_unit_of(actor, assignment))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the proposal is not your unit's.")})
    if not can_object(actor, assignment, today=today):
        raise Conflict(
            _(
                "Objections to this assignment are no longer possible "
                "(accepted until %(date)s, once, before replying)."
            )
            % {"date": assignment.objection_due_on.isoformat()}
        )
    assignment.objected_at = timezone.now()
    assignment.objection_reason = reason.strip()
    save_new_version(assignment)
    history(
        proposal, EventType.OBJECTED, actor, unit=assignment.unit.name, reason=assignment.objection_reason
    )
    tell(
        staff_users(proposal),
        proposal,
        _("%(unit)s objects to an assignment") % {"unit": assignment.unit.name},
        body=assignment.objection_reason,
        kind="proposal.objection",
    )
    return assignment


@transaction.atomic
def reassign_proposal(
    proposal: Proposal,
    *,
    actor: Actor,
    units: Sequence[UnitRole],
    assigned_on: dt.date,
    expected_version: int | None = None,
) -> Proposal:
    """Replace the set of handling units of a proposal being handled.

    Units that stay keep their dates (their role may change); units removed
    stop seeing the proposal; new units get fresh dates from assigned_on.
    """
    proposal = lock_proposal(proposal, actor)
    require(actor.has(Perm.ASSIGN_PROPOSALS))
    check_version(proposal, expected_version)
    if proposal.status not in HANDLING:
        raise Conflict(_("Only proposals being handled can be reassigned."))
    require(can_reassign(actor, proposal))
    validate_units(proposal, units)
    current = {
        a.unit_id: a for a in Assignment.objects.select_for_update().filter(proposal=proposal, is_active=True)
    }
    wanted = {item.unit.pk: item for item in units}
    for unit_id, assignment in current.items():
        if unit_id not in wanted:
            assignment.is_active = False
            save_new_version(assignment)
    added = []
    for unit_id, item in wanted.items():
        if unit_id in current:
            kept = current[unit_id]
            if kept.role != item.role:
                kept.role = item.role
                if item.role in HELPER_ROLES and kept.helper_opinion_due_on is None:
                    kept.helper_opinion_due_on = helper_opinion_due_on(proposal.council, assigned_on)
                save_new_version(kept)
        else:
            added.append(_new_assignment(proposal, item, assigned_on))
    save_new_version(proposal)
    history(
        proposal,
        EventType.REASSIGNED,
        actor,
        units=[f"{item.unit.name} ({AssignmentRole(item.role).label})" for item in units],
    )
    if added:
        tell(
            liaison_users(proposal, [row.unit_id for row in added]),
            proposal,
            _("New proposal assigned to your unit: %(title)s") % {"title": proposal.title},
            kind="proposal.assigned",
        )
    return proposal


@transaction.atomic
def approve_extension(
    assignment: Assignment,
    *,
    actor: Actor,
    new_due_on: dt.date,
    reason: str,
    expected_version: int | None = None,
) -> Assignment:
    """Extend one unit's deadline, once, with a reason, to at most
    max_total_handling_months after assignment.

    Raise ValidationError for a date not after the current one or beyond the
    limit, or without a reason; PermissionDenied unless actor may assign and
    no extension was granted yet.
    """
    proposal = lock_proposal(assignment.proposal, actor)
    assignment = (
        Assignment.objects.select_for_update(of=("self",)).select_related("unit").get(pk=assignment.pk)
    )
    assignment.proposal = proposal
    require(actor.has(Perm.ASSIGN_PROPOSALS))
    check_version(assignment, expected_version)
    require(can_approve_extension(actor, assignment))
    latest = latest_allowed_due_on(proposal.council, assignment.assigned_on)
    errors = {}
    if new_due_on <= assignment.due_on:
        errors["new_due_on"] = _("The new date must be after the current due date.")
    elif new_due_on > latest:
        errors["new_due_on"] = _("Handling may last at most until %(date)s.") % {"date": latest.isoformat()}
    if not reason.strip():
        errors["reason"] = _("Give the reason for the extension.")
    if errors:
        raise ValidationError(errors)
    assignment.extended_due_on = new_due_on
    assignment.extension_reason = reason.strip()
    assignment.extension_approved_by = actor.user
    assignment.extension_approved_at = timezone.now()
    save_new_version(assignment)
    history(
        proposal,
        EventType.EXTENDED,
        actor,
        unit=assignment.unit.name,
        due_on=new_due_on.isoformat(),
        reason=assignment.extension_reason,
    )
    tell(
        liaison_users(proposal, [assignment.unit_id]),
        proposal,
        _("Extension approved until %(date)s") % {"date": new_due_on.isoformat()},
        kind="proposal.extension",
    )
    return assignment


@transaction.atomic
def assign_in_batch(
    plan: Sequence[tuple[Proposal, Sequence[UnitRole]]], *, actor: Actor, assigned_on: dt.date
) -> list[Proposal]:
    """Assign several accepted proposals at one assignment meeting (交办会),
    each to its own units, all due from the same day. All or nothing: a
    ValidationError names the proposal that could not be assigned."""
    require(actor.has(Perm.ASSIGN_PROPOSALS))
    done = []
    for proposal, units in plan:
        try:
            done.append(assign_proposal(proposal, actor=actor, units=units, assigned_on=assigned_on))
        except ValidationError as error:
            raise ValidationError(
                _("%(title)s: %(problem)s") % {"title": proposal.title, "problem": " ".join(error.messages)}
            ) from error
    return done
