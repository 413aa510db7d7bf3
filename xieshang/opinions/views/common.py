"""Helpers every opinions page shares."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from xieshang.core.models import Event
from xieshang.councils.tenancy import CouncilRequest
from xieshang.opinions.models import OpinionReport
from xieshang.opinions.states import Level

LEVEL_LABELS = {level.value: level.label for level in Level}


def describe_step(event: Event) -> None:
    """Say on the report's timeline which council acted (the report travels
    upward), the level it reached, the leader and the detail of the step."""
    data = event.data
    event.place = data.get("council", "")  # type: ignore[attr-defined]
    level = data.get("level")
    event.badge = LEVEL_LABELS.get(level, "") if level else ""  # type: ignore[attr-defined]
    notes = [_("Leader: %(name)s") % {"name": data["leader"]}] if data.get("leader") else []
    if data.get("detail"):
        notes.append(str(data["detail"]))
    event.notes = notes  # type: ignore[attr-defined]


def to_detail(request: CouncilRequest, report: OpinionReport) -> HttpResponse:
    return redirect("opinions:detail", council_slug=request.council.slug, pk=report.pk)
