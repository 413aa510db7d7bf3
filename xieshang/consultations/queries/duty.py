"""What the duty app reads: members' speeches and research participations."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from xieshang.consultations.models import Activity, Speech
from xieshang.consultations.states import HELD_STATUSES, ConsultationStatus
from xieshang.councils.models import Council


def held_speeches(council: Council, year: int) -> QuerySet[Speech]:
    """Speeches at the council's consultations held in year: one duty fact each."""
    return Speech.objects.filter(
        council=council, consultation__year=year, consultation__status__in=HELD_STATUSES
    ).select_related("consultation", "member")


def speeches_per_member(council: Council, year: int) -> dict[int, int]:
    """member id → speeches made at consultations held in year."""
    rows = held_speeches(council, year).values("member_id").annotate(n=Count("id"))
    return {row["member_id"]: row["n"] for row in rows}


def activity_participations(council: Council, year: int) -> QuerySet[Activity]:
    """Research and inspections of year (by their date), with their members."""
    return (
        Activity.objects.filter(council=council, held_on__year=year)
        .exclude(consultation__status=ConsultationStatus.CANCELLED)
        .prefetch_related("members")
    )


def activity_participations_per_member(council: Council, year: int) -> dict[int, int]:
    """member id → research and inspection activities taken part in during year."""
    through = Activity.members.through
    rows = (
        through.objects.filter(activity__council=council, activity__held_on__year=year)
        .exclude(activity__consultation__status=ConsultationStatus.CANCELLED)
        .values("member_id")
        .annotate(n=Count("id"))
    )
    return {row["member_id"]: row["n"] for row in rows}
