from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from xieshang.councils.queries import members_for
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view

RESULT_LIMIT = 50


@council_view()
def search(request: CouncilRequest) -> HttpResponse:
    """Search what the actor may see in this council (for now: members by name)."""
    q = request.GET.get("q", "").strip()[:100]
    can_search_members = request.actor.has(Perm.VIEW_MEMBERS)
    members = []
    if q and can_search_members:
        rows = (
            members_for(request.actor)
            .filter(full_name__icontains=q)
            .order_by("-is_active", "full_name", "id")
        )
        members = list(rows[: RESULT_LIMIT + 1])
    return render(
        request,
        "councils/search.html",
        {
            "q": q,
            "members": members[:RESULT_LIMIT],
            "truncated": len(members) > RESULT_LIMIT,
            "can_search_members": can_search_members,
        },
    )
