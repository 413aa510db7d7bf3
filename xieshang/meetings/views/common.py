"""What the meeting pages share."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect

from xieshang.councils.tenancy import CouncilRequest
from xieshang.meetings.models import Meeting


def to_detail(request: CouncilRequest, meeting: Meeting) -> HttpResponse:
    return redirect("meetings:detail", council_slug=request.council.slug, pk=meeting.pk)
