"""The year's democratic supervision figures, each rate with its numerator
and denominator; the upper council sees this page, never the records."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view
from xieshang.supervision.statistics import year_statistics
from xieshang.supervision.views.common import recent_years, year_of


@council_view(Perm.VIEW_AGGREGATES)
def statistics(request: CouncilRequest) -> HttpResponse:
    year = year_of(request)
    return render(
        request,
        "supervision/statistics.html",
        {
            "year": year,
            "years": recent_years(),
            "figures": year_statistics(request.council, year),
            "sees_records": request.actor.has(Perm.VIEW_SUPERVISION),
        },
    )
