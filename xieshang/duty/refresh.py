"""Duty records that follow the work within a minute: after an event that
may change a member's duty facts commits, that member's records are rebuilt
by a task (duty.tasks.refresh_duty_records), once for a burst of events.

record_event (core/events.py) hands every event to duty.tasks.follow_event
(listed in config/event_followers.py). The sources table (duty/sources.py)
says which models' events matter and whom each concerns. Nothing is read in
the action's transaction: who is concerned is read after it commits, when
the work is there to be read.

A burst makes one rebuild per member: marking a member's refresh as wanted
(refresh_requested_at) enqueues a task only when none is waiting; the task
clears the mark before it reads the sources, so work committed before the
mark was found set is read by that task, and work after it marks afresh.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models
from django.utils import timezone

from xieshang.councils.models import Member
from xieshang.duty.models import DutyFreshness
from xieshang.duty.sources import SOURCES, Concerned


def _followed() -> dict[type[models.Model], tuple[Concerned, ...]]:
    table: dict[type[models.Model], tuple[Concerned, ...]] = {}
    for source in SOURCES:
        known = table.get(source.follows, ())
        if source.concerned not in known:
            table[source.follows] = (*known, source.concerned)
    return table


FOLLOWED = _followed()


def is_followed(model: type[models.Model] | None) -> bool:
    """Whether events on rows of model may change duty facts."""
    return model in FOLLOWED


def concerned_members(model: type[models.Model], object_id: int, data: Mapping[str, Any]) -> list[int]:
    """The members whose duty facts an event on that row may have changed."""
    ids: set[int] = set()
    for concerned in FOLLOWED.get(model, ()):
        ids.update(concerned(object_id, data))
    return sorted(ids)


def request_refresh(member_ids: Iterable[int]) -> list[int]:
    """Mark the members' records as wanting a refresh; return those for
    which no refresh was waiting yet (enqueue one for them)."""
    ids = sorted(set(member_ids))
    if not ids:
        return []
    now = timezone.now()
    rows = DutyFreshness.objects.filter(member_id__in=ids)
    known = dict(rows.values_list("member_id", "refresh_requested_at"))
    waiting = {pk for pk, requested in known.items() if requested is not None}
    wanted = [pk for pk in ids if pk not in waiting]
    rows.filter(member_id__in=wanted, refresh_requested_at__isnull=True).update(refresh_requested_at=now)
    missing = [pk for pk in wanted if pk not in known]
    if missing:
        councils = dict(Member.objects.filter(pk__in=missing).values_list("id", "council_id"))
        new = [
            DutyFreshness(council_id=council_id, member_id=pk, refresh_requested_at=now)
            for pk, council_id in councils.items()
        ]
        DutyFreshness.objects.bulk_create(new, ignore_conflicts=True)
    return wanted


def claim_refresh(member_id: int) -> None:
    """Clear the member's mark before the rebuild reads the sources, so
    that work committed from now on asks for a refresh of its own."""
    DutyFreshness.objects.filter(member_id=member_id).update(refresh_requested_at=None)
