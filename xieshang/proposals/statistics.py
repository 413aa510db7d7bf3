"""Yearly proposal statistics of one council (DOMAIN.md §1, "Statistics").

The year of a proposal is the year of the session it is numbered under.
Definitions, each rate shown with the counts behind it:

- filed: proposals submitted for review (every status but draft);
- accepted: proposals that got a case number (accepted and every later step;
  declined, converted, merged and returned proposals are filed, not accepted);
  acceptance rate = accepted / filed;
- replies due: the replying units' (lead or split) active assignments whose
  deadline (after an approved extension) has passed, plus those already
  answered early; on time: the first reply was released to the proposer on or
  before that deadline; on-time reply rate = on time / replies due;
- ratings: the proposers' ratings received; satisfaction rate = (satisfied +
  basically satisfied) / ratings received;
- replied: released replies of the proposal's final handling round;
  implemented: those whose category counts as implemented (A by default);
  implementation rate = implemented / replied.

By unit, "assigned" counts the proposals the unit holds in any role (filed
and accepted do not apply to units).

Every figure comes from a fixed number of queries, whatever the volume.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from xieshang.councils.models import Affiliation, Council, HandlingUnit, Sector
from xieshang.proposals.models import Assignment, Feedback, Proposal, ProposalCategory, Reply
from xieshang.proposals.states import NUMBERED, REPLYING_ROLES, ProposalStatus, ReplyStatus, Satisfaction

S = ProposalStatus
DIMENSIONS = ("unit", "category", "sector", "affiliation")
NONE_KEY = 0  # the row of proposals without a category, sector or affiliation


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def percent(self) -> Decimal | None:
        """The rate in percent, rounded half up to one decimal; None when
        nothing was counted."""
        if not self.denominator:
            return None
        value = Decimal(self.numerator * 100) / Decimal(self.denominator)
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def __str__(self) -> str:
        percent = self.percent
        return "—" if percent is None else f"{percent}%"


@dataclass
class Figures:
    filed: int = 0
    accepted: int = 0
    assigned: int = 0
    due: int = 0
    on_time: int = 0
    ratings: int = 0
    satisfied: int = 0
    replied: int = 0
    implemented: int = 0

    @property
    def acceptance_rate(self) -> Rate:
        return Rate(self.accepted, self.filed)

    @property
    def on_time_reply_rate(self) -> Rate:
        return Rate(self.on_time, self.due)

    @property
    def satisfaction_rate(self) -> Rate:
        return Rate(self.satisfied, self.ratings)

    @property
    def implementation_rate(self) -> Rate:
        return Rate(self.implemented, self.replied)


@dataclass
class Row:
    key: int
    name: str
    figures: Figures = field(default_factory=Figures)
    rank: int | None = None


@dataclass
class YearStatistics:
    council: Council
    year: int
    today: dt.date
    total: Figures
    by: dict[str, list[Row]]

    @property
    def league(self) -> list[Row]:
        """Units ranked by on-time reply rate, then satisfaction, then
        implementation; units with nothing due yet come last, unranked."""
        return sorted(self.by["unit"], key=lambda row: (row.rank is None, row.rank or 0, row.name))


@dataclass(frozen=True)
class _Groups:
    category: int
    sector: int
    affiliation: int


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment).date() if moment is not None else None


def _names(rows: Iterable[tuple[int, str]], none_label: str) -> dict[int, str]:
    names = dict(rows)
    names[NONE_KEY] = none_label
    return names


def year_statistics(
    council: Council, year: int, *, today: dt.date | None = None, none_label: str = "—"
) -> YearStatistics:
    """Every figure of council's proposals of year, in total and by unit,
    category, sector and affiliation. today decides which replies are due."""
    today = today or timezone.localdate()
    proposals = Proposal.objects.filter(council=council, session__year=year).exclude(status=S.DRAFT)

    total = Figures()
    tables: dict[str, dict[int, Figures]] = {name: defaultdict(Figures) for name in DIMENSIONS}
    groups: dict[int, _Groups] = {}

    def add(proposal_id: int, unit_id: int | None, attribute: str, amount: int = 1) -> None:
        group = groups.get(proposal_id)
        if group is None:
            return
        setattr(total, attribute, getattr(total, attribute) + amount)
        for name, key in (
            ("category", group.category),
            ("sector", group.sector),
            ("affiliation", group.affiliation),
        ):
            figures = tables[name][key]
            setattr(figures, attribute, getattr(figures, attribute) + amount)
        if unit_id is not None:
            figures = tables["unit"][unit_id]
            setattr(figures, attribute, getattr(figures, attribute) + amount)

    # 1. Proposals: filed and accepted, and the groups each belongs to.
    rows = proposals.annotate(
        sector=Coalesce("lead_proposer__sector_id", "author_sector_id"),
        affiliation=Coalesce("lead_proposer__affiliation_id", "author_affiliation_id"),
    ).values_list("pk", "status", "category_id", "sector", "affiliation")
    for pk, status, category_id, sector_id, affiliation_id in rows:
        groups[pk] = _Groups(category_id or NONE_KEY, sector_id or NONE_KEY, affiliation_id or NONE_KEY)
        add(pk, None, "filed")
        if status in NUMBERED:
            add(pk, None, "accepted")

    # 2. Assignments: held by each unit; replies due and replied on time.
    first_release = (
        Reply.objects.filter(assignment=OuterRef("pk"), handling_round=1, status=ReplyStatus.RELEASED)
        .values("assignment")
        .annotate(first=Min("released_at"))
        .values("first")
    )
    assignments = (
        Assignment.objects.filter(council=council, proposal__in=proposals, is_active=True)
        .annotate(first_release=Subquery(first_release))
        .values_list("proposal_id", "unit_id", "role", "due_on", "extended_due_on", "first_release")
    )
    held: set[tuple[int, int]] = set()
    for proposal_id, unit_id, role, due_on, extended_due_on, released_at in assignments:
        if (proposal_id, unit_id) not in held:
            held.add((proposal_id, unit_id))
            tables["unit"][unit_id].assigned += 1
        if role not in REPLYING_ROLES:
            continue
        deadline = extended_due_on or due_on
        released_on = _local_date(released_at)
        if released_on is not None and released_on > today:
            released_on = None  # figures as of today
        if released_on is None and deadline >= today:
            continue  # not due yet, not answered yet
        add(proposal_id, unit_id, "due")
        if released_on is not None and released_on <= deadline:
            add(proposal_id, unit_id, "on_time")
    total.assigned = len({proposal_id for proposal_id, _unit in held})

    # 3. Ratings received.
    pleased = {Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED}
    ratings = Feedback.objects.filter(council=council, reply__assignment__proposal__in=proposals).values_list(
        "reply__assignment__proposal_id", "reply__assignment__unit_id", "satisfaction"
    )
    for proposal_id, unit_id, satisfaction in ratings:
        add(proposal_id, unit_id, "ratings")
        if satisfaction in pleased:
            add(proposal_id, unit_id, "satisfied")

    # 4. Released replies of the final round, and which count as implemented.
    replies = Reply.objects.filter(
        council=council,
        assignment__proposal__in=proposals,
        status=ReplyStatus.RELEASED,
        handling_round=F("assignment__proposal__handling_round"),
    ).values_list("assignment__proposal_id", "assignment__unit_id", "category__counts_as_implemented")
    for proposal_id, unit_id, implemented in replies:
        add(proposal_id, unit_id, "replied")
        if implemented:
            add(proposal_id, unit_id, "implemented")

    # 5. Names, in the council's order.
    names = {
        "unit": _names(HandlingUnit.objects.filter(council=council).values_list("pk", "name"), none_label),
        "category": _names(
            ProposalCategory.objects.filter(council=council).values_list("pk", "name"), none_label
        ),
        "sector": _names(Sector.objects.filter(council=council).values_list("pk", "name"), none_label),
        "affiliation": _names(
            Affiliation.objects.filter(council=council).values_list("pk", "name"), none_label
        ),
    }
    by: dict[str, list[Row]] = {}
    for name in DIMENSIONS:
        order = list(names[name])
        by[name] = [
            Row(key, names[name].get(key, none_label), figures)
            for key, figures in sorted(
                tables[name].items(),
                key=lambda item: order.index(item[0]) if item[0] in order else len(order),
            )
        ]
    _rank_units(by["unit"])
    return YearStatistics(council=council, year=year, today=today, total=total, by=by)


def _rank_units(rows: list[Row]) -> None:
    """Competition ranking (1, 2, 2, 4) of units with replies due."""

    def value(rate: Rate) -> Decimal:
        percent = rate.percent
        return Decimal(-1) if percent is None else percent

    def score(row: Row) -> tuple[Decimal, Decimal, Decimal]:
        f = row.figures
        return (value(f.on_time_reply_rate), value(f.satisfaction_rate), value(f.implementation_rate))

    ranked = sorted((row for row in rows if row.figures.due), key=score, reverse=True)
    previous: tuple[Decimal, Decimal, Decimal] | None = None
    for position, row in enumerate(ranked, start=1):
        current = score(row)
        row.rank = position if current != previous else ranked[position - 2].rank
        previous = current


def years_with_proposals(council: Council) -> list[int]:
    """The years (newest first) in which the council has filed proposals."""
    return list(
        Proposal.objects.filter(council=council, session__isnull=False)
        .exclude(status=S.DRAFT)
        .values_list("session__year", flat=True)
        .distinct()
        .order_by("-session__year")
    )
