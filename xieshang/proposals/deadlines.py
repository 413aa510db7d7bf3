"""Due dates of proposal handling, on the council's working-day calendar."""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt

from xieshang.core.calendar import add_working_days, is_working_day
from xieshang.councils.models import Council
from xieshang.councils.queries import get_setting


def add_months(start: dt.date, months: int) -> dt.date:
    """The same day months later; the month's last day when it is shorter."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = min(start.day, month_calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def next_working_day(day: dt.date, council: Council) -> dt.date:
    """day itself when it is a working day, else the first working day after it."""
    return day if is_working_day(day, council) else add_working_days(day, 1, council)


def reply_due_on(council: Council, assigned_on: dt.date) -> dt.date:
    """Reply due reply_due_months after assignment; a due date falling on a
    holiday moves to the next working day (the unit cannot send on a holiday)."""
    months = int(get_setting(council, "reply_due_months", year=assigned_on.year))
    return next_working_day(add_months(assigned_on, months), council)


def latest_allowed_due_on(council: Council, assigned_on: dt.date) -> dt.date:
    """The latest due date an extension may set (max_total_handling_months)."""
    months = int(get_setting(council, "max_total_handling_months", year=assigned_on.year))
    return next_working_day(add_months(assigned_on, months), council)


def objection_due_on(council: Council, assigned_on: dt.date) -> dt.date:
    days = int(get_setting(council, "assignment_objection_working_days", year=assigned_on.year))
    return add_working_days(assigned_on, days, council)


def feedback_due_on(council: Council, released_on: dt.date) -> dt.date:
    days = int(get_setting(council, "feedback_working_days", year=released_on.year))
    return add_working_days(released_on, days, council)


def contact_due_on(council: Council, assigned_on: dt.date) -> dt.date:
    """Contact the proposer before handling within pre_handling_contact_working_days."""
    days = int(get_setting(council, "pre_handling_contact_working_days", year=assigned_on.year))
    return add_working_days(assigned_on, days, council)


def helper_opinion_due_on(council: Council, assigned_on: dt.date) -> dt.date:
    """Assisting and joint units send their opinion to the lead within helper_opinion_months."""
    months = int(get_setting(council, "helper_opinion_months", year=assigned_on.year))
    return next_working_day(add_months(assigned_on, months), council)
