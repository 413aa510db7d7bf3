"""The units' replies for the current round: written, sent for check, returned
for rework or released to the proposers."""

from __future__ import annotations

import datetime as dt
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
from xieshang.councils.roles import Actor, Perm
from xieshang.proposals.actions.common import liaison_users, lock_proposal, proposer_users, staff_users, tell
from xieshang.proposals.deadlines import feedback_due_on
from xieshang.proposals.models import Assignment, Proposal, Reply, ReplyCategory
from xieshang.proposals.permissions import can_check_reply, can_reply, is_unit_of
from xieshang.proposals.search import index_proposal
from xieshang.proposals.states import (
    HANDLING,
    REPLYING_ROLES,
    EventType,
    ProposalStatus,
    ReplyStatus,
    ensure_proposal_transition,
)


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


def _lock_for_reply(assignment: Assignment, actor: Actor) -> Assignment:
    """Lock the proposal and the assignment; refuse unless the actor's unit
    may write this round's reply now."""
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
    return assignment


def _round_reply(assignment: Assignment, actor: Actor, expected_version: int | None) -> Reply:
    """The unit's reply of the current round, locked (a new one if none)."""
    proposal = assignment.proposal
    reply = (
        Reply.objects.select_for_update()
        .filter(assignment=assignment, handling_round=proposal.handling_round)
        .first()
    )
    if reply is None:
        return Reply(
            council=proposal.council,
            assignment=assignment,
            handling_round=proposal.handling_round,
            written_by=actor.user,
        )
    check_version(reply, expected_version)
    return reply


def _check_letter(content: ReplyContent) -> None:
    # Check the file before anything is saved, so a wrong file changes nothing.
    if content.signed_letter is None:
        return
    try:
        validate_upload(content.signed_letter, allowed_kinds=("pdf",))
    except ValidationError as error:
        raise ValidationError({"signed_letter": error.messages}) from error


def _write(reply: Reply, content: ReplyContent, actor: Actor, *, submit: bool) -> None:
    reply.category = content.category
    reply.text = content.text
    reply.signer = content.signer.strip()
    reply.contact_person = content.contact_person.strip()
    reply.contact_phone = content.contact_phone.strip()
    reply.written_by = actor.user
    if submit:
        reply.status = ReplyStatus.SUBMITTED
        reply.submitted_at = timezone.now()
        reply.return_reason = ""
    elif reply.status != ReplyStatus.RETURNED:
        reply.status = ReplyStatus.DRAFT
    save_new_version(reply)


def _attach_letter(reply: Reply, letter: File, proposal: Proposal, actor: Actor) -> None:
    stored = store_upload(
        letter, council=proposal.council, user=actor.user, allowed_kinds=("pdf",), purpose=SIGNED_LETTER
    )
    attach(stored, reply)


def _reply_sent(proposal: Proposal, assignment: Assignment, actor: Actor) -> None:
    """Record the sent reply; the proposal is replied once every replying
    unit has sent its reply. Staff are asked to check it."""
    history(proposal, EventType.REPLY_SUBMITTED, actor, unit=assignment.unit.name)
    if _all_replied(proposal, (ReplyStatus.SUBMITTED, ReplyStatus.RELEASED)):
        ensure_proposal_transition(proposal.status, ProposalStatus.REPLIED)
        proposal.status = ProposalStatus.REPLIED
        save_new_version(proposal)
    tell(
        staff_users(proposal),
        proposal,
        _("Reply to check: %(title)s") % {"title": proposal.title},
        kind="proposal.reply_submitted",
    )


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
    assignment = _lock_for_reply(assignment, actor)
    _validate_reply(assignment.proposal, content, complete=submit)
    reply = _round_reply(assignment, actor, expected_version)
    _check_letter(content)
    _write(reply, content, actor, submit=submit)
    if content.signed_letter is not None:
        _attach_letter(reply, content.signed_letter, assignment.proposal, actor)
    if submit:
        _reply_sent(assignment.proposal, assignment, actor)
    else:
        audit_only("proposal.reply_saved", actor, reply)
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
    if proposal.status == ProposalStatus.REPLIED:
        back = ProposalStatus.ASSIGNED if proposal.handling_round == 1 else ProposalStatus.REHANDLING
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
    if proposal.status == ProposalStatus.REPLIED and _all_replied(proposal, (ReplyStatus.RELEASED,)):
        ensure_proposal_transition(proposal.status, ProposalStatus.RELEASED)
        proposal.status = ProposalStatus.RELEASED
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
