"""The year's figures: charts with tables, and the Excel export."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.audit import audit
from xieshang.core.exports import xlsx_response
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view
from xieshang.opinions.forms import YearForm
from xieshang.opinions.states import ForwardTarget, Level
from xieshang.opinions.statistics import YearFigures, year_figures


def _year(request: CouncilRequest) -> int:
    form = YearForm(request.GET)
    if form.is_valid() and form.cleaned_data.get("year"):
        return int(form.cleaned_data["year"])
    return timezone.localdate().year


def _bar(categories: list[str], series: dict[str, list[int]]) -> dict[str, Any]:
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"containLabel": True, "top": 40, "left": 8, "right": 8, "bottom": 8},
        "xAxis": {"type": "category", "data": categories},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [{"name": name, "type": "bar", "data": data} for name, data in series.items()],
    }


@council_view(Perm.VIEW_OPINION_STATISTICS)
def statistics(request: CouncilRequest) -> HttpResponse:
    year = _year(request)
    figures = year_figures(request.council, year)
    levels = [str(label) for label in Level.labels]
    level_chart = _bar(
        levels,
        {
            str(_("Highest level reached")): [figures.reached[v] for v in Level.values],
            str(_("Instructions")): [figures.instructions[v] for v in Level.values],
        },
    )
    sector_chart = _bar(
        [row.name for row in figures.by_sector],
        {
            str(_("Filed")): [row.filed for row in figures.by_sector],
            str(_("Adopted")): [row.adopted for row in figures.by_sector],
        },
    )
    return render(
        request,
        "opinions/statistics.html",
        {
            "year": year,
            "figures": figures,
            "level_rows": [
                (label, figures.reached[v], figures.instructions[v]) for v, label in Level.choices
            ],
            "forward_rows": [(label, figures.forwarded[v]) for v, label in ForwardTarget.choices],
            "level_chart": level_chart,
            "sector_chart": sector_chart,
            "years": list(range(timezone.localdate().year, timezone.localdate().year - 6, -1)),
        },
    )


def _sheet_rows(figures: YearFigures) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [str(_("Total")), "", figures.filed, figures.adopted, ""],
    ]
    for v, label in Level.choices:
        rows.append([str(_("Level")), str(label), figures.reached[v], "", figures.instructions[v]])
    for v, label in ForwardTarget.choices:
        rows.append([str(_("Forwarded to")), str(label), figures.forwarded[v], "", ""])
    for group, items in (
        (_("Member"), figures.by_member),
        (_("Sector"), figures.by_sector),
        (_("Affiliation"), figures.by_affiliation),
    ):
        rows.extend([str(group), row.name, row.filed, row.adopted, row.instructions] for row in items)
    rows.extend(
        [str(_("Lower council")), row.name, row.received, row.adopted, ""] for row in figures.by_lower_council
    )
    return rows


@council_view(Perm.VIEW_OPINION_STATISTICS)
def statistics_export(request: CouncilRequest) -> HttpResponse:
    year = _year(request)
    figures = year_figures(request.council, year)
    audit(
        "opinion.statistics_exported",
        user=request.user,
        council=request.council,
        data={"year": year},
        request=request,
    )
    return xlsx_response(
        filename=f"{request.council.name}{year}社情民意信息统计.xlsx",
        sheet_title=str(year),
        headers=[_("Group"), _("Name"), _("Filed / received"), _("Adopted"), _("Instructions")],
        rows=_sheet_rows(figures),
    )
