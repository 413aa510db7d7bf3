"""Proposal pages: resolve, read through queries, validate, call one action."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from xieshang.core.events import timeline
from xieshang.councils.tenancy import CouncilRequest, council_view
from xieshang.proposals.queries import access_proposal


@council_view()
def detail(request: CouncilRequest, pk: int) -> HttpResponse:
    proposal = access_proposal(request.actor, pk)
    return render(request, "proposals/detail.html", {"proposal": proposal, "events": timeline(proposal)})
