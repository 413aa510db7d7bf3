"""Outcomes, the instructions on them, and the year-end report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.http import Http404

from xieshang.consultations import permissions as can
from xieshang.consultations.models import Consultation, Outcome, OutcomeInstruction, PlanItem
from xieshang.consultations.states import (
    CONVERTED_ADOPTIONS,
    FINAL_ADOPTIONS,
    HELD_STATUSES,
    ConsultationStatus,
    OutcomeStatus,
)
from xieshang.councils.models import Council
from xieshang.councils.roles import Actor, Perm

OUTCOME_JOINS = ("consultation",)


def outcomes_of_council(actor: Actor, year: int | None = None) -> QuerySet[Outcome]:
    if not actor.has(Perm.VIEW_CONSULTATIONS):
        return Outcome.objects.none()
    rows = Outcome.objects.filter(council=actor.council).select_related(*OUTCOME_JOINS)
    if year:
        rows = rows.filter(consultation__year=year)
    return rows.order_by("-created_at", "-id")


def outcomes_of(consultation: Consultation) -> QuerySet[Outcome]:
    return Outcome.objects.filter(consultation=consultation).order_by("created_at", "id")


def access_outcome(actor: Actor, outcome_id: int) -> Outcome:
    outcome = (
        Outcome.objects.filter(council=actor.council, pk=outcome_id).select_related("consultation").first()
    )
    if outcome is None or not can.can_view_outcome(actor, outcome):
        raise Http404
    return outcome


def office_outcomes(actor: Actor) -> QuerySet[Outcome]:
    """Outcomes sent to the actor's offices, newest first."""
    if not actor.has(Perm.RECEIVE_OUTCOMES) or not actor.oversight_office_ids:
        return Outcome.objects.none()
    return (
        Outcome.objects.filter(
            council=actor.council,
            offices__in=actor.oversight_office_ids,
            status__in=(OutcomeStatus.SENT, OutcomeStatus.CONVERTED),
        )
        .distinct()
        .select_related(*OUTCOME_JOINS)
        .annotate(instruction_count=Count("instructions", distinct=True))
        .order_by("-sent_at", "-id")
    )


def office_outcomes_waiting(actor: Actor) -> QuerySet[Outcome]:
    """Sent outcomes whose conversion the office has not recorded finally."""
    return office_outcomes(actor).filter(status=OutcomeStatus.SENT)


def instructions_of(outcome: Outcome) -> QuerySet[OutcomeInstruction]:
    return (
        OutcomeInstruction.objects.filter(outcome=outcome)
        .select_related("office")
        .order_by("instructed_on", "id")
    )


def follow_ups_due(council: Council, today: dt.date) -> QuerySet[Outcome]:
    """Sent outcomes whose follow-up date has come."""
    return Outcome.objects.filter(
        council=council, status=OutcomeStatus.SENT, follow_up_on__isnull=False, follow_up_on__lte=today
    ).order_by("follow_up_on", "id")


# Year-end report -----------------------------------------------------------------


@dataclass(frozen=True)
class YearRow:
    consultation: Consultation
    outcomes: list[Outcome]


@dataclass(frozen=True)
class YearReport:
    council: Council
    year: int
    rows: list[YearRow]
    held: int
    planned: int
    outcome_count: int
    instructed: int
    converted: int
    in_progress: int
    not_adopted: int

    @property
    def conversion_rate(self) -> float | None:
        return None if not self.outcome_count else round(100 * self.converted / self.outcome_count, 1)


def year_report(council: Council, year: int) -> YearReport:
    """All consultations of year and what became of their outcomes."""
    consultations = list(
        Consultation.objects.filter(council=council, year=year)
        .exclude(status=ConsultationStatus.CANCELLED)
        .select_related("plan_item")
        .order_by("starts_at", "id")
    )
    outcomes = list(
        Outcome.objects.filter(council=council, consultation__year=year)
        .exclude(status=OutcomeStatus.DRAFT)
        .prefetch_related("instructions")
        .order_by("created_at", "id")
    )
    by_consultation: dict[int, list[Outcome]] = {}
    for outcome in outcomes:
        by_consultation.setdefault(outcome.consultation_id, []).append(outcome)
    planned = PlanItem.objects.filter(council=council, plan__year=year, is_withdrawn=False).count()
    return YearReport(
        council=council,
        year=year,
        rows=[YearRow(c, by_consultation.get(c.pk, [])) for c in consultations],
        held=sum(1 for c in consultations if c.status in HELD_STATUSES),
        planned=planned,
        outcome_count=len(outcomes),
        instructed=sum(1 for o in outcomes if o.instructions.all()),
        converted=sum(1 for o in outcomes if o.adoption in CONVERTED_ADOPTIONS),
        in_progress=sum(1 for o in outcomes if o.adoption not in FINAL_ADOPTIONS),
        not_adopted=sum(1 for o in outcomes if o.adoption == "not_adopted"),
    )
