"""Writes to per-council settings (values from settings_catalog).

Each change is a new CouncilSetting row; the row's event carries the old and
the new value, so the settings page can show who changed what, when and why.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import JSONField, Value
from django.utils.translation import gettext as _

from xieshang.core.audit import audit
from xieshang.core.errors import require
from xieshang.core.events import record_event
from xieshang.councils.models import Council, CouncilSetting
from xieshang.councils.queries import get_setting
from xieshang.councils.roles import Actor, Perm
from xieshang.councils.settings_catalog import DATE_RANGES, SPECS_BY_KEY, as_date


def _lock_settings(council: Council) -> None:
    # Lock the council row: setting changes are serialised, so that the old
    # value recorded in each event is really the one replaced.
    Council.objects.select_for_update().filter(pk=council.pk).first()


def _json(value: Any) -> Any:
    # An empty date setting is None, stored as JSON null (the column is not nullable).
    return Value(None, output_field=JSONField()) if value is None else value


def _check_date(council: Council, key: str, value: Any, year: int | None) -> None:
    """Raise ValueError unless a date value belongs to one year and keeps its
    period in order (first day not after the last, as set for that year)."""
    if value is None:
        return
    if year is None:
        raise ValueError(_("A date applies to one year: fill in the year it is for."))
    day = as_date(value)
    assert day is not None
    for first, last in DATE_RANGES:
        if key == first:
            other = as_date(get_setting(council, last, year=year))
            if other is not None and day > other:
                raise ValueError(
                    _("This date is after the end of the period (%(date)s) set for %(year)s.")
                    % {"date": other.isoformat(), "year": year}
                )
        if key == last:
            other = as_date(get_setting(council, first, year=year))
            if other is not None and day < other:
                raise ValueError(
                    _("This date is before the start of the period (%(date)s) set for %(year)s.")
                    % {"date": other.isoformat(), "year": year}
                )


def _record(row: CouncilSetting, *, actor: Actor, event_type: str, old: Any) -> None:
    data = {"key": row.key, "year": row.year, "old": old, "new": row.value, "reason": row.reason}
    record_event(row, event_type, council=actor.council, actor=actor.user, data=data)
    audit(event_type.replace("changed", "change"), user=actor.user, council=actor.council, obj=row, data=data)


@transaction.atomic
def change_setting(
    *, actor: Actor, key: str, raw_value: Any, year: int | None = None, reason: str = ""
) -> CouncilSetting:
    """Record a new value for one of the council's settings, for all years or
    (year given) for that year only.

    Raise PermissionDenied unless actor may manage settings, KeyError for an
    unknown key and ValueError (with a message for the user) for a bad value.
    """
    require(actor.has(Perm.MANAGE_SETTINGS))
    spec = SPECS_BY_KEY[key]
    value = spec.clean(raw_value)
    _lock_settings(actor.council)
    if spec.kind == "date":
        _check_date(actor.council, key, value, year)
    old = get_setting(actor.council, key, year=year)
    row = CouncilSetting.objects.create(
        council=actor.council, key=key, year=year, value=_json(value), changed_by=actor.user, reason=reason
    )
    row.value = value
    _record(row, actor=actor, event_type="setting.changed", old=old)
    return row


@transaction.atomic
def reset_setting(*, actor: Actor, key: str, year: int | None = None, reason: str = "") -> CouncilSetting:
    """End the council's own value of a setting: for all years (back to the
    catalogue default) or for one year (back to the all-years value).

    Raise PermissionDenied unless actor may manage settings and KeyError for
    an unknown key.
    """
    require(actor.has(Perm.MANAGE_SETTINGS))
    if key not in SPECS_BY_KEY:
        raise KeyError(key)
    _lock_settings(actor.council)
    old = get_setting(actor.council, key, year=year)
    row = CouncilSetting(
        council=actor.council,
        key=key,
        year=year,
        value=_json(old),
        changed_by=actor.user,
        reason=reason,
        is_reset=True,
    )
    row.save()
    # What applies now that this series has no value of its own.
    now_applies = get_setting(actor.council, key, year=year)
    row.value = _json(now_applies)
    row.save(update_fields=["value"])
    row.value = now_applies
    _record(row, actor=actor, event_type="setting.reset", old=old)
    return row
