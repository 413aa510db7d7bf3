"""The year's liaison figures: chart, table and the Excel export."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from xieshang.core.audit import audit
from xieshang.core.exports import xlsx_response
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view
from xieshang.liaison.statistics import LiaisonFigures, year_figures
from xieshang.liaison.views.common import recent_years, year_of


def _chart(figures: LiaisonFigures) -> dict[str, Any]:
    names = [row.name for row in figures.by_leader]
    series = {
        str(_("Members visited")): [row.members_visited for row in figures.by_leader],
        str(_("Concerns raised")): [row.concerns_raised for row in figures.by_leader],
        str(_("Concerns resolved")): [row.concerns_resolved for row in figures.by_leader],
    }
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"containLabel": True, "top": 40, "left": 8, "right": 8, "bottom": 8},
        "xAxis": {"type": "category", "data": names},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [{"name": name, "type": "bar", "data": data} for name, data in series.items()],
    }


@council_view(Perm.VIEW_LIAISON_STATISTICS)
def statistics(request: CouncilRequest) -> HttpResponse:
    year = year_of(request)
    figures = year_figures(request.council, year)
    return render(
        request,
        "liaison/statistics.html",
        {"year": year, "years": recent_years(), "figures": figures, "chart": _chart(figures)},
    )


@council_view(Perm.VIEW_LIAISON_STATISTICS)
def statistics_export(request: CouncilRequest) -> HttpResponse:
    year = year_of(request)
    figures = year_figures(request.council, year)
    audit(
        "liaison.statistics_exported",
        user=request.user,
        council=request.council,
        data={"year": year},
        request=request,
    )
    rows: list[list[Any]] = []
    for row in [*figures.by_leader, figures.overall]:
        rows.append(
            [
                row.name or str(_("All leaders")),
                row.title,
                row.visits,
                row.members_visited,
                row.constituents_reached,
                row.concerns_raised,
                row.concerns_resolved,
                row.concerns_open,
            ]
        )
    return xlsx_response(
        filename=f"{request.council.name}{year}三联系工作统计.xlsx",
        sheet_title=str(year),
        headers=[
            _("Leader"),
            _("Position"),
            _("Visits"),
            _("Members visited"),
            _("Constituents reached"),
            _("Concerns raised"),
            _("Concerns resolved"),
            _("Concerns open"),
        ],
        rows=rows,
    )
