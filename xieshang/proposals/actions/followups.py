"""Follow-ups (跟踪办理) of proposals concluded with a B-category reply: the
next year the unit says what has been done since, and staff close the item.

Which reply categories need a follow-up is configured on the category
(ReplyCategory.needs_follow_up, B by default). One follow-up per proposal and
unit, due by the end of the year after the conclusion.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.errors import require
from xieshang.core.events import history
from xieshang.core.versions import check_version, save_new_version
from xieshang.councils.roles import Actor, Perm
from xieshang.proposals.actions.common import liaison_users, lock_proposal, staff_users, tell
from xieshang.proposals.models import FollowUp, Proposal, Reply
from xieshang.proposals.permissions import is_unit_of_follow_up
from xieshang.proposals.states import (
    EventType,
    FollowUpStatus,
    ReplyStatus,
    ensure_follow_up_transition,
)

RESULT_MAX = 3000


def follow_up_due_on(concluded_on: dt.date) -> dt.date:
    """The re-check is due by the end of the year after the conclusion."""
    return dt.date(concluded_on.year + 1, 12, 31)


def open_follow_ups(proposal: Proposal, *, actor: Actor, today: dt.date) -> list[FollowUp]:
    """Open a follow-up for each unit whose final released reply to the
    (locked, concluding) proposal is in a category that needs one. Called by
    conclude_proposal, inside its transaction and after its permission
    check; a unit that already has one gets no second (idempotent)."""
    replies = (
        Reply.objects.filter(
            assignment__proposal=proposal,
            handling_round=proposal.handling_round,
            status=ReplyStatus.RELEASED,
            category__needs_follow_up=True,
        )
        .select_related("assignment__unit", "category")
        .order_by("pk")
    )
    existing = set(FollowUp.objects.filter(proposal=proposal).values_list("unit_id", flat=True))
    opened = []
    for reply in replies:
        unit = reply.assignment.unit
        if unit.pk in existing:
            continue
        existing.add(unit.pk)
        follow_up = FollowUp.objects.create(
            council=proposal.council,
            proposal=proposal,
            reply=reply,
            unit=unit,
            due_on=follow_up_due_on(today),
        )
        opened.append(follow_up)
        assert reply.category is not None
        history(
            proposal,
            EventType.FOLLOW_UP_OPENED,
            actor,
            unit=unit.name,
            category=reply.category.code,
            due_on=follow_up.due_on.isoformat(),
        )
    return opened


def _lock(follow_up: FollowUp, actor: Actor) -> tuple[Proposal, FollowUp]:
    proposal = lock_proposal(follow_up.proposal, actor)
    locked = (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=follow_up.pk, council=actor.council)
    )
    locked.proposal = proposal
    return proposal, locked


@transaction.atomic
def report_follow_up(
    follow_up: FollowUp, *, actor: Actor, result: str, expected_version: int | None = None
) -> FollowUp:
    """Record, for the actor's unit, what has been done since the B-category
    reply; it may be corrected until staff close the follow-up.

    Raise PermissionDenied unless the actor is a liaison of the follow-up's
    unit, InvalidTransition once it is closed, StaleEdit for an outdated
    form and ValidationError for an empty or over-long account.
    """
    proposal, follow_up = _lock(follow_up, actor)
    require(is_unit_of_follow_up(actor, follow_up))
    check_version(follow_up, expected_version)
    ensure_follow_up_transition(follow_up.status, FollowUpStatus.REPORTED)
    text = result.strip()
    if not text:
        raise ValidationError({"result": _("Say what has been done since the reply.")})
    if len(text) > RESULT_MAX:
        raise ValidationError({"result": _("Keep it within %(max)s characters.") % {"max": RESULT_MAX}})
    follow_up.status = FollowUpStatus.REPORTED
    follow_up.result = text
    follow_up.reported_by = actor.user
    follow_up.reported_at = timezone.now()
    save_new_version(follow_up)
    history(proposal, EventType.FOLLOW_UP_REPORTED, actor, unit=follow_up.unit.name, follow_up=follow_up.pk)
    tell(
        staff_users(proposal),
        proposal,
        _("A unit reported on the follow-up of No. %(number)s") % {"number": proposal.case_number},
        body=text,
        kind="proposal.follow_up_reported",
    )
    return follow_up


@transaction.atomic
def close_follow_up(
    follow_up: FollowUp, *, actor: Actor, note: str = "", expected_version: int | None = None
) -> FollowUp:
    """Close a follow-up the unit has reported on (staff).

    Raise PermissionDenied unless the actor reviews proposals (the follow-up
    was read in the actor's council), InvalidTransition unless the unit has
    reported, StaleEdit for an outdated form.
    """
    proposal, follow_up = _lock(follow_up, actor)
    require(actor.has(Perm.REVIEW_PROPOSALS))
    check_version(follow_up, expected_version)
    ensure_follow_up_transition(follow_up.status, FollowUpStatus.CLOSED)
    follow_up.status = FollowUpStatus.CLOSED
    follow_up.close_note = note.strip()
    follow_up.closed_by = actor.user
    follow_up.closed_at = timezone.now()
    save_new_version(follow_up)
    history(
        proposal,
        EventType.FOLLOW_UP_CLOSED,
        actor,
        unit=follow_up.unit.name,
        follow_up=follow_up.pk,
        reason=follow_up.close_note,
    )
    tell(
        liaison_users(proposal, [follow_up.unit_id]),
        proposal,
        _("The follow-up of No. %(number)s is closed") % {"number": proposal.case_number},
        body=follow_up.close_note,
        kind="proposal.follow_up_closed",
    )
    return follow_up
