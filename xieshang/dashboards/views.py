from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from xieshang.councils.queries import council_and_lower, members_per_sector_of
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view, councils_of
from xieshang.dashboards.search import QUERY_MAX, search_everything
from xieshang.dashboards.work import work_for


def root(request: HttpRequest) -> HttpResponse:
    """Send a logged-in user to their last council (or the first they have)."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    councils = councils_of(request.user)  # type: ignore[arg-type]
    if not councils:
        return render(request, "dashboards/no_council.html")
    last = request.session.get("last_council")
    chosen = next((c for c in councils if c.slug == last), councils[0])
    return redirect("dashboards:home", council_slug=chosen.slug)


@council_view()
def home(request: CouncilRequest) -> HttpResponse:
    request.session["last_council"] = request.council.slug
    return render(
        request,
        "dashboards/home.html",
        {"items": work_for(request.actor), "actor": request.actor},
    )


@council_view()
def search(request: CouncilRequest) -> HttpResponse:
    """The header search over everything the user may open in this council."""
    q = request.GET.get("q", "").strip()[:QUERY_MAX]
    return render(
        request,
        "dashboards/search.html",
        {"q": q, "results": search_everything(request.actor, q)},
    )


@council_view(Perm.VIEW_AGGREGATES)
def aggregates(request: CouncilRequest) -> HttpResponse:
    """Members per sector, and in total, of this council and of its lower
    councils: counts only, never names (upper-council staff read this page
    but not the members themselves). A chart, and a table of the same numbers."""
    counts = members_per_sector_of(council_and_lower(request.council))
    sectors: list[str] = []
    for row in counts:
        sectors.extend(name for name in row.per_sector if name not in sectors)
    table = [{"sector": name, "counts": [row.per_sector.get(name) for row in counts]} for name in sectors]
    chart = {
        "tooltip": {"trigger": "axis"},
        "legend": {"type": "scroll", "top": 0},
        "grid": {"containLabel": True, "top": 40, "left": 8, "right": 8, "bottom": 8},
        "xAxis": {"type": "category", "data": [row.council.name for row in counts]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {
                "name": name,
                "type": "bar",
                "stack": "members",
                "data": [row.per_sector.get(name, 0) for row in counts],
            }
            for name in sectors
        ],
    }
    return render(
        request,
        "dashboards/aggregates.html",
        {
            "counts": counts,
            "table": table,
            "chart": chart,
            "lower_count": len(counts) - 1,
            # The offices read this council's figures only: no links for them.
            "may_open_lower": request.actor.sees_lower_councils,
        },
    )


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness probe for load balancers and monitoring: answers without a
    database query, so it stays cheap."""
    return HttpResponse("ok", content_type="text/plain")
