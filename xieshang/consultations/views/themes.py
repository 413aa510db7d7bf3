"""Continuity across years: each theme's years, and the lower councils'.
Staff tag proposals and opinion reports with themes on those apps' pages
(see the themes app)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from xieshang.consultations.actions.continuity import continuity
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view


@council_view(Perm.VIEW_CONSULTATIONS)
def themes(request: CouncilRequest) -> HttpResponse:
    result = continuity(request.actor)
    return render(request, "consultations/themes/continuity.html", {"result": result, "years": result.years})
