"""The session-proposal window: when session proposals may be filed.

DOMAIN.md §1: session proposals are filed in the window before and during the
plenary; regular proposals at any time. A council sets the window per year
(the year of the plenary) with the settings session_window_opens_on and
session_window_closes_on; a side left empty follows that year's plenary
Session: the window opens session_window_days_before days before the plenary
opens and closes the day the plenary closes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xieshang.councils.models import Council, Session
from xieshang.councils.queries import get_setting
from xieshang.councils.settings_catalog import as_date


@dataclass(frozen=True)
class SessionWindow:
    """The days (both included) on which session proposals for the plenary of
    year may be filed."""

    year: int
    opens_on: dt.date
    closes_on: dt.date

    def includes(self, day: dt.date) -> bool:
        return self.opens_on <= day <= self.closes_on


def session_window(council: Council, year: int) -> SessionWindow | None:
    """The council's session window for the plenary of year, or None when the
    council set no dates for that year and has no plenary session in it."""
    opens_on = as_date(get_setting(council, "session_window_opens_on", year=year))
    closes_on = as_date(get_setting(council, "session_window_closes_on", year=year))
    if opens_on is None or closes_on is None:
        plenary = Session.objects.filter(council=council, year=year).order_by("-opens_on", "-pk").first()
        if plenary is None:
            return None
        if opens_on is None:
            days_before = int(get_setting(council, "session_window_days_before", year=year))
            opens_on = plenary.opens_on - dt.timedelta(days=days_before)
        if closes_on is None:
            closes_on = plenary.closes_on
    return SessionWindow(year=year, opens_on=opens_on, closes_on=closes_on)


@dataclass(frozen=True)
class WindowStatus:
    """The window open on a day (if any), else the last one that closed and
    the next one known to open."""

    current: SessionWindow | None
    upcoming: SessionWindow | None
    closed: SessionWindow | None = None

    @property
    def is_open(self) -> bool:
        return self.current is not None


def window_status(council: Council, day: dt.date) -> WindowStatus:
    """Whether session proposals may be filed on day. A plenary early in a
    year opens its window in the December before, so the windows of day's
    year and of the next year are both looked at."""
    windows = [w for w in (session_window(council, day.year), session_window(council, day.year + 1)) if w]
    current = next((w for w in windows if w.includes(day)), None)
    if current is not None:
        return WindowStatus(current=current, upcoming=None)
    upcoming = next((w for w in windows if w.opens_on > day), None)
    closed = next((w for w in reversed(windows) if w.closes_on < day), None)
    if closed is None:
        last_year = session_window(council, day.year - 1)
        closed = last_year if last_year is not None and last_year.closes_on < day else None
    return WindowStatus(current=None, upcoming=upcoming, closed=closed)
