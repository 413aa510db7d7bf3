"""Deadline reminders for handling units: before the reply is due (at the
council's configured working days) and once overdue.

Safe to run any number of times: every message carries a dedupe key made of
the assignment, the round, the due date and the threshold, so a second run
sends nothing new, and an extension (a new due date) starts afresh.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from xieshang.core.calendar import working_days_between
from xieshang.councils.models import Council
from xieshang.councils.queries import get_setting
from xieshang.proposals.actions.common import liaison_users, staff_users, tell
from xieshang.proposals.models import Assignment, Reply
from xieshang.proposals.states import HANDLING, REPLYING_ROLES, ReplyStatus


@dataclass(frozen=True)
class ReminderRun:
    checked: int
    reminded: int
    overdue: int


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
        key = f"proposal-reply:{assignment.pk}:{proposal.handling_round}:{due.isoformat()}"
        if due < today:
            tell(
                liaison_users(proposal, [assignment.unit_id]) + staff_users(proposal),
                proposal,
                _("Overdue: the reply to No. %(number)s was due on %(date)s")
                % {"number": proposal.case_number, "date": due.isoformat()},
                kind="proposal.overdue",
                dedupe_key=f"{key}:overdue",
            )
            overdue += 1
            continue
        left = working_days_between(today, due, council)
        # Only the nearest threshold reached: a first run 4 days before the
        # deadline sends the 5-day reminder, not also the 15-day one.
        reached = [d for d in thresholds if left <= d]
        if not reached:
            continue
        tell(
            liaison_users(proposal, [assignment.unit_id]),
            proposal,
            _("Reminder: the reply to No. %(number)s is due on %(date)s (%(left)s working days left)")
            % {"number": proposal.case_number, "date": due.isoformat(), "left": left},
            kind="proposal.reminder",
            dedupe_key=f"{key}:{reached[0]}",
        )
        reminded += 1
    return ReminderRun(checked=len(waiting), reminded=reminded, overdue=overdue)


def remind_all(*, today: dt.date) -> ReminderRun:
    """Run remind_council for every council with proposals being handled."""
    council_ids = (
        Assignment.objects.filter(is_active=True, proposal__status__in=HANDLING)
        .values_list("council_id", flat=True)
        .distinct()
    )
    total = ReminderRun(0, 0, 0)
    for council in Council.objects.filter(pk__in=list(council_ids), is_active=True):
        run = remind_council(council, today=today)
        total = ReminderRun(
            total.checked + run.checked, total.reminded + run.reminded, total.overdue + run.overdue
        )
    return total
