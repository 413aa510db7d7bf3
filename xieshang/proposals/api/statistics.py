"""A year's figures and rates, as on the statistics page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from xieshang.core.api import ERROR_RESPONSES
from xieshang.councils.api.schemas import CouncilSlug
from xieshang.councils.api.scoping import council_actor
from xieshang.councils.roles import Perm
from xieshang.proposals.api.common import BASE
from xieshang.proposals.api.schemas import StatisticsOut, StatisticsQuery
from xieshang.proposals.statistics import Figures, Rate, Row, year_statistics, years_with_proposals

router = Router()


STATISTICS_TABLES = ("units", "categories", "sectors", "affiliations")


def _percent(rate: Rate) -> float | None:
    percent = rate.percent
    return None if percent is None else float(percent)


def _figures_out(figures: Figures) -> dict[str, Any]:
    return {
        "filed": figures.filed,
        "accepted": figures.accepted,
        "assigned": figures.assigned,
        "due": figures.due,
        "on_time": figures.on_time,
        "ratings": figures.ratings,
        "satisfied": figures.satisfied,
        "replied": figures.replied,
        "implemented": figures.implemented,
        "acceptance_rate": _percent(figures.acceptance_rate),
        "on_time_reply_rate": _percent(figures.on_time_reply_rate),
        "satisfaction_rate": _percent(figures.satisfaction_rate),
        "implementation_rate": _percent(figures.implementation_rate),
    }


def _rows_out(rows: list[Row]) -> list[dict[str, Any]]:
    return [
        {"key": row.key, "name": row.name, "rank": row.rank, "figures": _figures_out(row.figures)}
        for row in rows
    ]


@router.get(f"{BASE}/statistics", response={200: StatisticsOut, **ERROR_RESPONSES})
def get_proposal_statistics(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[StatisticsQuery]
) -> dict[str, Any]:
    """A year's figures and rates (definitions as on the statistics page): in
    total, the units' league table, and by category, sector and affiliation."""
    actor = council_actor(request, council_slug, Perm.VIEW_ALL_PROPOSALS)
    years = years_with_proposals(actor.council)
    year = filters.year or (years[0] if years else timezone.localdate().year)
    if year not in years:
        # Nothing was filed that year: nothing to count, and no rows.
        empty = _figures_out(Figures())
        return {"year": year, "years": years, "total": empty} | {key: [] for key in STATISTICS_TABLES}
    stats = year_statistics(actor.council, year, none_label=_("Not given"))
    return {
        "year": year,
        "years": years,
        "total": _figures_out(stats.total),
        "units": _rows_out(stats.league),
        "categories": _rows_out(stats.by["category"]),
        "sectors": _rows_out(stats.by["sector"]),
        "affiliations": _rows_out(stats.by["affiliation"]),
    }
