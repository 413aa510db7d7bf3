"""Proposers' ratings of released replies (征询意见)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from xieshang.core.errors import Conflict, require
from xieshang.councils.roles import Actor, Perm
from xieshang.proposals.actions.common import bump, history, lock_proposal, staff_users, tell
from xieshang.proposals.models import Feedback, Reply
from xieshang.proposals.permissions import can_rate
from xieshang.proposals.queries import principal_rater_id, rater_ids
from xieshang.proposals.states import (
    EventType,
    ProposalStatus,
    ReplyStatus,
    Satisfaction,
    ensure_proposal_transition,
)

S = ProposalStatus


@transaction.atomic
def rate_reply(reply: Reply, *, actor: Actor, satisfaction: str, comment: str, today: dt.date) -> Feedback:
    """Record the actor's rating of a released reply, once, within the
    feedback window. The lead proposer's rating of every reply of the round
    makes the proposal rated.

    Raise PermissionDenied unless actor is one of the proposal's raters,
    Conflict when they rated already or the window has closed, and
    ValidationError for an unknown satisfaction.
    """
    proposal = lock_proposal(reply.assignment.proposal, actor)
    reply = Reply.objects.select_related("assignment").get(pk=reply.pk, council=actor.council)
    reply.assignment.proposal = proposal
    raters = rater_ids(proposal)
    require(actor.has(Perm.FILE_PROPOSALS) and actor.member is not None and actor.member.pk in raters)
    assert actor.member is not None
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("Choose how satisfied you are.")})
    if Feedback.objects.filter(reply=reply, member=actor.member).exists():
        raise Conflict(_("You have already rated this reply; a rating cannot be changed."))
    if reply.status != ReplyStatus.RELEASED:
        raise Conflict(_("This reply has not been released yet."))
    if reply.feedback_due_on is not None and today > reply.feedback_due_on:
        raise Conflict(
            _("The time for rating this reply ended on %(date)s.")
            % {"date": reply.feedback_due_on.isoformat()}
        )
    if not can_rate(actor, reply, rater_ids=raters, today=today):
        raise Conflict(_("This reply can no longer be rated."))
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(
                council=actor.council,
                reply=reply,
                member=actor.member,
                satisfaction=satisfaction,
                comment=comment.strip(),
            )
    except IntegrityError as exc:  # a parallel request rated first
        raise Conflict(_("You have already rated this reply; a rating cannot be changed.")) from exc
    history(proposal, EventType.RATED, actor, satisfaction=satisfaction, comment=feedback.comment)
    if principal_rater_id(proposal) == actor.member.pk and proposal.status == S.RELEASED:
        released = Reply.objects.filter(
            assignment__proposal=proposal, handling_round=proposal.handling_round, status=ReplyStatus.RELEASED
        )
        rated = Feedback.objects.filter(reply__in=released, member=actor.member).count()
        if rated == released.count():
            ensure_proposal_transition(proposal.status, S.RATED)
            proposal.status = S.RATED
            bump(proposal)
            proposal.save()
    if satisfaction == Satisfaction.DISSATISFIED:
        tell(
            staff_users(proposal),
            proposal,
            _("A proposer is dissatisfied with a reply: %(title)s") % {"title": proposal.title},
            body=feedback.comment,
            kind="proposal.dissatisfied",
        )
    return feedback
