"""Writes to a council's working-day calendar: its own exceptions to the
official calendar (a local holiday, or an extra working day)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xieshang.core.audit import audit
from xieshang.core.calendar import is_working_day as official_is_working_day
from xieshang.core.errors import require
from xieshang.core.events import record_event
from xieshang.core.models import CalendarOverride
from xieshang.councils.models import Council
from xieshang.councils.roles import Actor, Perm


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    """data with dates as ISO strings, as event rows store JSON."""
    return json.loads(json.dumps(data, default=str))  # type: ignore[no-any-return]


@transaction.atomic
def add_calendar_override(
    *, actor: Actor, date: dt.date, is_working_day: bool, note: str = ""
) -> CalendarOverride:
    """Make date a working day (is_working_day) or a day off for the actor's
    council, whatever the official calendar says.

    Raise PermissionDenied unless actor may manage the calendar, and
    ValidationError when the council already has an exception for that day or
    the day already is what is asked.
    """
    require(actor.has(Perm.MANAGE_CALENDAR))
    # Lock the council so that two exceptions for one day cannot race.
    Council.objects.select_for_update().filter(pk=actor.council.pk).first()
    if CalendarOverride.objects.filter(council=actor.council, date=date).exists():
        raise ValidationError({"date": _("This day already has an exception; remove it first.")})
    if official_is_working_day(date) == is_working_day:
        message = (
            _("This day is already a working day.") if is_working_day else _("This day is already a day off.")
        )
        raise ValidationError({"date": message})
    row = CalendarOverride.objects.create(
        council=actor.council, date=date, is_working_day=is_working_day, note=note
    )
    data = {"date": date, "is_working_day": is_working_day, "note": note}
    record_event(row, "calendar.override_added", council=actor.council, actor=actor.user, data=_plain(data))
    audit("calendar.add_override", user=actor.user, council=actor.council, obj=row, data=data)
    return row


@transaction.atomic
def remove_calendar_override(override: CalendarOverride, *, actor: Actor) -> None:
    """Give a day back to the official calendar.

    Raise PermissionDenied unless actor may manage the calendar.
    """
    require(actor.has(Perm.MANAGE_CALENDAR))
    row = CalendarOverride.objects.select_for_update().get(pk=override.pk, council=actor.council)
    data = {"date": row.date, "is_working_day": row.is_working_day, "note": row.note}
    record_event(row, "calendar.override_removed", council=actor.council, actor=actor.user, data=_plain(data))
    audit("calendar.remove_override", user=actor.user, council=actor.council, obj=row, data=data)
    row.delete()
