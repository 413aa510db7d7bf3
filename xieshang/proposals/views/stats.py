"""The yearly proposal statistics page (staff and leaders), its charts and
its Excel export."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.audit import audit
from xieshang.core.exports import xlsx_response
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view
from xieshang.proposals.statistics import (
    DIMENSIONS,
    FOLLOWED_YEARS,
    Figures,
    Rate,
    TopicTrend,
    YearStatistics,
    topic_trend,
    year_statistics,
    years_with_proposals,
)

TREND = "trend"  # the export of the topics-over-the-years table


def _dimension_labels() -> dict[str, str]:
    return {
        "unit": _("Handling unit"),
        "category": _("Category"),
        "sector": _("Sector"),
        "affiliation": _("Affiliation"),
    }


def _year(request: CouncilRequest) -> tuple[int, list[int]]:
    years = years_with_proposals(request.council)
    raw = request.GET.get("year", "")
    if raw.isdigit() and 1900 < int(raw) < 3000:
        return int(raw), years
    return (years[0] if years else timezone.localdate().year), years


def _number(rate: Rate) -> float | None:
    percent = rate.percent
    return None if percent is None else float(percent)


def _league_chart(stats: YearStatistics) -> dict[str, Any]:
    rows = [row for row in stats.league if row.figures.due or row.figures.ratings or row.figures.replied]
    names = [row.name for row in rows]
    series = [
        (_("On-time reply rate"), lambda f: f.on_time_reply_rate),
        (_("Satisfaction rate"), lambda f: f.satisfaction_rate),
        (_("Implementation rate"), lambda f: f.implementation_rate),
    ]
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"containLabel": True, "top": 40, "left": 8, "right": 16, "bottom": 8},
        "xAxis": {"type": "value", "max": 100, "axisLabel": {"formatter": "{value}%"}},
        "yAxis": {"type": "category", "data": names, "inverse": True},
        "series": [
            {"name": label, "type": "bar", "data": [_number(pick(row.figures)) for row in rows]}
            for label, pick in series
        ],
    }


def _category_chart(stats: YearStatistics) -> dict[str, Any]:
    rows = stats.by["category"]
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"containLabel": True, "top": 40, "left": 8, "right": 8, "bottom": 8},
        "xAxis": {
            "type": "category",
            "data": [row.name for row in rows],
            "axisLabel": {"interval": 0, "rotate": 30},
        },
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {"name": _("Filed"), "type": "bar", "data": [row.figures.filed for row in rows]},
            {"name": _("Accepted"), "type": "bar", "data": [row.figures.accepted for row in rows]},
        ],
    }


def _trend_chart(trend: TopicTrend) -> dict[str, Any]:
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0, "type": "scroll"},
        "grid": {"containLabel": True, "top": 40, "left": 8, "right": 16, "bottom": 8},
        "xAxis": {"type": "category", "data": [str(y) for y in trend.years]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {
                "name": row.name,
                "type": "line",
                "data": list(row.counts),
                # Topics followed several years in a row stand out.
                "lineStyle": {"width": 4 if row.is_followed else 1.5},
                "symbolSize": 8 if row.is_followed else 4,
            }
            for row in trend.rows
        ],
    }


@council_view(Perm.VIEW_ALL_PROPOSALS)
def statistics(request: CouncilRequest) -> HttpResponse:
    """Filed, accepted and the four rates of a year: in total, the units'
    league table, and by category, sector and affiliation, each table with
    a chart of the same numbers."""
    year, years = _year(request)
    stats = year_statistics(request.council, year, none_label=_("Not given"))
    trend = topic_trend(request.council, year, none_label=_("Not given"))
    labels = _dimension_labels()
    return render(
        request,
        "proposals/stats/index.html",
        {
            "stats": stats,
            "year": year,
            "years": years if year in years else [year, *years],
            "tables": [(name, labels[name], stats.by[name]) for name in DIMENSIONS if name != "unit"],
            "league_chart": _league_chart(stats),
            "category_chart": _category_chart(stats),
            "trend": trend,
            "trend_chart": _trend_chart(trend),
            "followed_years": FOLLOWED_YEARS,
        },
    )


def _cells(figures: Figures, *, unit: bool) -> list[Any]:
    def pct(rate: Rate) -> Decimal | str:
        return rate.percent if rate.percent is not None else ""

    head: list[Any] = (
        [figures.assigned] if unit else [figures.filed, figures.accepted, pct(figures.acceptance_rate)]
    )
    return [
        *head,
        figures.due,
        figures.on_time,
        pct(figures.on_time_reply_rate),
        figures.ratings,
        figures.satisfied,
        pct(figures.satisfaction_rate),
        figures.replied,
        figures.implemented,
        pct(figures.implementation_rate),
        figures.automatic,
        figures.no_feedback,
    ]


def _trend_export(request: CouncilRequest, year: int) -> HttpResponse:
    trend = topic_trend(request.council, year, none_label=_("Not given"))
    headers = [
        _("Category"),
        *[str(y) for y in trend.years],
        _("Years in a row"),
        _("Followed %(n)s or more years in a row") % {"n": FOLLOWED_YEARS},
    ]
    rows: list[list[Any]] = [
        [row.name, *row.counts, row.streak, _("yes") if row.is_followed else ""] for row in trend.rows
    ]
    totals = [sum(row.counts[i] for row in trend.rows) for i in range(len(trend.years))]
    rows.append([_("Total"), *totals, "", ""])
    audit(
        "proposals.statistics_export",
        user=request.user,
        council=request.council,
        data={"year": year, "by": TREND, "rows": len(rows)},
        request=request,
    )
    title = _("Proposal topics %(first)s–%(last)s") % {"first": trend.years[0], "last": trend.years[-1]}
    return xlsx_response(filename=f"{title}.xlsx", sheet_title=str(year), headers=headers, rows=rows)


@council_view(Perm.VIEW_ALL_PROPOSALS)
def export(request: CouncilRequest) -> HttpResponse:
    """One table of the statistics page as an Excel sheet (rates in percent)."""
    year, _years = _year(request)
    dimension = request.GET.get("by", "unit")
    if dimension == TREND:
        return _trend_export(request, year)
    if dimension not in DIMENSIONS:
        dimension = "unit"
    stats = year_statistics(request.council, year, none_label=_("Not given"))
    is_unit = dimension == "unit"
    label = _dimension_labels()[dimension]
    head = (
        [_("Rank"), label, _("Assigned")]
        if is_unit
        else [label, _("Filed"), _("Accepted"), _("Acceptance rate (%)")]
    )
    headers = [
        *head,
        _("Replies due"),
        _("Replied on time"),
        _("On-time reply rate (%)"),
        _("Ratings received"),
        _("Satisfied or basically satisfied"),
        _("Satisfaction rate (%)"),
        _("Replies released"),
        _("Implemented"),
        _("Implementation rate (%)"),
        _("Of the ratings: recorded automatically"),
        _("Not rated in time (no feedback)"),
    ]
    rows: list[list[Any]] = []
    for row in stats.league if is_unit else stats.by[dimension]:
        prefix: list[Any] = [row.rank or "", row.name] if is_unit else [row.name]
        rows.append([*prefix, *_cells(row.figures, unit=is_unit)])
    total_prefix: list[Any] = ["", _("Total")] if is_unit else [_("Total")]
    rows.append([*total_prefix, *_cells(stats.total, unit=is_unit)])
    audit(
        "proposals.statistics_export",
        user=request.user,
        council=request.council,
        data={"year": year, "by": dimension, "rows": len(rows)},
        request=request,
    )
    title = _("Proposal statistics %(year)s by %(dimension)s") % {"year": year, "dimension": label}
    return xlsx_response(filename=f"{title}.xlsx", sheet_title=str(year), headers=headers, rows=rows)
