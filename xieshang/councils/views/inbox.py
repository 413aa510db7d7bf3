from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from xieshang.core.models import Notification
from xieshang.councils.tenancy import CouncilRequest, council_view


@council_view(None)
def inbox(request: CouncilRequest) -> HttpResponse:
    """The user's messages in this council, newest first."""
    rows = Notification.objects.filter(recipient=request.user, council=request.council)
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    return render(request, "councils/inbox.html", {"page": page})
