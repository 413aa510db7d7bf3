"""Proposers' ratings of released replies (征询意见), and what a missing
rating counts as once the window has closed.

A proposer who has not rated a reply by the end of its feedback window gets
a Feedback row recorded automatically (recorded_automatically=True) with what
the council's setting feedback_missing_counts_as says: "no feedback" (the
default; not a rating, so it is left out of the satisfaction rate) or
"satisfied" (then it counts as a satisfied rating, as configured). The
reply's feedback_settled_at marks that this was done, so the periodic sweep
and staff concluding the proposal may both try and only the first records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.accounts.models import User
from xieshang.core.audit import audit
from xieshang.core.errors import Conflict, require
from xieshang.core.events import history, record_event
from xieshang.core.versions import save_new_version
from xieshang.councils.models import Council, Member
from xieshang.councils.queries import get_setting
from xieshang.councils.roles import Actor, Perm
from xieshang.proposals.actions.common import lock_proposal, staff_users, tell
from xieshang.proposals.models import Feedback, Proposal, Reply
from xieshang.proposals.permissions import can_rate
from xieshang.proposals.queries import principal_rater_id, rater_ids
from xieshang.proposals.states import (
    NO_FEEDBACK,
    EventType,
    ProposalStatus,
    ReplyStatus,
    Satisfaction,
    ensure_proposal_transition,
)


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
    if principal_rater_id(proposal) == actor.member.pk and proposal.status == ProposalStatus.RELEASED:
        released = Reply.objects.filter(
            assignment__proposal=proposal, handling_round=proposal.handling_round, status=ReplyStatus.RELEASED
        )
        rated = Feedback.objects.filter(reply__in=released, member=actor.member).count()
        if rated == released.count():
            ensure_proposal_transition(proposal.status, ProposalStatus.RATED)
            proposal.status = ProposalStatus.RATED
            save_new_version(proposal)
    if satisfaction == Satisfaction.DISSATISFIED:
        tell(
            staff_users(proposal),
            proposal,
            _("A proposer is dissatisfied with a reply: %(title)s") % {"title": proposal.title},
            body=feedback.comment,
            kind="proposal.dissatisfied",
        )
    return feedback


def missing_rating_value(council: Council, due_on: dt.date) -> str:
    """What a rating missing at the end of a window closing on due_on is
    recorded as: Satisfaction.SATISFIED or NO_FEEDBACK (the setting of
    that year)."""
    configured = get_setting(council, "feedback_missing_counts_as", year=due_on.year)
    return Satisfaction.SATISFIED.value if configured == "satisfied" else NO_FEEDBACK


def settle_reply_feedback(
    proposal: Proposal, reply: Reply, *, today: dt.date, user: User | None = None
) -> int:
    """Record the missing ratings of a released reply whose feedback window
    closed before today, as the council's setting counts them; return how
    many were recorded. Call with the proposal locked (lock_proposal or
    select_for_update); does nothing for a reply already settled, not
    released, or whose window is still open. user is who caused it (staff
    concluding), None for the periodic sweep; the event has no actor
    either way, since nobody rated."""
    reply = Reply.objects.select_for_update().get(pk=reply.pk)
    if (
        reply.feedback_settled_at is not None
        or reply.status != ReplyStatus.RELEASED
        or reply.feedback_due_on is None
        or reply.feedback_due_on >= today
    ):
        return 0
    value = missing_rating_value(proposal.council, reply.feedback_due_on)
    rated = set(Feedback.objects.filter(reply=reply).values_list("member_id", flat=True))
    missing = list(
        Member.objects.filter(pk__in=rater_ids(proposal) - rated)
        .order_by("pk")
        .values_list("pk", "full_name")
    )
    Feedback.objects.bulk_create(
        Feedback(
            council=proposal.council,
            reply=reply,
            member_id=member_id,
            satisfaction=value,
            recorded_automatically=True,
        )
        for member_id, _name in missing
    )
    reply.feedback_settled_at = timezone.now()
    reply.save(update_fields=["feedback_settled_at"])
    data = {
        "reply": reply.pk,
        "due_on": reply.feedback_due_on.isoformat(),
        "counted_as": value,
        "members": [name for _pk, name in missing],
    }
    if missing:
        label = _("satisfied") if value == Satisfaction.SATISFIED else _("no feedback")
        data["reason"] = _(
            "Not rated by %(date)s by %(names)s; recorded automatically as “%(label)s”, "
            "as the council's settings say."
        ) % {
            "date": reply.feedback_due_on.isoformat(),
            "names": "、".join(name for _pk, name in missing),
            "label": label,
        }
        record_event(proposal, EventType.FEEDBACK_MISSING, council=proposal.council, actor=None, data=data)
    audit(EventType.FEEDBACK_MISSING, user=user, council=proposal.council, obj=proposal, data=data)
    return len(missing)


@dataclass(frozen=True)
class SettleRun:
    replies: int  # replies whose closed window was settled
    recorded: int  # missing ratings recorded automatically


def settle_proposal_feedback(proposal: Proposal, *, today: dt.date, user: User | None = None) -> SettleRun:
    """settle_reply_feedback for every released reply of a locked proposal
    whose window closed before today."""
    replies = list(
        Reply.objects.filter(
            assignment__proposal=proposal,
            status=ReplyStatus.RELEASED,
            feedback_settled_at__isnull=True,
            feedback_due_on__lt=today,
        ).order_by("pk")
    )
    recorded = sum(settle_reply_feedback(proposal, reply, today=today, user=user) for reply in replies)
    return SettleRun(replies=len(replies), recorded=recorded)


def settle_all_feedback(*, today: dt.date) -> SettleRun:
    """The sweep: settle every released reply, in every active council,
    whose feedback window closed before today and that is not settled yet.
    One transaction per proposal; running it again records nothing."""
    pending = set(
        Reply.objects.filter(
            status=ReplyStatus.RELEASED,
            feedback_settled_at__isnull=True,
            feedback_due_on__lt=today,
            council__is_active=True,
        ).values_list("assignment__proposal_id", flat=True)
    )
    replies = recorded = 0
    for proposal_id in sorted(pending):
        with transaction.atomic():
            # of=self: the council join is not to be locked (PostgreSQL).
            proposal = (
                Proposal.objects.select_for_update(of=("self",)).select_related("council").get(pk=proposal_id)
            )
            run = settle_proposal_feedback(proposal, today=today)
        replies += run.replies
        recorded += run.recorded
    return SettleRun(replies=replies, recorded=recorded)
