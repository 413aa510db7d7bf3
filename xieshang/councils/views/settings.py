"""The council's settings page: every catalogue setting with its default and
current value; one page per setting to change or reset it, with its history."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.councils.actions.settings import change_setting, reset_setting
from xieshang.councils.forms.settings import ResetSettingForm, SettingForm
from xieshang.councils.queries import get_setting, setting_history, settings_overview
from xieshang.councils.roles import Perm
from xieshang.councils.settings_catalog import SPECS_BY_KEY, SettingSpec
from xieshang.councils.tenancy import CouncilRequest, council_view


def _spec(key: str) -> SettingSpec:
    try:
        return SPECS_BY_KEY[key]
    except KeyError:
        raise Http404 from None


@council_view(Perm.MANAGE_SETTINGS)
def settings_page(request: CouncilRequest) -> HttpResponse:
    """Every setting, grouped by section: default, current value, unit."""
    states = settings_overview(request.council)
    sections = [
        {"title": section, "states": list(rows)}
        for section, rows in groupby(states, key=lambda s: s.spec.section)
    ]
    return render(request, "councils/settings/index.html", {"sections": sections})


@council_view(Perm.MANAGE_SETTINGS)
def setting_edit(request: CouncilRequest, key: str) -> HttpResponse:
    """Change one setting (for all years or one year), with its history."""
    spec = _spec(key)
    # A word list is edited in place: the form starts from the current list.
    initial = {"value": "，".join(get_setting(request.council, key))} if spec.kind == "words" else None
    form = SettingForm(request.POST or None, spec=spec, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change_setting(
                actor=request.actor,
                key=key,
                raw_value=data["value"],
                year=data["year"],
                reason=data["reason"],
            )
        except ValueError as exc:
            form.add_error("value", str(exc))
        else:
            messages.success(request, _("“%(label)s” was changed.") % {"label": spec.label})
            return redirect("councils:setting_edit", request.council.slug, key)
    state = next(s for s in settings_overview(request.council) if s.spec.key == key)
    context = {
        "spec": spec,
        "state": state,
        "form": form,
        "history": setting_history(request.council, key)[:100],
    }
    return render(request, "councils/settings/edit.html", context, status=400 if form.errors else 200)


@require_POST
@council_view(Perm.MANAGE_SETTINGS)
def setting_reset(request: CouncilRequest, key: str) -> HttpResponse:
    """Drop the council's own value (all years, or one year) of a setting."""
    spec = _spec(key)
    form = ResetSettingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The year is not valid."))
        return redirect("councils:setting_edit", request.council.slug, key)
    reset_setting(
        actor=request.actor, key=key, year=form.cleaned_data["year"], reason=form.cleaned_data["reason"]
    )
    messages.success(request, _("“%(label)s” is back to its default.") % {"label": spec.label})
    return redirect("councils:setting_edit", request.council.slug, key)
