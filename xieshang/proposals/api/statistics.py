"""A year's figures and rates, as on the statistics page."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from xieshang.core.api import ERROR_RESPONSES, Overlay
from xieshang.councils.api.schemas import CouncilSlug
from xieshang.councils.api.scoping import council_actor
from xieshang.councils.roles import Perm
from xieshang.proposals.api.answers import StatisticsOut
from xieshang.proposals.api.common import BASE
from xieshang.proposals.api.schemas import StatisticsQuery
from xieshang.proposals.statistics import YearStatistics, year_statistics, years_with_proposals

router = Router()


@router.get(f"{BASE}/statistics", response={200: StatisticsOut, **ERROR_RESPONSES})
def get_proposal_statistics(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[StatisticsQuery]
) -> Overlay:
    """A year's figures and rates (definitions as on the statistics page): in
    total, the units' league table, and by category, sector and affiliation."""
    actor = council_actor(request, council_slug, Perm.VIEW_ALL_PROPOSALS)
    years = years_with_proposals(actor.council)
    year = filters.year or (years[0] if years else timezone.localdate().year)
    if year in years:
        stats = year_statistics(actor.council, year, none_label=_("Not given"))
    else:
        stats = YearStatistics.nothing_filed(actor.council, year)
    return Overlay(stats, years=years)
