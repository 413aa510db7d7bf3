"""Figures of democratic supervision: one campaign's page, and a council's
year as councils publish it. Every rate comes with its numerator and
denominator. Each figure is a fixed number of queries, whatever the rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.db.models.functions import ExtractMonth

from xieshang.councils.models import Council, Member
from xieshang.supervision.models import (
    Inspection,
    Problem,
    Recommendation,
    RecommendationLetter,
    ResidentSupervision,
    SupervisionActivity,
    SupervisionCampaign,
    SupervisionTarget,
    TargetAssignment,
)
from xieshang.supervision.queries import state_of
from xieshang.supervision.states import ProblemStatus, RecommendationStatus, TargetState


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.numerator / self.denominator, 1) if self.denominator else None


@dataclass(frozen=True)
class Row:
    """A labelled count, with the key that opens the rows behind it."""

    key: str
    label: str
    count: int
    extra: int = 0


@dataclass
class CampaignFigures:
    states: dict[str, int]
    per_round: list[Row]
    per_group: list[Row]
    unannounced: Rate
    trend: list[Row]
    points: list[dict[str, object]] = field(default_factory=list)


def campaign_figures(campaign: SupervisionCampaign) -> CampaignFigures:
    """The campaign page's figures, in seven queries whatever the rows."""
    states = {state: 0 for state in TargetState.values}
    points: list[dict[str, object]] = []
    # Two id lists and one pass over the targets: no query per target.
    inspected = set(
        Inspection.objects.filter(campaign=campaign).order_by().values_list("target_id", flat=True).distinct()
    )
    open_problems = set(
        Problem.objects.filter(target__campaign=campaign, status=ProblemStatus.OPEN)
        .order_by()
        .values_list("target_id", flat=True)
        .distinct()
    )
    rows = SupervisionTarget.objects.filter(campaign=campaign).values_list(
        "pk", "code", "name", "latitude", "longitude"
    )
    for pk, code, name, latitude, longitude in rows.iterator(chunk_size=2000):
        state = state_of(int(pk in inspected), int(pk in open_problems))
        states[state] += 1
        if latitude is not None and longitude is not None:
            points.append(
                {"name": f"{code} {name}", "value": [float(longitude), float(latitude)], "state": state}
            )
    inspections = Inspection.objects.filter(campaign=campaign).order_by()
    per_round = [
        Row(str(r["round_id"] or ""), str(r["round__number"] or ""), r["n"], r["u"])
        for r in inspections.values("round_id", "round__number")
        .annotate(n=Count("id"), u=Count("id", filter=Q(is_unannounced=True)))
        .order_by("round__number")
    ]
    per_group = [
        Row(str(r["group_id"] or ""), r["group__name"] or "", r["n"], r["u"])
        for r in inspections.values("group_id", "group__name")
        .annotate(n=Count("id"), u=Count("id", filter=Q(is_unannounced=True)))
        .order_by("group__name")
    ]
    totals = inspections.aggregate(n=Count("id"), u=Count("id", filter=Q(is_unannounced=True)))
    trend = [
        Row(f"{r['year']}-{r['month']:02d}", f"{r['year']}-{r['month']:02d}", r["n"])
        for r in inspections.annotate(month=ExtractMonth("inspected_on"))
        .values("year", "month")
        .annotate(n=Count("id"))
        .order_by("year", "month")
    ]
    return CampaignFigures(states, per_round, per_group, Rate(totals["u"], totals["n"]), trend, points)


@dataclass(frozen=True)
class AnsweredRow:
    key: str
    label: str
    issued: int
    answered: int
    on_time: int

    @property
    def answered_rate(self) -> Rate:
        return Rate(self.answered, self.issued)

    @property
    def on_time_rate(self) -> Rate:
        return Rate(self.on_time, self.issued)


@dataclass
class YearStatistics:
    year: int
    campaigns: int
    groups: int
    targets: int
    targets_by_kind: list[Row]
    inspections: int
    unannounced: Rate
    problems: int
    problems_resolved: Rate
    recommendations_answered: Rate
    supervisors: int
    supervisor_groups: int
    units_covered: int
    activities: int
    letters_answered: Rate
    letters_on_time: Rate
    by_unit: list[AnsweredRow]
    by_group: list[AnsweredRow]


def _letter_rows(letters: object, key: str, label: str) -> list[AnsweredRow]:
    rows = (
        letters.values(key, label)  # type: ignore[attr-defined]
        .annotate(
            issued=Count("id"),
            answered=Count("id", filter=Q(first_answered_on__isnull=False)),
            on_time=Count("id", filter=Q(first_answered_on__lte=F("due_on"))),
        )
        .order_by(label)
    )
    return [AnsweredRow(str(r[key]), r[label], r["issued"], r["answered"], r["on_time"]) for r in rows]


def year_statistics(council: Council, year: int) -> YearStatistics:
    """The council's democratic supervision in year, in a fixed number of queries."""
    campaigns = SupervisionCampaign.objects.filter(council=council, year=year)
    targets = SupervisionTarget.objects.filter(campaign__in=campaigns).order_by()
    by_kind = [
        Row(str(r["kind_id"]), r["kind__name"], r["n"])
        for r in targets.values("kind_id", "kind__name").annotate(n=Count("id")).order_by("kind__sort_order")
    ]
    inspections = Inspection.objects.filter(campaign__in=campaigns).aggregate(
        n=Count("id"), u=Count("id", filter=Q(is_unannounced=True))
    )
    problems = Problem.objects.filter(inspection__campaign__in=campaigns).aggregate(
        n=Count("id"), r=Count("id", filter=Q(status=ProblemStatus.RESOLVED))
    )
    recommendations = Recommendation.objects.filter(campaign__in=campaigns).aggregate(
        n=Count("id"), a=Count("id", filter=~Q(status=RecommendationStatus.SENT))
    )
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    postings = ResidentSupervision.objects.filter(council=council, starts_on__lte=end, ends_on__gte=start)
    posted = postings.aggregate(
        groups=Count("group_id", distinct=True), units=Count("handling_unit_id", distinct=True)
    )
    supervisors = Member.objects.filter(groups__postings__in=postings).distinct().count()
    letters = RecommendationLetter.objects.filter(council=council, year=year).order_by()
    letter_totals = letters.aggregate(
        n=Count("id"),
        a=Count("id", filter=Q(first_answered_on__isnull=False)),
        t=Count("id", filter=Q(first_answered_on__lte=F("due_on"))),
    )
    return YearStatistics(
        year=year,
        campaigns=campaigns.count(),
        groups=TargetAssignment.objects.filter(campaign__in=campaigns).values("group_id").distinct().count(),
        targets=sum(row.count for row in by_kind),
        targets_by_kind=by_kind,
        inspections=inspections["n"],
        unannounced=Rate(inspections["u"], inspections["n"]),
        problems=problems["n"],
        problems_resolved=Rate(problems["r"], problems["n"]),
        recommendations_answered=Rate(recommendations["a"], recommendations["n"]),
        supervisors=supervisors,
        supervisor_groups=posted["groups"],
        units_covered=posted["units"],
        activities=SupervisionActivity.objects.filter(council=council, year=year).count(),
        letters_answered=Rate(letter_totals["a"], letter_totals["n"]),
        letters_on_time=Rate(letter_totals["t"], letter_totals["n"]),
        by_unit=_letter_rows(letters, "handling_unit_id", "handling_unit__name"),
        by_group=_letter_rows(letters, "posting__group_id", "posting__group__name"),
    )
