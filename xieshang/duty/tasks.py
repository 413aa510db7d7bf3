"""Background work of duty: the nightly rebuild of automatic records, and
the refresh of one member's records after their work (duty/refresh.py)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from xieshang.core.models import Event
from xieshang.councils.models import Council, Member
from xieshang.duty.rebuild import open_years, rebuild_duty_records, refresh_member_records
from xieshang.duty.refresh import claim_refresh, concerned_members, is_followed, request_refresh


@task()
def rebuild_all_duty_records() -> dict[str, int]:
    """Rebuild every active council's open years; idempotent (a second run
    changes nothing). It also corrects whatever a refresh after an event
    could not see (a change of rules, a member moved between councils)."""
    this_year = timezone.localdate().year
    totals = {"councils": 0, "created": 0, "updated": 0, "removed": 0}
    for council in Council.objects.filter(is_active=True).order_by("id"):
        totals["councils"] += 1
        for year in open_years(council, this_year):
            result = rebuild_duty_records(council, year)
            totals["created"] += result.created
            totals["updated"] += result.updated
            totals["removed"] += result.removed
    return totals


@task()
def refresh_duty_records(member_ids: list[int]) -> int:
    """Rebuild the open years of each member's automatic records; return
    how many members were rebuilt. Idempotent; a member gone is skipped."""
    done = 0
    for member in Member.objects.filter(pk__in=member_ids).select_related("council").order_by("id"):
        claim_refresh(member.pk)
        refresh_member_records(member)
        done += 1
    return done


def follow_event(event: Event) -> None:
    """After the transaction that recorded event commits, ask for a refresh
    of the members whose duty facts it may have changed (listed in
    config/event_followers.py; called by core.events.record_event)."""
    model = event.content_type.model_class()
    if not is_followed(model):
        return
    assert model is not None
    transaction.on_commit(partial(_refresh_after, model, event.object_id, dict(event.data)), robust=True)


def _refresh_after(model: type[Any], object_id: int, data: dict[str, Any]) -> None:
    wanted = request_refresh(concerned_members(model, object_id, data))
    if wanted:
        refresh_duty_records.enqueue(member_ids=wanted)
