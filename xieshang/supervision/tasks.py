"""Background work of democratic supervision: the hourly sweep over replies
due from the units."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from xieshang.supervision.actions import remind_and_flag


@task()
def send_supervision_reminders() -> dict[str, int]:
    """Remind units of recommendations and letters due soon and flag overdue
    ones; idempotent (compare-and-swap flags, dedupe keys)."""
    run = remind_and_flag(today=timezone.localdate())
    return {"checked": run.checked, "reminded": run.reminded, "overdue": run.overdue}
