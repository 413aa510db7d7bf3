"""The year's figures: the one endpoint the upper council may read."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from xieshang.core.api import ERROR_RESPONSES
from xieshang.councils.api.schemas import CouncilSlug
from xieshang.councils.api.scoping import council_actor
from xieshang.councils.roles import Perm
from xieshang.supervision.api.answers import SupervisionStatisticsOut
from xieshang.supervision.api.common import BASE
from xieshang.supervision.api.schemas import SupervisionYearQuery
from xieshang.supervision.statistics import YearStatistics, year_statistics

router = Router()


@router.get(f"{BASE}/statistics", response={200: SupervisionStatisticsOut, **ERROR_RESPONSES})
def get_supervision_statistics(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[SupervisionYearQuery]
) -> YearStatistics:
    """Campaigns and resident supervision in a year (this year by default);
    each rate with its numerator and denominator. Staff and leaders of this
    council and of the councils above it."""
    actor = council_actor(request, council_slug, Perm.VIEW_AGGREGATES)
    return year_statistics(actor.council, filters.year or timezone.localdate().year)
