"""Template helpers shared by every page: deadline chips, masked values."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from xieshang.core.calendar import overrides_around, working_days_between

register = template.Library()

SOON_WORKING_DAYS = 5
_REQUEST_CACHE = "_xs_calendar_overrides"


def _known_overrides(context: Any, council: Any, today: dt.date) -> Any:
    """The council's calendar overrides around today, read once per request so a
    list of a hundred deadline chips costs one query, not a hundred."""
    request = context.get("request")
    if council is None or request is None:
        return None
    cache: dict[tuple[int, dt.date], Any] = getattr(request, _REQUEST_CACHE, None) or {}
    key = (council.pk, today)
    if key not in cache:
        cache[key] = overrides_around(council, today)
        setattr(request, _REQUEST_CACHE, cache)
    return cache[key]


@register.simple_tag(takes_context=True)
def deadline_info(context: Any, due_on: dt.date) -> dict[str, str]:
    """Label and colour class for a due date, counted in working days."""
    council = context.get("current_council")
    today = timezone.localdate()
    left = working_days_between(today, due_on, council, known=_known_overrides(context, council, today))
    if due_on < today:
        late = (today - due_on).days
        label = ngettext("%(n)s day overdue", "%(n)s days overdue", late) % {"n": late}
        return {"label": label, "css": "deadline-overdue"}
    label = ngettext("%(n)s working day left", "%(n)s working days left", left) % {"n": left}
    if due_on == today:
        label = _("due today")
    return {"label": label, "css": "deadline-soon" if left <= SOON_WORKING_DAYS else "deadline-ok"}


@register.filter
def duration(seconds: int | float | None) -> str:
    """A speech length as people say it: "8 minutes", "5 min 12 s", "40 s"."""
    if seconds is None or seconds == "":
        return ""
    minutes, rest = divmod(int(seconds), 60)
    if minutes and not rest:
        return ngettext("%(m)s minute", "%(m)s minutes", minutes) % {"m": minutes}
    if not minutes:
        return _("%(s)s s") % {"s": rest}
    return _("%(m)s min %(s)s s") % {"m": minutes, "s": rest}


@register.filter
def max_chars(field: Any) -> str:
    """The character limit StyledFormMixin gave a bound field's widget for its
    counter ("" when it has none)."""
    return str(field.field.widget.attrs.get("data-max-chars", ""))


@register.filter
def is_choice_list(field: Any) -> bool:
    """Whether a bound field shows its choices as radio buttons or checkboxes."""
    widget = field.field.widget
    kind = getattr(widget, "input_type", "")
    return kind == "radio" or (kind == "checkbox" and bool(getattr(widget, "allow_multiple_selected", False)))


@register.simple_tag
def colon() -> str:
    """What follows a label before its value: ": " in English, the
    full-width "：" in Chinese (one punctuation style per language)."""
    return pgettext("label separator", ": ")
