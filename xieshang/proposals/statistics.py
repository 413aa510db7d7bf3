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
  basically satisfied) / ratings received. A rating missing when the window
  closed is recorded as the council's setting feedback_missing_counts_as
  says: "no feedback" is not a rating and is left out (counted apart as
  no_feedback); "satisfied" counts as a satisfied rating, as configured, and
  is also counted apart as automatic so the page can say how many there are;
- replied: released replies of the proposal's final handling round;
  implemented: those whose category counts as implemented (A by default);
  implementation rate = implemented / replied.

By unit, "assigned" counts the proposals the unit holds in any role (filed
and accepted do not apply to units).

Every figure comes from a fixed number of queries, whatever the volume.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import CharField, Count, Exists, F, OuterRef, QuerySet
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from xieshang.councils.models import Affiliation, Council, HandlingUnit, Sector, Session
from xieshang.proposals.models import Assignment, Feedback, Proposal, ProposalCategory, Reply, ReplyCategory
from xieshang.proposals.states import (
    NO_FEEDBACK,
    NUMBERED,
    PLEASED,
    REPLYING_ROLES,
    ProposalStatus,
    ReplyStatus,
)

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
    automatic: int = 0  # ratings recorded automatically (included in ratings)
    no_feedback: int = 0  # missing ratings recorded as "no feedback" (not ratings)
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


@dataclass(frozen=True)
class CategoryCount:
    """The replies counted as replied (the denominator of the implementation
    rate) whose category is this one."""

    id: int
    code: str
    meaning: str
    counts_as_implemented: bool
    replies: int


@dataclass
class YearStatistics:
    council: Council
    year: int
    today: dt.date
    total: Figures
    by: dict[str, list[Row]]
    # Every reply category of the council, those no reply had included.
    reply_categories: list[CategoryCount] = field(default_factory=list)

    @classmethod
    def nothing_filed(cls, council: Council, year: int) -> YearStatistics:
        """A year in which nothing was filed: nothing counted, and no rows."""
        return cls(council, year, timezone.localdate(), Figures(), {name: [] for name in DIMENSIONS})

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


def _rows(queryset: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The rows of a values_list() queryset as the database driver returns
    them, without Django's per-value conversion: tens of thousands of rows
    are read in a fraction of the time. Dates and datetimes are read through
    _raw(), and compared only with values made by _day() and _end_of_day()."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return []  # a filter that matches nothing, such as a year without sessions
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _raw(field: str) -> Any:
    """A date or datetime column as cheap to read as possible: SQLite's
    driver would parse each value in Python, so it is read as its ISO text;
    PostgreSQL's driver converts in C."""
    return Cast(field, output_field=CharField()) if connection.vendor == "sqlite" else F(field)


def _day(value: dt.date) -> Any:
    """A date in the form _raw() reads date columns."""
    return value.isoformat() if connection.vendor == "sqlite" else value


@functools.cache
def _end_of_day_cached(day: Any, zone: str, vendor: str) -> Any:
    date = dt.date.fromisoformat(day) if isinstance(day, str) else day
    local = dt.datetime.combine(date + dt.timedelta(days=1), dt.time(), tzinfo=ZoneInfo(zone))
    utc = local.astimezone(dt.UTC)
    # SQLite keeps aware datetimes as UTC text "YYYY-MM-DD HH:MM:SS[.ffffff]".
    return utc.strftime("%Y-%m-%d %H:%M:%S") if vendor == "sqlite" else utc


def _end_of_day(day: Any) -> Any:
    """The first moment after a local day (a date, or a date as _raw() reads
    it), in the form _raw() reads datetime columns."""
    return _end_of_day_cached(day, timezone.get_current_timezone_name(), connection.vendor)


def _names(rows: Iterable[tuple[int, str]], none_label: str) -> dict[int, str]:
    names = dict(rows)
    names[NONE_KEY] = none_label
    return names


@dataclass
class _Tally:
    """The figures of one council's year while they are counted."""

    total: Figures = field(default_factory=Figures)
    tables: dict[str, dict[int, Figures]] = field(
        default_factory=lambda: {name: defaultdict(Figures) for name in DIMENSIONS}
    )
    # For each proposal, the figures it counts in: the total, its category,
    # sector and affiliation rows (units are added per assignment).
    targets: dict[int, tuple[Figures, ...]] = field(default_factory=dict)
    rounds: dict[int, int] = field(default_factory=dict)
    # Each assignment's (proposal, unit), and the active replying ones with
    # their deadlines.
    held: dict[int, tuple[int, int]] = field(default_factory=dict)
    replying: list[tuple[int, int, int, Any]] = field(default_factory=list)
    # The release of each assignment's first-round reply.
    first_release: dict[int, Any] = field(default_factory=dict)
    # Replies counted as replied in the total, per reply category.
    per_reply_category: dict[int, int] = field(default_factory=lambda: defaultdict(int))

    def of_assignment(self, assignment_id: int) -> tuple[Figures, ...]:
        """The figures an assignment's reply or rating counts in (none for an
        assignment of a proposal outside the year)."""
        owner = self.held.get(assignment_id)
        if owner is None:
            return ()
        proposal_id, unit_id = owner
        return (*self.targets[proposal_id], self.tables["unit"][unit_id])


def year_statistics(
    council: Council, year: int, *, today: dt.date | None = None, none_label: str = "—"
) -> YearStatistics:
    """Every figure of council's proposals of year, in total and by unit,
    category, sector and affiliation. today decides which replies are due."""
    today = today or timezone.localdate()
    sessions = list(Session.objects.filter(council=council, year=year).values_list("pk", flat=True))
    tally = _Tally()
    _count_proposals(tally, council, sessions)
    _count_assignments(tally, council, sessions)
    _count_replies(tally, council, sessions)
    _count_deadlines(tally, today)
    _count_ratings(tally, council, sessions)
    by = _named_rows(tally, council, none_label)
    _rank_units(by["unit"])
    return YearStatistics(
        council=council,
        year=year,
        today=today,
        total=tally.total,
        by=by,
        reply_categories=_reply_categories(tally, council),
    )


def _reply_categories(tally: _Tally, council: Council) -> list[CategoryCount]:
    """Each reply category of council, in its order, with its count of replies."""
    return [
        CategoryCount(pk, code, meaning, implemented, tally.per_reply_category[pk])
        for pk, code, meaning, implemented in ReplyCategory.objects.filter(council=council).values_list(
            "pk", "code", "meaning", "counts_as_implemented"
        )
    ]


def _count_proposals(tally: _Tally, council: Council, sessions: list[int]) -> None:
    """Proposals: filed and accepted, and the rows each belongs to."""
    proposals = (
        Proposal.objects.filter(council=council, session_id__in=sessions)
        .exclude(status=ProposalStatus.DRAFT)
        .annotate(
            sector=Coalesce("lead_proposer__sector_id", "author_sector_id"),
            affiliation=Coalesce("lead_proposer__affiliation_id", "author_affiliation_id"),
        )
        .values_list("pk", "status", "category_id", "sector", "affiliation", "handling_round")
    )
    tables = tally.tables
    for pk, status, category_id, sector_id, affiliation_id, handling_round in _rows(proposals):
        rows = (
            tally.total,
            tables["category"][category_id or NONE_KEY],
            tables["sector"][sector_id or NONE_KEY],
            tables["affiliation"][affiliation_id or NONE_KEY],
        )
        tally.targets[pk] = rows
        tally.rounds[pk] = handling_round
        is_accepted = status in NUMBERED
        for figures in rows:
            figures.filed += 1
            figures.accepted += is_accepted


def _count_assignments(tally: _Tally, council: Council, sessions: list[int]) -> None:
    """Assignments: which unit holds which proposal, in which role."""
    assignments = (
        Assignment.objects.filter(council=council, proposal__session_id__in=sessions)
        .annotate(deadline=Coalesce(_raw("extended_due_on"), _raw("due_on")))
        .values_list("pk", "proposal_id", "unit_id", "role", "deadline", "is_active")
    )
    units_holding: set[tuple[int, int]] = set()
    for pk, proposal_id, unit_id, role, deadline, is_active in _rows(assignments):
        if proposal_id not in tally.targets:
            continue
        tally.held[pk] = (proposal_id, unit_id)
        if not is_active:
            continue
        if (proposal_id, unit_id) not in units_holding:
            units_holding.add((proposal_id, unit_id))
            tally.tables["unit"][unit_id].assigned += 1
        if role in REPLYING_ROLES:
            tally.replying.append((pk, proposal_id, unit_id, deadline))
    tally.total.assigned = len({proposal_id for proposal_id, _unit in units_holding})


def _count_replies(tally: _Tally, council: Council, sessions: list[int]) -> None:
    """Released replies: the first round's reply (one per assignment) decides
    whether the assignment was answered on time; the final round's replies
    count as replied."""
    replies = (
        Reply.objects.filter(
            council=council, assignment__proposal__session_id__in=sessions, status=ReplyStatus.RELEASED
        )
        .annotate(released=_raw("released_at"))
        .values_list(
            "assignment_id", "handling_round", "released", "category__counts_as_implemented", "category_id"
        )
    )
    for assignment_id, handling_round, released_at, implemented, category_id in _rows(replies):
        owner = tally.held.get(assignment_id)
        if owner is None:
            continue
        if handling_round == 1 and released_at is not None:
            tally.first_release[assignment_id] = released_at
        if handling_round == tally.rounds[owner[0]]:
            tally.per_reply_category[category_id] += 1
            for figures in tally.of_assignment(assignment_id):
                figures.replied += 1
                figures.implemented += bool(implemented)


def _count_deadlines(tally: _Tally, today: dt.date) -> None:
    """Replies due by today, and those released by the end of their due day."""
    end_of_today, today_value = _end_of_day(today), _day(today)
    # Deadlines repeat (assignment meetings give many the same date): each
    # is converted to the end of its local day once.
    ends: dict[Any, Any] = {}
    for assignment_id, proposal_id, unit_id, deadline in tally.replying:
        released_at = tally.first_release.get(assignment_id)
        if released_at is not None and released_at >= end_of_today:
            released_at = None  # figures as of today
        if released_at is None and deadline >= today_value:
            continue  # not due yet, not answered yet
        if released_at is None:
            on_time = False
        else:
            end = ends.get(deadline)
            if end is None:
                end = ends[deadline] = _end_of_day(deadline)
            on_time = released_at < end
        for figures in (*tally.targets[proposal_id], tally.tables["unit"][unit_id]):
            figures.due += 1
            figures.on_time += on_time


def _count_ratings(tally: _Tally, council: Council, sessions: list[int]) -> None:
    """Ratings received, and missing ratings recorded as "no feedback"."""
    ratings = Feedback.objects.filter(
        council=council, reply__assignment__proposal__session_id__in=sessions
    ).values_list("reply__assignment_id", "satisfaction", "recorded_automatically")
    for assignment_id, satisfaction, automatic in _rows(ratings):
        for figures in tally.of_assignment(assignment_id):
            if satisfaction == NO_FEEDBACK:
                figures.no_feedback += 1
                continue
            figures.ratings += 1
            figures.satisfied += satisfaction in PLEASED
            figures.automatic += bool(automatic)


def _named_rows(tally: _Tally, council: Council, none_label: str) -> dict[str, list[Row]]:
    """Each dimension's rows with their names, in the council's order."""
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
                tally.tables[name].items(),
                key=lambda item: order.index(item[0]) if item[0] in order else len(order),
            )
        ]
    return by


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
    """The years (newest first) in which the council has filed proposals.
    Asked of the few sessions (does one have a filed proposal?) rather than
    of every proposal, so it costs the same at any volume."""
    filed = Proposal.objects.filter(session=OuterRef("pk")).exclude(status=ProposalStatus.DRAFT)
    return list(
        Session.objects.filter(council=council)
        .filter(Exists(filed))
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )


# A topic filed in at least this many years in a row, up to the year shown,
# is marked as followed (topic continuity, DOMAIN.md §1).
FOLLOWED_YEARS = 3
TREND_YEARS = 5


@dataclass(frozen=True)
class TrendRow:
    key: int
    name: str
    counts: tuple[int, ...]  # filed per year, oldest first
    streak: int  # years in a row with proposals, ending with the year shown

    @property
    def is_followed(self) -> bool:
        return self.streak >= FOLLOWED_YEARS


@dataclass(frozen=True)
class TopicTrend:
    years: tuple[int, ...]  # oldest first, ending with the year shown
    rows: tuple[TrendRow, ...]

    @property
    def followed(self) -> tuple[TrendRow, ...]:
        return tuple(row for row in self.rows if row.is_followed)


def topic_trend(council: Council, year: int, *, span: int = TREND_YEARS, none_label: str = "—") -> TopicTrend:
    """Proposals filed per category (topic) in year and the span - 1 years
    before it, in one grouped query; a topic filed in FOLLOWED_YEARS or
    more years in a row up to year is marked as followed."""
    years = tuple(range(year - span + 1, year + 1))
    session_years = dict(Session.objects.filter(council=council, year__in=years).values_list("pk", "year"))
    counted = (
        Proposal.objects.filter(council=council, session_id__in=list(session_years))
        .exclude(status=ProposalStatus.DRAFT)
        .values_list("session_id", "category_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    per_topic: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for session_id, category_id, n in counted:
        per_topic[category_id or NONE_KEY][session_years[session_id]] += n
    names = _names(ProposalCategory.objects.filter(council=council).values_list("pk", "name"), none_label)
    order = list(names)
    rows = []
    for key in sorted(per_topic, key=lambda k: order.index(k) if k in order else len(order)):
        counts = tuple(per_topic[key][y] for y in years)
        streak = 0
        for n in reversed(counts):
            if not n:
                break
            streak += 1
        rows.append(TrendRow(key=key, name=names.get(key, none_label), counts=counts, streak=streak))
    return TopicTrend(years=years, rows=tuple(rows))
