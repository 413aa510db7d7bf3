"""The year's figures of a council's opinion reports: filed, adopted,
levels reached, forwardings, instructions; by member, sector, affiliation
and lower council. Counted in a fixed number of queries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from xieshang.councils.models import Council
from xieshang.opinions.models import Forwarding, OpinionReport, ReportInstruction
from xieshang.opinions.states import ADOPTED_STATUSES, ForwardTarget, Level, ReceiptStatus, ReportStatus


@dataclass(frozen=True)
class Row:
    name: str
    filed: int
    adopted: int
    instructions: int = 0


@dataclass(frozen=True)
class LowerRow:
    name: str
    received: int
    adopted: int


@dataclass
class YearFigures:
    year: int
    filed: int = 0
    adopted: int = 0
    declined: int = 0
    published: int = 0
    reached: dict[str, int] = field(default_factory=dict)  # level → reports whose highest level it is
    forwarded: dict[str, int] = field(default_factory=dict)  # target → reports sent there
    instructions: dict[str, int] = field(default_factory=dict)  # level → instructions
    by_member: list[Row] = field(default_factory=list)
    by_sector: list[Row] = field(default_factory=list)
    by_affiliation: list[Row] = field(default_factory=list)
    by_lower_council: list[LowerRow] = field(default_factory=list)

    @property
    def adoption_rate(self) -> float | None:
        return None if not self.filed else round(100 * self.adopted / self.filed, 1)


ADOPTED = Q(status__in=list(ADOPTED_STATUSES))


def _rows(grouped: list[Any], key: str, instructions: Counter[object]) -> list[Row]:
    rows = [
        Row(str(row[key] or "—"), int(row["filed"]), int(row["adopted"]), instructions.get(row[key], 0))  # type: ignore[call-overload]
        for row in grouped
    ]
    return sorted(rows, key=lambda r: (-r.adopted, -r.filed, r.name))


def year_figures(council: Council, year: int) -> YearFigures:
    """Figures for reports the council's people filed in year, and reports
    its lower councils forwarded up in year."""
    figures = YearFigures(year=year)
    reports = OpinionReport.objects.filter(council=council, year=year).exclude(status=ReportStatus.DRAFT)
    totals = reports.aggregate(
        filed=Count("id"),
        adopted=Count("id", filter=ADOPTED),
        declined=Count("id", filter=Q(status=ReportStatus.DECLINED)),
        published=Count("id", filter=Q(status=ReportStatus.PUBLISHED)),
    )
    figures.filed, figures.adopted = totals["filed"], totals["adopted"]
    figures.declined, figures.published = totals["declined"], totals["published"]
    reached = dict(reports.exclude(highest_level="").values_list("highest_level").annotate(n=Count("id")))
    figures.reached = {level: reached.get(level, 0) for level in Level.values}
    forwarded = dict(
        Forwarding.objects.filter(report__in=reports)
        .values_list("target")
        .annotate(n=Count("report", distinct=True))
    )
    figures.forwarded = {target: forwarded.get(target, 0) for target in ForwardTarget.values}
    instruction_rows = list(
        ReportInstruction.objects.filter(report__in=reports).values_list(
            "level",
            "report__member__full_name",
            "report__member__sector__name",
            "report__member__affiliation__name",
        )
    )
    by_level = Counter(row[0] for row in instruction_rows)
    figures.instructions = {level: by_level.get(level, 0) for level in Level.values}
    counts = {"filed": Count("id"), "adopted": Count("id", filter=ADOPTED)}
    figures.by_member = _rows(
        list(reports.filter(member__isnull=False).values("member__full_name").annotate(**counts)),
        "member__full_name",
        Counter(row[1] for row in instruction_rows),
    )
    figures.by_sector = _rows(
        list(reports.filter(member__isnull=False).values("member__sector__name").annotate(**counts)),
        "member__sector__name",
        Counter(row[2] for row in instruction_rows),
    )
    figures.by_affiliation = _rows(
        list(reports.filter(member__isnull=False).values("member__affiliation__name").annotate(**counts)),
        "member__affiliation__name",
        Counter(row[3] for row in instruction_rows),
    )
    lower = (
        Forwarding.objects.filter(council=council, target=ForwardTarget.PARENT, forwarded_at__year=year)
        .values("from_council__name")
        .annotate(received=Count("id"), adopted=Count("id", filter=Q(status=ReceiptStatus.ADOPTED)))
        .order_by("from_council__name")
    )
    figures.by_lower_council = [
        LowerRow(row["from_council__name"], row["received"], row["adopted"]) for row in lower
    ]
    return figures
