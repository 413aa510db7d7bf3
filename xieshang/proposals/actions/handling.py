"""Assignment to handling units (交办), objections and extensions, and the
units' replies up to their release to the proposers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.attachments import attach, store_upload, validate_upload
from xieshang.core.errors import Conflict, require
from xieshang.core.events import audit_only, history
from xieshang.core.versions import check_version, save_new_version
from xieshang.councils.models import HandlingUnit
from xieshang.councils.roles import Actor, Perm
from xieshang.proposals.actions.common import liaison_users, lock_proposal, proposer_users, staff_users, tell
from xieshang.proposals.deadlines import (
    contact_due_on,
    feedback_due_on,
    helper_opinion_due_on,
    latest_allowed_due_on,
    objection_due_on,
    reply_due_on,
)
from xieshang.proposals.models import Assignment, HandlingNote, Proposal, Reply, ReplyCategory
from xieshang.proposals.permissions import (
    can_approve_extension,
    can_assign,
    can_check_reply,
    can_object,
    can_reassign,
    can_record_note,
    can_reply,
    is_unit_of,
)
from xieshang.proposals.search import index_proposal
from xieshang.proposals.states import (
    HANDLING,
    HELPER_ROLES,
    REPLYING_ROLES,
    AssignmentRole,
    EventType,
    NoteKind,
    ProposalStatus,
    ReplyStatus,
    ensure_proposal_transition,
)

S = ProposalStatus
R = AssignmentRole


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
    if any(role not in R.values for role in roles):
        raise ValidationError({"units": _("Choose a role for every unit.")})
    leads = roles.count(R.LEAD)
    splits = roles.count(R.SPLIT)
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
    ensure_proposal_transition(proposal.status, S.ASSIGNED)
    require(can_assign(actor, proposal))
    validate_units(proposal, units)
    rows = [_new_assignment(proposal, item, assigned_on) for item in units]
    proposal.status = S.ASSIGNED
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


@dataclass(frozen=True)
class ReplyContent:
    category: ReplyCategory | None
    text: str
    signer: str
    contact_person: str
    contact_phone: str = ""
    # The official signed letter, as a PDF (optional; replaces an earlier one).
    signed_letter: File | None = None


SIGNED_LETTER = "proposals.signed_letter"


REPLY_TEXT_MAX = 20000


def _validate_reply(proposal: Proposal, content: ReplyContent, *, complete: bool) -> None:
    errors: dict[str, str] = {}
    if content.category is not None and (
        content.category.council_id != proposal.council_id or not content.category.is_active
    ):
        errors["category"] = _("Choose one of this council's reply categories.")
    if len(content.text) > REPLY_TEXT_MAX:
        errors["text"] = _("The reply may have at most %(max)s characters.") % {"max": REPLY_TEXT_MAX}
    if complete:
        if content.category is None:
            errors.setdefault("category", _("Choose the reply category."))
        if not content.text.strip():
            errors["text"] = _("Write the reply.")
        if not content.signer.strip():
            errors["signer"] = _("Name the unit leader who signs the reply.")
        if not content.contact_person.strip():
            errors["contact_person"] = _("Name the contact person.")
    if errors:
        raise ValidationError(errors)


def _all_replied(proposal: Proposal, statuses: tuple[str, ...]) -> bool:
    """Whether every replying unit's reply of the current round has one of statuses."""
    replying = Assignment.objects.filter(proposal=proposal, is_active=True, role__in=REPLYING_ROLES)
    done = Reply.objects.filter(
        assignment__in=replying, handling_round=proposal.handling_round, status__in=statuses
    ).count()
    return done == replying.count() and done > 0


@transaction.atomic
def save_reply(
    assignment: Assignment,
    *,
    actor: Actor,
    content: ReplyContent,
    submit: bool,
    expected_version: int | None = None,
) -> Reply:
    """Write (and with submit=True, send for staff check) the unit's reply
    for the current round. When every replying unit has sent its reply the
    proposal becomes replied.

    Raise PermissionDenied unless the actor's unit holds the assignment as
    lead or split unit, Conflict when the proposal is no longer handled or the
    reply was already sent, ValidationError for incomplete content.
    """
    proposal = lock_proposal(assignment.proposal, actor)
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    assignment.proposal = proposal
    require(is_unit_of(actor, assignment) and assignment.is_active)
    require(
        assignment.role in REPLYING_ROLES, _("Assisting and joint units send their opinion to the lead unit.")
    )
    if proposal.status not in HANDLING:
        raise Conflict(_("This proposal is no longer being handled; no reply can be added."))
    if not can_reply(actor, assignment):
        raise Conflict(_("Your unit's reply has already been sent."))
    _validate_reply(proposal, content, complete=submit)
    reply = (
        Reply.objects.select_for_update()
        .filter(assignment=assignment, handling_round=proposal.handling_round)
        .first()
    )
    if reply is None:
        reply = Reply(
            council=proposal.council,
            assignment=assignment,
            handling_round=proposal.handling_round,
            written_by=actor.user,
        )
    else:
        check_version(reply, expected_version)
    reply.category = content.category
    reply.text = content.text
    reply.signer = content.signer.strip()
    reply.contact_person = content.contact_person.strip()
    reply.contact_phone = content.contact_phone.strip()
    reply.written_by = actor.user
    if content.signed_letter is not None:
        # Check the file before anything is saved, so a wrong file changes nothing.
        try:
            validate_upload(content.signed_letter, allowed_kinds=("pdf",))
        except ValidationError as error:
            raise ValidationError({"signed_letter": error.messages}) from error
    if submit:
        reply.status = ReplyStatus.SUBMITTED
        reply.submitted_at = timezone.now()
        reply.return_reason = ""
    elif reply.status != ReplyStatus.RETURNED:
        reply.status = ReplyStatus.DRAFT
    save_new_version(reply)
    if content.signed_letter is not None:
        letter = store_upload(
            content.signed_letter,
            council=proposal.council,
            user=actor.user,
            allowed_kinds=("pdf",),
            purpose=SIGNED_LETTER,
        )
        attach(letter, reply)
    if not submit:
        audit_only("proposal.reply_saved", actor, reply)
        return reply
    history(proposal, EventType.REPLY_SUBMITTED, actor, unit=assignment.unit.name)
    if _all_replied(proposal, (ReplyStatus.SUBMITTED, ReplyStatus.RELEASED)):
        ensure_proposal_transition(proposal.status, S.REPLIED)
        proposal.status = S.REPLIED
        save_new_version(proposal)
    tell(
        staff_users(proposal),
        proposal,
        _("Reply to check: %(title)s") % {"title": proposal.title},
        kind="proposal.reply_submitted",
    )
    return reply


def _lock_reply(reply: Reply, actor: Actor) -> tuple[Proposal, Reply]:
    proposal = lock_proposal(reply.assignment.proposal, actor)
    reply = (
        Reply.objects.select_for_update(of=("self",))
        .select_related("assignment__unit")
        .get(pk=reply.pk, council=actor.council)
    )
    reply.assignment.proposal = proposal
    return proposal, reply


@transaction.atomic
def return_reply(reply: Reply, *, actor: Actor, reason: str, expected_version: int | None = None) -> Reply:
    """Send a submitted reply back to its unit for rework, with the reason."""
    proposal, reply = _lock_reply(reply, actor)
    require(actor.has(Perm.RELEASE_REPLIES))
    check_version(reply, expected_version)
    if reply.status != ReplyStatus.SUBMITTED:
        raise Conflict(_("Only a reply waiting for check can be returned."))
    require(can_check_reply(actor, reply))
    if not reason.strip():
        raise ValidationError({"reason": _("Tell the unit what to rework.")})
    reply.status = ReplyStatus.RETURNED
    reply.return_reason = reason.strip()
    save_new_version(reply)
    if proposal.status == S.REPLIED:
        back = S.ASSIGNED if proposal.handling_round == 1 else S.REHANDLING
        ensure_proposal_transition(proposal.status, back)
        proposal.status = back
        save_new_version(proposal)
    history(
        proposal, EventType.REPLY_RETURNED, actor, unit=reply.assignment.unit.name, reason=reply.return_reason
    )
    tell(
        liaison_users(proposal, [reply.assignment.unit_id]),
        proposal,
        _("Your reply was returned for rework"),
        body=reply.return_reason,
        kind="proposal.reply_returned",
    )
    return reply


@transaction.atomic
def release_reply(
    reply: Reply, *, actor: Actor, today: dt.date, expected_version: int | None = None
) -> Reply:
    """Release a checked reply to the proposers, opening the feedback window.
    When every replying unit's reply is released the proposal is released."""
    proposal, reply = _lock_reply(reply, actor)
    require(actor.has(Perm.RELEASE_REPLIES))
    check_version(reply, expected_version)
    if reply.status != ReplyStatus.SUBMITTED:
        raise Conflict(_("Only a reply waiting for check can be released."))
    require(can_check_reply(actor, reply))
    reply.status = ReplyStatus.RELEASED
    reply.released_at = timezone.now()
    reply.feedback_due_on = feedback_due_on(proposal.council, today)
    save_new_version(reply)
    history(proposal, EventType.REPLY_RELEASED, actor, unit=reply.assignment.unit.name)
    if proposal.status == S.REPLIED and _all_replied(proposal, (ReplyStatus.RELEASED,)):
        ensure_proposal_transition(proposal.status, S.RELEASED)
        proposal.status = S.RELEASED
        proposal.released_at = reply.released_at
        save_new_version(proposal)
    # Released replies are searched with the proposal.
    index_proposal(proposal)
    recipients = list(proposer_users(proposal))
    for merged in proposal.merged_proposals.select_related("lead_proposer__user", "filed_by"):
        recipients.extend(proposer_users(merged))
    tell(
        recipients,
        proposal,
        _("A reply to your proposal has arrived: please read and rate it"),
        kind="proposal.reply_released",
    )
    return reply


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


NOTE_TEXT_MAX = 3000


@transaction.atomic
def record_handling_note(
    assignment: Assignment, *, actor: Actor, kind: str, text: str, happened_on: dt.date, today: dt.date
) -> HandlingNote:
    """Record the unit's contact or consultation with the proposer, or (for an
    assisting or joint unit) its opinion to the lead unit, who is told.

    Raise PermissionDenied unless the actor's unit handles the proposal in a
    role that may record this kind, Conflict once handling has ended, and
    ValidationError for an empty or over-long text or a date in the future.
    """
    proposal = lock_proposal(assignment.proposal, actor)
    assignment = Assignment.objects.select_related("unit").get(pk=assignment.pk)
    assignment.proposal = proposal
    require(is_unit_of(actor, assignment) and assignment.is_active)
    if proposal.status not in HANDLING:
        raise Conflict(_("This proposal is no longer being handled."))
    require(can_record_note(actor, assignment, kind=kind))
    errors = {}
    if not text.strip():
        errors["text"] = _("Write what was done or said.")
    elif len(text) > NOTE_TEXT_MAX:
        errors["text"] = _("At most %(max)s characters.") % {"max": NOTE_TEXT_MAX}
    if happened_on > today:
        errors["happened_on"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    note = HandlingNote.objects.create(
        council=proposal.council,
        assignment=assignment,
        kind=kind,
        happened_on=happened_on,
        text=text.strip(),
        written_by=actor.user,
    )
    history(
        proposal, EventType.NOTE, actor, unit=assignment.unit.name, kind=kind, date=happened_on.isoformat()
    )
    if kind == NoteKind.HELPER_OPINION:
        leads = Assignment.objects.filter(proposal=proposal, is_active=True, role=AssignmentRole.LEAD)
        tell(
            liaison_users(proposal, leads.values_list("unit_id", flat=True)),
            proposal,
            _("%(unit)s sent its opinion on %(number)s")
            % {"unit": assignment.unit.name, "number": proposal.case_number},
            kind="proposal.helper_opinion",
        )
    return note
