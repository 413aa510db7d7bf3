"""The council's calendar page: its own exceptions to the official calendar,
the next 30 days, and a warning where official data runs out."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.core.calendar import calendar_is_official, is_working_day
from xieshang.councils.actions.calendar import add_calendar_override, remove_calendar_override
from xieshang.councils.forms.settings import CalendarOverrideForm
from xieshang.councils.queries import access_calendar_override, calendar_overrides
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view

PREVIEW_DAYS = 30


def _context(request: CouncilRequest, form: CalendarOverrideForm) -> dict[str, object]:
    today = timezone.localdate()
    overrides = list(calendar_overrides(request.council, since=today.replace(month=1, day=1)))
    by_date = {row.date: row for row in overrides}
    preview = []
    for offset in range(PREVIEW_DAYS):
        day = today + dt.timedelta(days=offset)
        override = by_date.get(day)
        official = is_working_day(day)
        preview.append(
            {
                "date": day,
                "is_working_day": official if override is None else override.is_working_day,
                "override": override,
            }
        )
    unofficial_years = [year for year in (today.year, today.year + 1) if not calendar_is_official(year)]
    return {
        "form": form,
        "overrides": overrides,
        "preview": preview,
        "unofficial_years": unofficial_years,
        "today": today,
    }


@council_view(Perm.MANAGE_CALENDAR)
def calendar_page(request: CouncilRequest) -> HttpResponse:
    return render(request, "councils/calendar/index.html", _context(request, CalendarOverrideForm()))


@require_POST
@council_view(Perm.MANAGE_CALENDAR)
def calendar_add(request: CouncilRequest) -> HttpResponse:
    form = CalendarOverrideForm(request.POST)
    if form.is_valid():
        try:
            row = add_calendar_override(actor=request.actor, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The exception for %(date)s was saved.") % {"date": date_format(row.date)}
            )
            return redirect("councils:calendar", request.council.slug)
    return render(request, "councils/calendar/index.html", _context(request, form), status=400)


@require_POST
@council_view(Perm.MANAGE_CALENDAR)
def calendar_remove(request: CouncilRequest, override_id: int) -> HttpResponse:
    row = access_calendar_override(request.actor, override_id)
    remove_calendar_override(row, actor=request.actor)
    messages.success(
        request, _("%(date)s follows the official calendar again.") % {"date": date_format(row.date)}
    )
    return redirect("councils:calendar", request.council.slug)
