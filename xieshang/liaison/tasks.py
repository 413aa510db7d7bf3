"""Background work of liaison: the daily sweep over concerns."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from xieshang.liaison.actions import remind_concerns


@task()
def send_concern_reminders() -> dict[str, int]:
    """Remind units of concerns due soon and flag overdue ones; idempotent
    (compare-and-swap flags, dedupe keys)."""
    run = remind_concerns(today=timezone.localdate())
    return {"checked": run.checked, "reminded": run.reminded, "overdue": run.overdue}
