"""Background work of duty: the nightly rebuild of automatic records."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from xieshang.councils.models import Council
from xieshang.duty.actions import rebuild_duty_records
from xieshang.duty.models import DutyAssessment
from xieshang.duty.states import AssessmentStatus


def years_to_rebuild(council: Council, this_year: int) -> list[int]:
    """This year, and last year while its assessment is not yet published
    (late acceptances and corrected attendance still land in it)."""
    published = DutyAssessment.objects.filter(
        council=council, year=this_year - 1, status=AssessmentStatus.PUBLISHED
    ).exists()
    return [this_year] if published else [this_year - 1, this_year]


@task()
def rebuild_all_duty_records() -> dict[str, int]:
    """Rebuild every active council's open years; idempotent (a second run
    changes nothing)."""
    this_year = timezone.localdate().year
    totals = {"councils": 0, "created": 0, "updated": 0, "removed": 0}
    for council in Council.objects.filter(is_active=True).order_by("id"):
        totals["councils"] += 1
        for year in years_to_rebuild(council, this_year):
            result = rebuild_duty_records(council, year)
            totals["created"] += result.created
            totals["updated"] += result.updated
            totals["removed"] += result.removed
    return totals
