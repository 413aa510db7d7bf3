"""Deadline reminders: handling units before the reply is due (at the
council's configured working days) and once overdue; units that have not yet
contacted the proposer or (helpers) sent their opinion to the lead unit;
proposers whose rating window is closing; and units that have not yet said
what became of a B-category proposal whose next-year follow-up comes due. Once a rating window has closed,
the missing ratings are recorded as the council's setting counts them
(feedback.settle_all_feedback).

Safe to run any number of times: every message carries a dedupe key made of
the assignment, the round, the due date and the threshold, so a second run
sends nothing new, and an extension (a new due date) starts afresh.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from xieshang.core.calendar import working_days_between
from xieshang.councils.models import Council, Member
from xieshang.councils.queries import get_setting
from xieshang.proposals.actions.common import liaison_users, staff_users, tell
from xieshang.proposals.actions.feedback import settle_all_feedback
from xieshang.proposals.models import Assignment, Feedback, FollowUp, HandlingNote, Proposal, Reply
from xieshang.proposals.queries import rater_ids
from xieshang.proposals.states import (
    HANDLING,
    HELPER_ROLES,
    REPLYING_ROLES,
    FollowUpStatus,
    NoteKind,
    ProposalStatus,
    ReplyStatus,
)


@dataclass(frozen=True)
class ReminderRun:
    checked: int
    reminded: int
    overdue: int
    nudged: int = 0
    # Ratings missing at the end of a window, recorded as the setting says.
    settled: int = 0


def _waiting(council: Council) -> list[Assignment]:
    """Replying assignments of proposals being handled whose reply for the
    current round has not been sent."""
    rows = list(
        Assignment.objects.filter(
            council=council, is_active=True, role__in=REPLYING_ROLES, proposal__status__in=HANDLING
        ).select_related("proposal", "unit", "proposal__council")
    )
    sent = set(
        Reply.objects.filter(
            assignment__in=rows, status__in=(ReplyStatus.SUBMITTED, ReplyStatus.RELEASED)
        ).values_list("assignment_id", "handling_round")
    )
    return [a for a in rows if (a.pk, a.proposal.handling_round) not in sent]


@transaction.atomic
def remind_council(council: Council, *, today: dt.date) -> ReminderRun:
    """Send the reminders due today in one council (system action)."""
    thresholds = sorted(int(d) for d in get_setting(council, "reply_reminder_working_days", year=today.year))
    reminded = overdue = 0
    waiting = _waiting(council)
    for assignment in waiting:
        proposal = assignment.proposal
        due = assignment.effective_due_on
        sent = _deadline_message(
            proposal,
            assignment.unit_id,
            council=council,
            due=due,
            today=today,
            thresholds=thresholds,
            key=f"proposal-reply:{assignment.pk}:{proposal.handling_round}:{due.isoformat()}",
            wording=REPLY_WORDING,
        )
        reminded += sent == REMINDED
        overdue += sent == OVERDUE
    nudged = _nudge_units(council, today=today, within=thresholds[0] if thresholds else 5)
    nudged += _nudge_raters(council, today=today, within=thresholds[0] if thresholds else 5)
    nudged += _nudge_follow_ups(council, today=today, thresholds=thresholds)
    return ReminderRun(checked=len(waiting), reminded=reminded, overdue=overdue, nudged=nudged)


@dataclass(frozen=True)
class Wording:
    """The messages of one kind of deadline: once overdue (to the unit and
    staff) and before it (to the unit), with their kinds; translated when
    sent."""

    overdue: str
    overdue_kind: str
    reminder: str
    reminder_kind: str


REPLY_WORDING = Wording(
    overdue=gettext_noop("Overdue: the reply to No. %(number)s was due on %(date)s"),
    overdue_kind="proposal.overdue",
    reminder=gettext_noop(
        "Reminder: the reply to No. %(number)s is due on %(date)s (%(left)s working days left)"
    ),
    reminder_kind="proposal.reminder",
)
FOLLOW_UP_WORDING = Wording(
    overdue=gettext_noop("Overdue: the follow-up of No. %(number)s was due on %(date)s"),
    overdue_kind="proposal.follow_up_overdue",
    reminder=gettext_noop(
        "Reminder: say what has been done on No. %(number)s by %(date)s (%(left)s working days left)"
    ),
    reminder_kind="proposal.follow_up_reminder",
)
OVERDUE, REMINDED = "overdue", "reminded"


def _deadline_message(
    proposal: Proposal,
    unit_id: int,
    *,
    council: Council,
    due: dt.date,
    today: dt.date,
    thresholds: list[int],
    key: str,
    wording: Wording,
) -> str:
    """Send what a unit's deadline calls for today: once overdue, a message
    to the unit and staff; before it, a reminder to the unit at the nearest
    threshold (working days left) reached. Return OVERDUE, REMINDED or ""."""
    number = proposal.case_number
    if due < today:
        tell(
            liaison_users(proposal, [unit_id]) + staff_users(proposal),
            proposal,
            _(wording.overdue) % {"number": number, "date": due.isoformat()},
            kind=wording.overdue_kind,
            dedupe_key=f"{key}:overdue",
        )
        return OVERDUE
    left = working_days_between(today, due, council)
    # Only the nearest threshold reached: a first run 4 days before the
    # deadline sends the 5-day reminder, not also the 15-day one.
    reached = [d for d in thresholds if left <= d]
    if not reached:
        return ""
    tell(
        liaison_users(proposal, [unit_id]),
        proposal,
        _(wording.reminder) % {"number": number, "date": due.isoformat(), "left": left},
        kind=wording.reminder_kind,
        dedupe_key=f"{key}:{reached[0]}",
    )
    return REMINDED


def _soon(today: dt.date, due: dt.date | None, council: Council, within: int) -> bool:
    return due is not None and today <= due and working_days_between(today, due, council) <= within


def _nudge_units(council: Council, *, today: dt.date, within: int) -> int:
    """Units that have not contacted the proposer, or (helpers) sent their
    opinion to the lead unit, as their date comes near. Once each."""
    sent = 0
    rows = Assignment.objects.filter(
        council=council, is_active=True, proposal__status__in=HANDLING
    ).select_related("proposal", "proposal__council", "unit")
    done = set(HandlingNote.objects.filter(assignment__in=rows).values_list("assignment_id", "kind"))
    for assignment in rows:
        proposal = assignment.proposal
        wanted = [(NoteKind.PRE_HANDLING_CONTACT, assignment.contact_due_on)]
        if assignment.role in HELPER_ROLES:
            wanted.append((NoteKind.HELPER_OPINION, assignment.helper_opinion_due_on))
        for kind, due in wanted:
            if (assignment.pk, kind) in done or due is None or not _soon(today, due, council, within):
                continue
            title = (
                _("Please contact the proposer of No. %(number)s by %(date)s")
                if kind == NoteKind.PRE_HANDLING_CONTACT
                else _("Please send your opinion on No. %(number)s to the lead unit by %(date)s")
            )
            tell(
                liaison_users(proposal, [assignment.unit_id]),
                proposal,
                title % {"number": proposal.case_number, "date": due.isoformat()},
                kind="proposal.handling_reminder",
                dedupe_key=f"proposal-{kind}:{assignment.pk}:{due.isoformat()}",
            )
            sent += 1
    return sent


def _nudge_raters(council: Council, *, today: dt.date, within: int) -> int:
    """Proposers who have not rated a released reply whose window is closing."""
    sent = 0
    replies = Reply.objects.filter(
        council=council,
        status=ReplyStatus.RELEASED,
        feedback_due_on__gte=today,
        assignment__proposal__status__in=(ProposalStatus.RELEASED, ProposalStatus.RATED),
    ).select_related("assignment__proposal", "assignment__proposal__council")
    for reply in replies:
        proposal = reply.assignment.proposal
        if reply.handling_round != proposal.handling_round or not _soon(
            today, reply.feedback_due_on, council, within
        ):
            continue
        rated = set(Feedback.objects.filter(reply=reply).values_list("member_id", flat=True))
        members = Member.objects.filter(
            pk__in=rater_ids(proposal) - rated, user__isnull=False
        ).select_related("user")
        users = [m.user for m in members if m.user is not None]
        if not users:
            continue
        assert reply.feedback_due_on is not None
        tell(
            users,
            proposal,
            _("Please rate the reply to your proposal by %(date)s")
            % {"date": reply.feedback_due_on.isoformat()},
            kind="proposal.rating_reminder",
            dedupe_key=f"proposal-rate:{reply.pk}",
        )
        sent += 1
    return sent


def _nudge_follow_ups(council: Council, *, today: dt.date, thresholds: list[int]) -> int:
    """Units that have not reported on a follow-up: at the nearest reminder
    threshold before its due date, and once when it is overdue (staff too)."""
    sent = 0
    rows = FollowUp.objects.filter(council=council, status=FollowUpStatus.OPEN).select_related(
        "proposal", "proposal__council"
    )
    for follow_up in rows:
        due = follow_up.due_on
        sent += bool(
            _deadline_message(
                follow_up.proposal,
                follow_up.unit_id,
                council=council,
                due=due,
                today=today,
                thresholds=thresholds,
                key=f"proposal-follow-up:{follow_up.pk}:{due.isoformat()}",
                wording=FOLLOW_UP_WORDING,
            )
        )
    return sent


def remind_all(*, today: dt.date) -> ReminderRun:
    """Settle the rating windows that closed before today, then run
    remind_council for every council with proposals being handled or
    replies waiting for a rating."""
    settled = settle_all_feedback(today=today).recorded
    handling = Assignment.objects.filter(is_active=True, proposal__status__in=HANDLING).values_list(
        "council_id", flat=True
    )
    rating = Reply.objects.filter(status=ReplyStatus.RELEASED, feedback_due_on__gte=today).values_list(
        "council_id", flat=True
    )
    following = FollowUp.objects.filter(status=FollowUpStatus.OPEN).values_list("council_id", flat=True)
    council_ids = set(handling) | set(rating) | set(following)
    total = ReminderRun(0, 0, 0, settled=settled)
    for council in Council.objects.filter(pk__in=list(council_ids), is_active=True):
        run = remind_council(council, today=today)
        total = ReminderRun(
            total.checked + run.checked,
            total.reminded + run.reminded,
            total.overdue + run.overdue,
            total.nudged + run.nudged,
            settled,
        )
    return total
