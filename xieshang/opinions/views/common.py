"""Helpers every opinions page shares."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect

from xieshang.core.events import timeline
from xieshang.councils.tenancy import CouncilRequest
from xieshang.opinions.models import OpinionReport
from xieshang.opinions.states import EventType, Level

EVENT_LABELS = {event.value: event.label for event in EventType}
LEVEL_LABELS = {level.value: level.label for level in Level}


def labelled_timeline(report: OpinionReport) -> list[Any]:
    events = list(timeline(report))
    for event in events:
        event.label = EVENT_LABELS.get(event.type, event.type)  # type: ignore[attr-defined]
        level = event.data.get("level")
        event.level_label = LEVEL_LABELS.get(level, "") if level else ""  # type: ignore[attr-defined]
    return events


def add_errors(form: forms.Form, error: ValidationError) -> None:
    for name, problems in error.message_dict.items():
        target = name if name in form.fields else None
        for problem in problems:
            form.add_error(target, problem)


def to_detail(request: CouncilRequest, report: OpinionReport) -> HttpResponse:
    return redirect("opinions:detail", council_slug=request.council.slug, pk=report.pk)


def version_of(request: CouncilRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None
