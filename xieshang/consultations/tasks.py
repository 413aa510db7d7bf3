"""Background work of consultations: the daily sweep."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from xieshang.consultations.actions.sweeps import sweep


@task()
def sweep_consultations() -> dict[str, int]:
    """Flag plan items past their decision date without a consultation, late
    minutes and outcome follow-ups; idempotent (dedupe keys)."""
    run = sweep(timezone.localdate())
    return {"undecided": run.undecided, "late_minutes": run.late_minutes, "follow_ups": run.follow_ups}
