"""Helpers every liaison page shares."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from xieshang.councils.tenancy import CouncilRequest
from xieshang.liaison.forms import YearForm


def add_errors(form: forms.Form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        for problem in error.messages:
            form.add_error(None, problem)
        return
    for name, problems in error.message_dict.items():
        target = name if name in form.fields else None
        for problem in problems:
            form.add_error(target, problem)


def year_of(request: CouncilRequest) -> int:
    form = YearForm(request.GET)
    if form.is_valid() and form.cleaned_data.get("year"):
        return int(form.cleaned_data["year"])
    return timezone.localdate().year


def recent_years() -> list[int]:
    this_year = timezone.localdate().year
    return list(range(this_year, this_year - 6, -1))


def version_of(request: CouncilRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None
