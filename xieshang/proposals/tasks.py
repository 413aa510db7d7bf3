"""Background work of proposals: the daily deadline sweep."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from xieshang.proposals.actions.reminders import remind_all


@task()
def send_reply_reminders() -> dict[str, int]:
    """Record ratings missing from closed windows as configured, and remind
    units of replies due soon and overdue; idempotent (settled replies are
    marked, messages carry dedupe keys)."""
    run = remind_all(today=timezone.localdate())
    return {
        "checked": run.checked,
        "reminded": run.reminded,
        "overdue": run.overdue,
        "nudged": run.nudged,
        "settled": run.settled,
    }
