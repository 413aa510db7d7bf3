"""Background work of meetings: the notice and closing sweep."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from xieshang.meetings.actions.meetings import sweep


@task()
def send_meeting_notices() -> dict[str, int]:
    """Send notices whose day has come and close meetings that ended a day
    ago; idempotent (dedupe keys, status checks under lock)."""
    run = sweep(now=timezone.now())
    return {"notices": run.notices, "closed": run.closed}
