"""Template helpers shared by every page: deadline chips, masked values."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from xieshang.core.calendar import working_days_between

register = template.Library()

SOON_WORKING_DAYS = 5


@register.simple_tag(takes_context=True)
def deadline_info(context: Any, due_on: dt.date) -> dict[str, str]:
    """Label and colour class for a due date, counted in working days."""
    council = context.get("current_council")
    today = timezone.localdate()
    left = working_days_between(today, due_on, council)
    if due_on < today:
        late = (today - due_on).days
        label = ngettext("%(n)s day overdue", "%(n)s days overdue", late) % {"n": late}
        return {"label": label, "css": "deadline-overdue"}
    label = ngettext("%(n)s working day left", "%(n)s working days left", left) % {"n": left}
    if due_on == today:
        label = _("due today")
    return {"label": label, "css": "deadline-soon" if left <= SOON_WORKING_DAYS else "deadline-ok"}
