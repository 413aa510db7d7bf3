"""Background work of surveys: the closing and reminder sweep."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from xieshang.surveys.actions.surveys import close_ended_surveys, remind_before_close


@task()
def sweep_surveys() -> dict[str, int]:
    """Close surveys whose closing time has passed, and remind those who
    have not answered once, the configured days before the close;
    idempotent (status checks under lock, reminded_at, dedupe keys)."""
    now = timezone.now()
    return {"closed": close_ended_surveys(now), "reminded": remind_before_close(now)}
