"""Review by the proposals committee staff (审查), and what staff decide
later: re-handling, conclusion, key and outstanding marks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.accounts.models import User
from xieshang.core.errors import Conflict, require
from xieshang.core.events import history
from xieshang.core.versions import check_version, save_new_version
from xieshang.councils.models import CouncilRole, Role
from xieshang.councils.roles import Actor, Perm
from xieshang.opinions.actions.filing import receive_converted_proposal
from xieshang.proposals.actions.common import (
    liaison_users,
    lock_proposal,
    proposal_url,
    proposer_users,
    tell,
)
from xieshang.proposals.actions.feedback import settle_proposal_feedback
from xieshang.proposals.actions.followups import open_follow_ups
from xieshang.proposals.deadlines import reply_due_on
from xieshang.proposals.models import (
    Assignment,
    CaseCounter,
    DeclineReason,
    KeyProposalFollowThrough,
    Proposal,
)
from xieshang.proposals.permissions import (
    can_conclude,
    can_follow_through,
    can_mark,
    can_order_rehandling,
    can_review,
)
from xieshang.proposals.states import (
    REPLYING_ROLES,
    ConversionTarget,
    EventType,
    FollowThroughKind,
    ProposalStatus,
    ensure_proposal_transition,
)


def _start_review(proposal: Proposal, actor: Actor, target: str, expected_version: int | None) -> Proposal:
    proposal = lock_proposal(proposal, actor)
    require(actor.has(Perm.REVIEW_PROPOSALS))
    # A second reviewer acting on the same proposal gets a conflict, not a refusal.
    check_version(proposal, expected_version)
    ensure_proposal_transition(proposal.status, target)
    require(can_review(actor, proposal))
    return proposal


def next_case_number(proposal: Proposal) -> str:
    """Take the next number of the proposal's term and session, under a row
    lock on the counter: gap-free, and never handed out twice."""
    if proposal.session is None:
        raise Conflict(
            _("This term has no plenary session yet. Set up the session before accepting proposals.")
        )
    counter, _created = CaseCounter.objects.select_for_update().get_or_create(
        council=proposal.council, term=proposal.term, session=proposal.session
    )
    CaseCounter.objects.filter(pk=counter.pk).update(last_value=F("last_value") + 1)
    counter.refresh_from_db(fields=["last_value"])
    return f"{proposal.term.number}-{proposal.session.number}-{counter.last_value:04d}"


@transaction.atomic
def accept_proposal(proposal: Proposal, *, actor: Actor, expected_version: int | None = None) -> Proposal:
    """Register a submitted proposal for handling (立案) with the next case number.

    Raise PermissionDenied unless actor may review, InvalidTransition unless it
    is submitted (so accepting twice fails), StaleEdit for an old form and
    Conflict when the term has no session to number under.
    """
    proposal = _start_review(proposal, actor, ProposalStatus.ACCEPTED, expected_version)
    proposal.case_number = next_case_number(proposal)
    proposal.status = ProposalStatus.ACCEPTED
    proposal.accepted_at = timezone.now()
    save_new_version(proposal)
    history(proposal, EventType.ACCEPTED, actor, case_number=proposal.case_number)
    tell(
        proposer_users(proposal),
        proposal,
        _("Your proposal was accepted as No. %(number)s") % {"number": proposal.case_number},
        kind="proposal.accepted",
    )
    return proposal


@transaction.atomic
def decline_proposal(
    proposal: Proposal,
    *,
    actor: Actor,
    reason: DeclineReason,
    note: str = "",
    expected_version: int | None = None,
) -> Proposal:
    """Decline a submitted proposal with one of the council's configured reasons.

    Raise PermissionDenied unless actor may review, ValidationError for a
    reason of another council, InvalidTransition unless submitted.
    """
    proposal = _start_review(proposal, actor, ProposalStatus.DECLINED, expected_version)
    if reason.council_id != proposal.council_id or not reason.is_active:
        raise ValidationError({"reason": _("Choose one of this council's decline reasons.")})
    proposal.status = ProposalStatus.DECLINED
    proposal.decline_reason = reason
    proposal.review_note = note.strip()
    save_new_version(proposal)
    history(proposal, EventType.DECLINED, actor, reason=reason.name, note=proposal.review_note)
    tell(
        proposer_users(proposal),
        proposal,
        _("Your proposal was not accepted"),
        body=reason.name,
        kind="proposal.declined",
    )
    return proposal


@transaction.atomic
def convert_proposal(
    proposal: Proposal, *, actor: Actor, target: str, consent_note: str, expected_version: int | None = None
) -> Proposal:
    """Turn a submitted proposal into an opinion report or a letter, recording
    how the proposer consented.

    Raise ValidationError without a consent note or with an unknown target.
    """
    proposal = _start_review(proposal, actor, ProposalStatus.CONVERTED, expected_version)
    errors = {}
    if target not in ConversionTarget.values:
        errors["target"] = _("Choose what the proposal becomes.")
    if not consent_note.strip():
        errors["consent_note"] = _("Record how the proposer agreed to the conversion.")
    if errors:
        raise ValidationError(errors)
    proposal.status = ProposalStatus.CONVERTED
    proposal.converted_to = target
    proposal.conversion_consent_note = consent_note.strip()
    save_new_version(proposal)
    history(proposal, EventType.CONVERTED, actor, target=target, reason=proposal.conversion_consent_note)
    if target == ConversionTarget.OPINION_REPORT:
        _file_as_opinion_report(proposal, actor)
    tell(proposer_users(proposal), proposal, _("Your proposal was converted"), kind="proposal.converted")
    return proposal


# Bodies that file proposals and may also file opinion reports (member
# groups do not file reports: their conversions stay with the proposal).
_REPORT_AUTHORS = {"affiliation": "affiliation", "sector": "sector", "committee": "special_committee"}


def _file_as_opinion_report(proposal: Proposal, actor: Actor) -> None:
    """Hand the converted proposal to the opinion-report desk, linked back to
    it; it scores once, as the report (duty skips converted proposals)."""
    body = proposal.collective_author
    kind = next((k for k in _REPORT_AUTHORS if getattr(proposal, f"author_{k}_id", None)), None)
    if body is not None and kind is None:
        return
    receive_converted_proposal(
        proposal,
        actor=actor,
        member=proposal.lead_proposer,
        author_kind=_REPORT_AUTHORS[kind] if kind else "member",
        body_id=body.pk if body is not None else None,
        title=proposal.title,
        problem=proposal.situation,
        analysis=proposal.analysis,
        suggestion=proposal.suggestions,
        proposal_url=proposal_url(proposal),
    )


@transaction.atomic
def merge_proposal(
    proposal: Proposal, *, actor: Actor, into: Proposal, note: str = "", expected_version: int | None = None
) -> Proposal:
    """Handle a submitted proposal as part of another, accepted one (并案);
    its proposer receives that proposal's reply and may rate it.

    Raise ValidationError unless into is another accepted (not yet replied)
    proposal of the same council and term.
    """
    # Lock both rows in id order so that two merges never deadlock.
    first, second = sorted([proposal, into], key=lambda p: p.pk)
    lock_proposal(first, actor)
    lock_proposal(second, actor)
    proposal = _start_review(proposal, actor, ProposalStatus.MERGED, expected_version)
    target = lock_proposal(into, actor)
    if (
        target.pk == proposal.pk
        or target.term_id != proposal.term_id
        or target.status not in (ProposalStatus.ACCEPTED, ProposalStatus.ASSIGNED)
    ):
        raise ValidationError(
            {"into": _("Choose another accepted proposal of this term that is not yet replied.")}
        )
    proposal.status = ProposalStatus.MERGED
    proposal.merged_into = target
    proposal.review_note = note.strip()
    save_new_version(proposal)
    history(proposal, EventType.MERGED, actor, into=target.case_number, note=proposal.review_note)
    history(target, EventType.MERGED_IN, actor, title=proposal.title)
    tell(
        proposer_users(proposal),
        proposal,
        _("Your proposal is handled together with No. %(number)s") % {"number": target.case_number},
        kind="proposal.merged",
    )
    return proposal


@transaction.atomic
def return_for_revision(
    proposal: Proposal, *, actor: Actor, reason: str, expected_version: int | None = None
) -> Proposal:
    """Send a submitted proposal back to its filer with the reason.

    Raise ValidationError without a reason.
    """
    proposal = _start_review(proposal, actor, ProposalStatus.RETURNED, expected_version)
    if not reason.strip():
        raise ValidationError({"reason": _("Tell the proposer what to revise.")})
    proposal.status = ProposalStatus.RETURNED
    proposal.review_note = reason.strip()
    save_new_version(proposal)
    history(proposal, EventType.RETURNED, actor, reason=proposal.review_note)
    tell(
        proposer_users(proposal),
        proposal,
        _("Your proposal was returned for revision"),
        body=proposal.review_note,
        kind="proposal.returned",
    )
    return proposal


@transaction.atomic
def order_rehandling(
    proposal: Proposal, *, actor: Actor, reason: str, today: dt.date, expected_version: int | None = None
) -> Proposal:
    """Send a proposal whose first reply was rated dissatisfied back to its
    replying units with a new deadline; their second reply is final.

    Raise PermissionDenied unless actor may review and the first reply was
    rated dissatisfied, ValidationError without a reason.
    """
    proposal = lock_proposal(proposal, actor)
    require(actor.has(Perm.REVIEW_PROPOSALS))
    check_version(proposal, expected_version)
    ensure_proposal_transition(proposal.status, ProposalStatus.REHANDLING)
    require(can_order_rehandling(actor, proposal))
    if not reason.strip():
        raise ValidationError({"reason": _("Say what the units must handle again.")})
    due = reply_due_on(proposal.council, today)
    units = []
    for assignment in Assignment.objects.select_for_update().filter(
        proposal=proposal, is_active=True, role__in=REPLYING_ROLES
    ):
        assignment.due_on = max(due, assignment.assigned_on)
        assignment.extended_due_on = None
        assignment.extension_reason = ""
        assignment.extension_approved_by = None
        assignment.extension_approved_at = None
        save_new_version(assignment)
        units.append(assignment.unit_id)
    proposal.status = ProposalStatus.REHANDLING
    proposal.handling_round = 2
    save_new_version(proposal)
    history(proposal, EventType.REHANDLING, actor, reason=reason.strip(), due_on=due.isoformat())
    tell(
        liaison_users(proposal, units),
        proposal,
        _("Handle again: %(title)s") % {"title": proposal.title},
        body=reason.strip(),
        kind="proposal.rehandling",
    )
    return proposal


@transaction.atomic
def conclude_proposal(
    proposal: Proposal, *, actor: Actor, today: dt.date, expected_version: int | None = None
) -> Proposal:
    """Close handling (办结) after the lead's rating or once every feedback
    window has closed. Raise InvalidTransition otherwise.

    Ratings still missing from closed windows are recorded as the council's
    setting counts them, and units whose final reply is in a category that
    needs a follow-up (B) get one due the following year."""
    proposal = lock_proposal(proposal, actor)
    require(actor.has(Perm.REVIEW_PROPOSALS))
    check_version(proposal, expected_version)
    ensure_proposal_transition(proposal.status, ProposalStatus.CONCLUDED)
    require(can_conclude(actor, proposal, today=today))
    settle_proposal_feedback(proposal, today=today, user=actor.user)
    proposal.status = ProposalStatus.CONCLUDED
    proposal.concluded_at = timezone.now()
    save_new_version(proposal)
    history(proposal, EventType.CONCLUDED, actor)
    open_follow_ups(proposal, actor=actor, today=today)
    return proposal


@transaction.atomic
def mark_key(proposal: Proposal, *, actor: Actor, is_key: bool, supervising_leader: User | None) -> Proposal:
    """Mark (or unmark) a key proposal (重点提案) and name its supervising leader.

    Raise ValidationError when a key proposal has no leader of this council.
    """
    proposal = lock_proposal(proposal, actor)
    require(can_mark(actor, proposal))
    if is_key:
        is_leader = (
            supervising_leader is not None
            and CouncilRole.objects.filter(
                council=actor.council, user=supervising_leader, role=Role.LEADER
            ).exists()
        )
        if not is_leader:
            raise ValidationError(
                {"supervising_leader": _("Choose a leader of this council to supervise it.")}
            )
    proposal.is_key = is_key
    proposal.supervising_leader = supervising_leader if is_key else None
    save_new_version(proposal)
    history(
        proposal,
        EventType.MARKED_KEY,
        actor,
        is_key=is_key,
        leader=supervising_leader.display_name if (is_key and supervising_leader) else "",
    )
    return proposal


@transaction.atomic
def mark_outstanding(proposal: Proposal, *, actor: Actor, is_outstanding: bool) -> Proposal:
    """Mark (or unmark) an outstanding proposal (优秀提案)."""
    proposal = lock_proposal(proposal, actor)
    require(can_mark(actor, proposal))
    proposal.is_outstanding = is_outstanding
    save_new_version(proposal)
    history(proposal, EventType.MARKED_OUTSTANDING, actor, is_outstanding=is_outstanding)
    return proposal


@transaction.atomic
def accept_many(proposals: Sequence[Proposal], *, actor: Actor) -> list[Proposal]:
    """Accept several submitted proposals at once, numbered in the order they
    were filed. All or nothing: one that cannot be accepted (already reviewed
    by someone else, say) stops the whole batch and nothing is numbered."""
    require(actor.has(Perm.REVIEW_PROPOSALS))
    ordered = sorted(proposals, key=lambda p: (p.submitted_at or timezone.now(), p.pk))
    return [accept_proposal(proposal, actor=actor) for proposal in ordered]


@transaction.atomic
def record_follow_through(
    proposal: Proposal, *, actor: Actor, kind: str, note: str, happened_on: dt.date, today: dt.date
) -> KeyProposalFollowThrough:
    """Record an inspection, meeting or visit following a key proposal through.

    Raise PermissionDenied unless actor is staff or the proposal's supervising
    leader and the proposal is a key one; ValidationError for an empty note,
    an unknown kind or a date in the future.
    """
    proposal = lock_proposal(proposal, actor)
    require(can_follow_through(actor, proposal))
    errors = {}
    if kind not in FollowThroughKind.values:
        errors["kind"] = _("Choose the kind of activity.")
    if not note.strip():
        errors["note"] = _("Say what happened.")
    if happened_on > today:
        errors["happened_on"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    activity = KeyProposalFollowThrough.objects.create(
        council=proposal.council,
        proposal=proposal,
        kind=kind,
        happened_on=happened_on,
        note=note.strip(),
        recorded_by=actor.user,
    )
    history(
        proposal,
        EventType.FOLLOWED_THROUGH,
        actor,
        kind=kind,
        date=happened_on.isoformat(),
        reason=activity.note,
    )
    return activity
