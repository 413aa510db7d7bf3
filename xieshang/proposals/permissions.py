"""Who may do what to which proposal, now. Used by the actions (to refuse)
and by the pages (to show only the actions the user may take).

Each predicate answers for one actor and one object in its current state;
dates are passed in so that pages and actions agree on "today".
"""

from __future__ import annotations

import datetime as dt

from xieshang.councils.roles import Actor, Perm
from xieshang.proposals.models import Assignment, Cosigner, Feedback, FollowUp, Proposal, Reply
from xieshang.proposals.states import (
    EDITABLE,
    HANDLING,
    HELPER_ROLES,
    NUMBERED,
    REPLYING_ROLES,
    CosignStatus,
    FollowUpStatus,
    NoteKind,
    ProposalStatus,
    ReplyStatus,
)
from xieshang.themes.permissions import can_tag


def _in_council(actor: Actor, proposal: Proposal) -> bool:
    return proposal.council_id == actor.council.pk


def is_filer(actor: Actor, proposal: Proposal) -> bool:
    """The user who writes the proposal: the lead proposer's user, or the
    authorised user of the body for a collective proposal."""
    return _in_council(actor, proposal) and proposal.filed_by_id == actor.user.pk


def is_lead_proposer(actor: Actor, proposal: Proposal) -> bool:
    return actor.member is not None and proposal.lead_proposer_id == actor.member.pk


def is_cosigner(actor: Actor, proposal: Proposal) -> bool:
    """Invited, confirmed or refused: a cosigner sees what they were asked to sign."""
    if actor.member is None:
        return False
    return Cosigner.objects.filter(proposal=proposal, member=actor.member).exists()


def unit_assignments(actor: Actor, proposal: Proposal) -> list[Assignment]:
    """The actor's units' active assignments of this proposal."""
    if not actor.has(Perm.HANDLE_PROPOSALS) or not actor.handling_unit_ids:
        return []
    return list(
        Assignment.objects.filter(proposal=proposal, unit_id__in=actor.handling_unit_ids, is_active=True)
    )


def can_view(actor: Actor, proposal: Proposal) -> bool:
    """Staff and leaders see every filed proposal; proposers and cosigners
    theirs (and the proposal theirs was merged into); units what they handle."""
    if not _in_council(actor, proposal):
        return False
    if is_filer(actor, proposal) or is_lead_proposer(actor, proposal):
        return True
    if actor.has(Perm.VIEW_ALL_PROPOSALS) and proposal.status != ProposalStatus.DRAFT:
        return True
    if actor.member is not None and actor.has(Perm.FILE_PROPOSALS):
        if is_cosigner(actor, proposal):
            return True
        if proposal.merged_proposals.filter(lead_proposer=actor.member).exists():
            return True
    return bool(unit_assignments(actor, proposal))


def can_file(actor: Actor) -> bool:
    """Members file their own proposals; staff enter them on behalf of
    members who cannot go online."""
    return actor.has(Perm.FILE_PROPOSALS) or actor.has(Perm.REVIEW_PROPOSALS)


def can_edit(actor: Actor, proposal: Proposal) -> bool:
    """The filer may change the text while it is a draft or returned."""
    return can_file(actor) and is_filer(actor, proposal) and proposal.status in EDITABLE


can_submit = can_edit
can_invite_cosigners = can_edit


def can_answer_cosign(actor: Actor, cosigner: Cosigner) -> bool:
    """The invited member may confirm or refuse until the proposal is reviewed."""
    return (
        actor.has(Perm.FILE_PROPOSALS)
        and actor.member is not None
        and cosigner.member_id == actor.member.pk
        and cosigner.status == CosignStatus.INVITED
        and cosigner.proposal.council_id == actor.council.pk
        and cosigner.proposal.status
        in (ProposalStatus.DRAFT, ProposalStatus.SUBMITTED, ProposalStatus.RETURNED)
    )


def can_review(actor: Actor, proposal: Proposal) -> bool:
    """Accept, decline, convert, merge or return: staff, while submitted."""
    return (
        actor.has(Perm.REVIEW_PROPOSALS)
        and _in_council(actor, proposal)
        and proposal.status == ProposalStatus.SUBMITTED
    )


def can_assign(actor: Actor, proposal: Proposal) -> bool:
    return (
        actor.has(Perm.ASSIGN_PROPOSALS)
        and _in_council(actor, proposal)
        and proposal.status == ProposalStatus.ACCEPTED
    )


def can_reassign(actor: Actor, proposal: Proposal) -> bool:
    """Staff change the units while they are still handling (after an objection, usually)."""
    return actor.has(Perm.ASSIGN_PROPOSALS) and _in_council(actor, proposal) and proposal.status in HANDLING


def can_approve_extension(actor: Actor, assignment: Assignment) -> bool:
    """One extension per assignment, while the proposal is being handled."""
    return (
        actor.has(Perm.ASSIGN_PROPOSALS)
        and assignment.council_id == actor.council.pk
        and assignment.is_active
        and assignment.extended_due_on is None
        and assignment.proposal.status in HANDLING
    )


def is_unit_of(actor: Actor, assignment: Assignment) -> bool:
    return (
        actor.has(Perm.HANDLE_PROPOSALS)
        and assignment.council_id == actor.council.pk
        and assignment.unit_id in actor.handling_unit_ids
    )


def can_object(actor: Actor, assignment: Assignment, *, today: dt.date) -> bool:
    """The unit may say it got the wrong proposal, once, within the window,
    before it has replied."""
    return (
        is_unit_of(actor, assignment)
        and assignment.is_active
        and assignment.objected_at is None
        and assignment.proposal.status == ProposalStatus.ASSIGNED
        and today <= assignment.objection_due_on
        and not assignment.replies.exclude(status=ReplyStatus.DRAFT).exists()
    )


def can_reply(actor: Actor, assignment: Assignment) -> bool:
    """A lead or split unit writes the reply for the current round, until it
    is submitted (or again after staff returned it)."""
    if not (is_unit_of(actor, assignment) and assignment.is_active and assignment.role in REPLYING_ROLES):
        return False
    proposal = assignment.proposal
    if proposal.status not in HANDLING:
        return False
    current = assignment.replies.filter(handling_round=proposal.handling_round).first()
    return current is None or current.status in (ReplyStatus.DRAFT, ReplyStatus.RETURNED)


def can_check_reply(actor: Actor, reply: Reply) -> bool:
    """Staff return a submitted reply for rework, or release it."""
    return (
        actor.has(Perm.RELEASE_REPLIES)
        and reply.council_id == actor.council.pk
        and reply.status == ReplyStatus.SUBMITTED
    )


def can_rate(actor: Actor, reply: Reply, *, rater_ids: frozenset[int], today: dt.date) -> bool:
    """A proposer rates a released reply once, within the feedback window.
    rater_ids are the member ids allowed to rate (queries.rater_ids)."""
    return (
        actor.has(Perm.FILE_PROPOSALS)
        and actor.member is not None
        and actor.member.pk in rater_ids
        and reply.council_id == actor.council.pk
        and reply.status == ReplyStatus.RELEASED
        and reply.feedback_due_on is not None
        and today <= reply.feedback_due_on
        and reply.handling_round == reply.assignment.proposal.handling_round
        and reply.assignment.proposal.status in (ProposalStatus.RELEASED, ProposalStatus.RATED)
        and not Feedback.objects.filter(reply=reply, member=actor.member).exists()
    )


def can_order_rehandling(actor: Actor, proposal: Proposal) -> bool:
    """After a dissatisfied rating of the first reply; the second is final."""
    return (
        actor.has(Perm.REVIEW_PROPOSALS)
        and _in_council(actor, proposal)
        and proposal.status == ProposalStatus.RATED
        and proposal.handling_round == 1
        and Feedback.objects.filter(
            reply__assignment__proposal=proposal, reply__handling_round=1, satisfaction="dissatisfied"
        ).exists()
    )


def can_conclude(actor: Actor, proposal: Proposal, *, today: dt.date) -> bool:
    """After the lead's rating, or once every reply's feedback window closed."""
    if not (actor.has(Perm.REVIEW_PROPOSALS) and _in_council(actor, proposal)):
        return False
    if proposal.status == ProposalStatus.RATED:
        return True
    if proposal.status != ProposalStatus.RELEASED:
        return False
    windows = Reply.objects.filter(
        assignment__proposal=proposal, handling_round=proposal.handling_round, status=ReplyStatus.RELEASED
    ).values_list("feedback_due_on", flat=True)
    return all(due is not None and due < today for due in windows)


def can_mark(actor: Actor, proposal: Proposal) -> bool:
    """Mark key (with a supervising leader) or outstanding: accepted proposals."""
    return actor.has(Perm.REVIEW_PROPOSALS) and _in_council(actor, proposal) and proposal.status in NUMBERED


def can_record_note(actor: Actor, assignment: Assignment, *, kind: str) -> bool:
    """A handling unit records contacts and consultations; only helpers send
    an opinion to the lead unit."""
    if kind not in NoteKind.values:
        return False
    if kind == NoteKind.HELPER_OPINION and assignment.role not in HELPER_ROLES:
        return False
    return is_unit_of(actor, assignment) and assignment.is_active and assignment.proposal.status in HANDLING


def can_follow_through(actor: Actor, proposal: Proposal) -> bool:
    """Staff, or the supervising leader, record the follow-through of a key proposal."""
    if not (_in_council(actor, proposal) and proposal.is_key and proposal.status in NUMBERED):
        return False
    return actor.has(Perm.REVIEW_PROPOSALS) or (
        actor.has(Perm.VIEW_ALL_PROPOSALS) and proposal.supervising_leader_id == actor.user.pk
    )


def is_unit_of_follow_up(actor: Actor, follow_up: FollowUp) -> bool:
    return (
        actor.has(Perm.HANDLE_PROPOSALS)
        and follow_up.council_id == actor.council.pk
        and follow_up.unit_id in actor.handling_unit_ids
    )


def can_report_follow_up(actor: Actor, follow_up: FollowUp) -> bool:
    """The unit says what has been done since, until staff close it."""
    return is_unit_of_follow_up(actor, follow_up) and follow_up.status != FollowUpStatus.CLOSED


def can_close_follow_up(actor: Actor, follow_up: FollowUp) -> bool:
    """Staff close a follow-up once the unit has reported."""
    return (
        actor.has(Perm.REVIEW_PROPOSALS)
        and follow_up.council_id == actor.council.pk
        and follow_up.status == FollowUpStatus.REPORTED
    )


def can_tag_themes(actor: Actor, proposal: Proposal) -> bool:
    """Staff who prepare consultations and read every proposal tag a filed
    proposal of this council with themes (a draft is its author's alone)."""
    return (
        _in_council(actor, proposal)
        and proposal.status != ProposalStatus.DRAFT
        and can_tag(actor, view_perm=Perm.VIEW_ALL_PROPOSALS)
    )
