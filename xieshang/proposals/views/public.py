"""The public page of a council's published reply summaries (no login):
only replies released to proposers who consented to publication."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from xieshang.councils.models import Council
from xieshang.proposals.queries import published_replies


def published(request: HttpRequest, council_slug: str) -> HttpResponse:
    council = Council.objects.filter(slug=council_slug, is_active=True).first()
    if council is None:
        raise Http404
    page = Paginator(published_replies(council), 20).get_page(request.GET.get("page"))
    return render(request, "proposals/public.html", {"page": page, "public_council": council})
