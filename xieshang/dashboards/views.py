from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from xieshang.councils.queries import members_per_sector
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view, councils_of
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


@council_view(Perm.VIEW_AGGREGATES)
def aggregates(request: CouncilRequest) -> HttpResponse:
    """This council's and its lower councils' aggregate figures (no personal data)."""
    councils = [request.council, *request.council.children.filter(is_active=True)]
    rows = [{"council": c, "sectors": members_per_sector(c)} for c in councils]
    return render(request, "dashboards/aggregates.html", {"rows": rows})
