"""What the meeting pages share."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect

from xieshang.councils.tenancy import CouncilRequest
from xieshang.meetings.models import Meeting


def to_detail(request: CouncilRequest, meeting: Meeting) -> HttpResponse:
    return redirect("meetings:detail", council_slug=request.council.slug, pk=meeting.pk)


def add_errors(form: Any, error: ValidationError) -> None:
    """Show an action's ValidationError next to the form's fields."""
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            target = field if field in form.fields else None
            for problem in problems:
                form.add_error(target, problem)
    else:
        for problem in error.messages:
            form.add_error(None, problem)


def flash_errors(request: CouncilRequest, error: ValidationError) -> None:
    for problem in error.messages:
        messages.error(request, problem)


def version_of(request: CouncilRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None
