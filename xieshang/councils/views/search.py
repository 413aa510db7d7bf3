from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from xieshang.councils.queries import members_for
from xieshang.councils.tenancy import CouncilRequest, council_view


@council_view()
def search(request: CouncilRequest) -> HttpResponse:
    """Search what the actor may see in this council (for now: members by name)."""
    q = request.GET.get("q", "").strip()[:100]
    members = members_for(request.actor).filter(full_name__icontains=q)[:50] if q else []
    return render(request, "councils/search.html", {"q": q, "members": members})
