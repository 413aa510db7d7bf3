"""Working days: the official Chinese calendar (holidays and adjusted
workdays, from chinese_calendar) plus each council's own overrides.

Beyond the years the package knows, fall back to Monday–Friday plus the
council's overrides, and say so (calendar_is_official) so pages can warn staff.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import chinese_calendar
from django.utils.translation import gettext

from xieshang.core.models import CalendarOverride


def calendar_is_official(year: int) -> bool:
    """True when the official holiday data covers year."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def _official_is_working_day(day: dt.date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def _overrides(council: Any, start: dt.date, end: dt.date) -> dict[dt.date, bool]:
    if council is None:
        return {}
    rows = CalendarOverride.objects.filter(council=council, date__range=(start, end))
    return {row.date: row.is_working_day for row in rows}


def is_working_day(day: dt.date, council: Any = None) -> bool:
    override = _overrides(council, day, day).get(day)
    return _official_is_working_day(day) if override is None else override


def add_working_days(start: dt.date, days: int, council: Any = None) -> dt.date:
    """The date days working days after start (start itself not counted).

    add_working_days(Fri, 1) is the next working Monday; days=0 returns start.
    Negative days count backwards (for "remind 5 working days before").
    Raise ValueError when the result would fall outside the calendar
    (years 1–9999), e.g. for a mistyped year far in the future.
    """
    if days == 0:
        return start
    step = 1 if days > 0 else -1
    # Generous window for one override query: 3 calendar days per working day
    # plus the longest holiday, kept inside the representable dates.
    span = abs(days) * 3 + 30
    if step > 0:
        window = (start, dt.date.fromordinal(min(start.toordinal() + span, dt.date.max.toordinal())))
    else:
        window = (dt.date.fromordinal(max(start.toordinal() - span, 1)), start)
    overrides = _overrides(council, *window)
    remaining = abs(days)
    day = start
    while remaining:
        try:
            day += dt.timedelta(days=step)
        except OverflowError as exc:
            raise ValueError("the date is outside the calendar") from exc
        override = overrides.get(day)
        working = _official_is_working_day(day) if override is None else override
        if working:
            remaining -= 1
    return day


def overrides_around(
    council: Any, today: dt.date, days: int = 400
) -> tuple[dt.date, dt.date, dict[dt.date, bool]]:
    """The council's overrides from days before to days after today, read once,
    with the range they cover: for pages that count many deadlines at a time."""
    low = today - dt.timedelta(days=days)
    high = today + dt.timedelta(days=days)
    return low, high, _overrides(council, low, high)


def working_days_between(
    start: dt.date,
    end: dt.date,
    council: Any = None,
    *,
    known: tuple[dt.date, dt.date, Mapping[dt.date, bool]] | None = None,
) -> int:
    """Working days after start up to and including end; negative when end < start.

    known is the result of overrides_around(council, ...): when it covers the
    range, the council's overrides are taken from it instead of read again.
    """
    if end == start:
        return 0
    sign = 1 if end > start else -1
    low, high = (start, end) if sign > 0 else (end, start)
    if known is not None and known[0] <= low and high <= known[1]:
        overrides: Mapping[dt.date, bool] = known[2]
    else:
        overrides = _overrides(council, low, high)
    count = 0
    day = low
    while day < high:
        day += dt.timedelta(days=1)
        override = overrides.get(day)
        if _official_is_working_day(day) if override is None else override:
            count += 1
    return sign * count


def calendar_warning(council: Any, year: int) -> str | None:
    """A sentence for pages that compute deadlines in year, when the official
    holidays of that year are not known; None when they are."""
    if calendar_is_official(year):
        return None
    entered = 0
    if council is not None:
        entered = CalendarOverride.objects.filter(council=council, date__year=year).count()
    if entered:
        return gettext(
            "The official holidays for %(year)s are not in the system yet. Deadlines count Monday to "
            "Friday and the %(count)s days this council entered; check them against the published "
            "holiday notice."
        ) % {"year": year, "count": entered}
    return gettext(
        "The official holidays for %(year)s are not in the system yet, so deadlines count Monday to "
        "Friday only. Enter the holidays and adjusted working days in this council's calendar."
    ) % {"year": year}
