"""The hourly sweep: reminders before the due date and overdue flags, for
recommendations (working days, as for proposals) and letters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from xieshang.core.calendar import working_days_between
from xieshang.core.events import record_event
from xieshang.core.notifications import notify
from xieshang.supervision.actions.common import page_url, staff_users, unit_users
from xieshang.supervision.models import Recommendation, RecommendationLetter
from xieshang.supervision.states import AWAITING_REPLY, EventType, RecommendationStatus

# Working days before the due date on which the unit is reminded.
REMIND_DAYS_BEFORE = 3


@dataclass(frozen=True)
class SweepRun:
    checked: int
    reminded: int
    overdue: int


def remind_and_flag(*, today: dt.date) -> SweepRun:
    """Remind units of replies due within REMIND_DAYS_BEFORE working days and
    flag those past due, telling the unit and the staff. Idempotent: flags are
    set by compare-and-swap updates and every message has a dedupe key."""
    checked = reminded = overdue = 0
    recommendations = Recommendation.objects.filter(status=RecommendationStatus.SENT)
    letters = RecommendationLetter.objects.filter(status__in=AWAITING_REPLY)
    waiting: list[tuple[Iterable[Recommendation | RecommendationLetter], str]] = [
        (recommendations.select_related("council").iterator(), "recommendation"),
        (letters.select_related("council").iterator(), "letter"),
    ]
    for rows, page in waiting:
        for row in rows:
            checked += 1
            if row.due_on < today:
                overdue += _flag(row, page, today)
            elif working_days_between(today, row.due_on, row.council) <= REMIND_DAYS_BEFORE:
                reminded += _remind(row, page)
    return SweepRun(checked=checked, reminded=reminded, overdue=overdue)


def _remind(row: Recommendation | RecommendationLetter, page: str) -> int:
    sent = notify(
        recipients=unit_users(row.council_id, row.handling_unit_id),
        council=row.council,
        title=_("Reply due on %(date)s: %(title)s") % {"date": row.due_on.isoformat(), "title": row.title},
        url=page_url(page, row),
        kind="supervision.due_soon",
        dedupe_key=f"supervision.{page}.{row.pk}.due.{row.due_on.isoformat()}",
    )
    return 1 if sent else 0


@transaction.atomic
def _flag(row: Recommendation | RecommendationLetter, page: str, today: dt.date) -> int:
    model: type[Model] = type(row)
    flagged = model._default_manager.filter(pk=row.pk, overdue_since__isnull=True).update(overdue_since=today)
    if not flagged:
        return 0
    event = EventType.LETTER_OVERDUE if page == "letter" else EventType.RECOMMENDATION_OVERDUE
    record_event(row, event, council=row.council, data={"due_on": row.due_on.isoformat()})
    notify(
        recipients=[*unit_users(row.council_id, row.handling_unit_id), *staff_users(row.council_id)],
        council=row.council,
        title=_("Reply overdue since %(date)s: %(title)s")
        % {"date": row.due_on.isoformat(), "title": row.title},
        url=page_url(page, row),
        kind="supervision.overdue",
        dedupe_key=f"supervision.{page}.{row.pk}.overdue",
    )
    return 1
