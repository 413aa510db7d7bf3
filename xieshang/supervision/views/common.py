"""Helpers the supervision pages share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from xieshang.core.pages import flash_errors
from xieshang.councils.tenancy import CouncilRequest
from xieshang.supervision.forms import YearForm


def url(request: CouncilRequest, name: str, **kwargs: object) -> str:
    return reverse(f"supervision:{name}", kwargs={"council_slug": request.council.slug, **kwargs})


def year_of(request: CouncilRequest) -> int:
    form = YearForm(request.GET)
    if form.is_valid() and form.cleaned_data.get("year"):
        return int(form.cleaned_data["year"])
    return timezone.localdate().year


def recent_years() -> list[int]:
    this_year = timezone.localdate().year
    return list(range(this_year, this_year - 6, -1))


def act_on_form(
    request: CouncilRequest,
    form: forms.Form,
    *,
    back: str,
    invalid: str,
    call: Callable[[dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    """Run one action from a form on an object's page: say what happened, or
    why not, and go back to the page."""
    if not form.is_valid():
        messages.error(request, invalid)
    else:
        try:
            call(form.cleaned_data)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, success)
    return redirect(back)
