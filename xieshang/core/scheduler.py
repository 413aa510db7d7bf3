"""Periodic jobs without a beat process: `manage.py run_scheduler` reads the
list in config/schedule.py and enqueues each job once per slot.

Time is cut into slots of each job's `every`, counted from the Unix epoch, so
that every scheduler process agrees on the slot. Enqueueing a slot is guarded
by a compare-and-swap update of core.PeriodicRun: when two schedulers run (a
second host, a restart overlapping the old process), exactly one enqueues.
Jobs must still be idempotent: a slot may be enqueued late, after downtime,
but slots missed while nothing ran are not caught up one by one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from xieshang.core.models import PeriodicRun

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Periodic:
    """A job to enqueue every `every`: a django.tasks task taking no arguments."""

    name: str
    task: Any
    every: dt.timedelta

    def __post_init__(self) -> None:
        if self.every < dt.timedelta(seconds=1):
            raise ValueError(f"periodic job {self.name!r} must run at most once a second")


def slot_start(now: dt.datetime, every: dt.timedelta) -> dt.datetime:
    """The beginning of the slot of length every that now falls in."""
    return EPOCH + ((now - EPOCH) // every) * every


def claim_slot(job: Periodic, now: dt.datetime) -> bool:
    """Record that job's current slot is enqueued; False when it already was
    (by this or another scheduler)."""
    slot = slot_start(now, job.every)
    run, _ = PeriodicRun.objects.get_or_create(name=job.name)
    if run.last_enqueued_at is not None and run.last_enqueued_at >= slot:
        return False
    rows = PeriodicRun.objects.filter(name=job.name)
    if run.last_enqueued_at is None:
        rows = rows.filter(last_enqueued_at__isnull=True)
    else:
        rows = rows.filter(last_enqueued_at=run.last_enqueued_at)
    return rows.update(last_enqueued_at=slot, runs=F("runs") + 1) == 1


def run_due(jobs: Iterable[Periodic], *, now: dt.datetime | None = None) -> list[str]:
    """Enqueue every job whose current slot is not enqueued yet; return their names."""
    now = now or timezone.now()
    enqueued = []
    for job in jobs:
        # Claim and enqueue together: with the database task backend both are
        # rows in one transaction, so a failed enqueue does not burn the slot.
        with transaction.atomic():
            if not claim_slot(job, now):
                continue
            job.task.enqueue()
        enqueued.append(job.name)
    return enqueued
