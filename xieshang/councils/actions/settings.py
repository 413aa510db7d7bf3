"""Writes to per-council settings (values from settings_catalog)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from xieshang.core.audit import audit
from xieshang.core.errors import require
from xieshang.councils.models import CouncilSetting
from xieshang.councils.roles import Actor, Perm
from xieshang.councils.settings_catalog import SPECS_BY_KEY


@transaction.atomic
def change_setting(
    *, actor: Actor, key: str, raw_value: Any, year: int | None = None, reason: str = ""
) -> CouncilSetting:
    """Record a new value for one of the council's settings.

    Raise PermissionDenied unless actor may manage settings, KeyError for an
    unknown key and ValueError (with a message for the user) for a bad value.
    """
    require(actor.has(Perm.MANAGE_SETTINGS))
    spec = SPECS_BY_KEY[key]
    value = spec.clean(raw_value)
    row = CouncilSetting.objects.create(
        council=actor.council, key=key, year=year, value=value, changed_by=actor.user, reason=reason
    )
    audit(
        "setting.change",
        user=actor.user,
        council=actor.council,
        data={"key": key, "year": year, "value": value, "reason": reason},
    )
    return row
