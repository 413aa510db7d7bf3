"""Helpers every liaison page shares."""

from __future__ import annotations

from django.utils import timezone

from xieshang.councils.tenancy import CouncilRequest
from xieshang.liaison.forms import YearForm


def year_of(request: CouncilRequest) -> int:
    form = YearForm(request.GET)
    if form.is_valid() and form.cleaned_data.get("year"):
        return int(form.cleaned_data["year"])
    return timezone.localdate().year


def recent_years() -> list[int]:
    this_year = timezone.localdate().year
    return list(range(this_year, this_year - 6, -1))
