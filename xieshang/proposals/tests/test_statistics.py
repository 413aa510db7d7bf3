"""Yearly statistics computed on a small hand-built year whose every figure
is worked out below, so each rate is checked against known counts.

The city's 2026 proposals (today is 2026-07-10):
  P1 assigned   cat C1  sector SA  U1 lead: due 06-01, released 05-20 (on time), A, satisfied
                                   U2 assisting (held, never due)
  P2 released   cat C1  sector SB  U1 lead: due 06-01 extended to 07-01, released 06-15 (on time), B,
                                   dissatisfied
  P3 assigned   cat C2  sector SA  U2 lead: due 06-01, no reply (due, late)
  P4 assigned   cat C2  —          U1 split: due 07-01, released 07-05 (late), A, basically satisfied
                                   U2 split: due 09-01, no reply (not due yet)
  P5 declined   cat C1  —
  P6 submitted  cat C2  —
  a draft (not filed), a 2025 proposal (another year), and a proposal of another council.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from xieshang.councils.models import HandlingUnit, Member
from xieshang.councils.tests.factories import HandlingUnitFactory, MemberFactory, SectorFactory
from xieshang.proposals.models import Assignment, Feedback, Proposal, ProposalCategory, Reply, ReplyCategory
from xieshang.proposals.states import AssignmentRole, ProposalStatus, ReplyStatus
from xieshang.proposals.statistics import Rate, YearStatistics, year_statistics
from xieshang.proposals.tests.conftest import World
from xieshang.proposals.tests.factories import ProposalCategoryFactory, ProposalFactory, SessionFactory

pytestmark = pytest.mark.django_db
S = ProposalStatus
TODAY = dt.date(2026, 7, 10)


def url(name: str, **kwargs: Any) -> str:
    return reverse(f"proposals:{name}", kwargs={"council_slug": "city", **kwargs})


def noon(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T12:00:00+08:00")


class Year:
    def __init__(self, world: World) -> None:
        city, term = world.cast.city, world.cast.term
        self.world = world
        self.c1 = ProposalCategoryFactory(council=city, name="城乡建设")
        self.c2 = ProposalCategoryFactory(council=city, name="社会事业")
        self.sa = SectorFactory(council=city, name="教育界")
        self.sb = SectorFactory(council=city, name="经济界")
        self.u1 = HandlingUnitFactory(council=city, name="市教育局")
        self.u2 = HandlingUnitFactory(council=city, name="市民政局")
        self.a = ReplyCategory.objects.get(council=city, code="A")
        self.b = ReplyCategory.objects.get(council=city, code="B")
        member_a = MemberFactory(council=city, term=term, sector=self.sa)
        member_b = MemberFactory(council=city, term=term, sector=self.sb)
        member_none = MemberFactory(council=city, term=term)

        def proposal(status: str, category: ProposalCategory, member: Member, **extra: Any) -> Proposal:
            return ProposalFactory(
                council=city,
                term=term,
                session=extra.pop("session", world.session),
                lead_proposer=member,
                status=status,
                category=category,
                **extra,
            )

        self.p1 = proposal(S.ASSIGNED, self.c1, member_a)
        self.p2 = proposal(S.RELEASED, self.c1, member_b)
        self.p3 = proposal(S.ASSIGNED, self.c2, member_a)
        self.p4 = proposal(S.ASSIGNED, self.c2, member_none)
        self.p5 = proposal(S.DECLINED, self.c1, member_none)
        self.p6 = proposal(S.SUBMITTED, self.c2, member_none)
        proposal(S.DRAFT, self.c1, member_a)
        last_year = SessionFactory(council=city, term=term, number=2, year=2025)
        old = proposal(S.ASSIGNED, self.c1, member_a, session=last_year)
        self.release(self.assign(old, self.u2, "2025-06-01"), "2025-09-01", self.b)
        ProposalFactory(status=S.ACCEPTED)  # another council

        r1 = self.release(self.assign(self.p1, self.u1, "2026-06-01"), "2026-05-20", self.a)
        self.rate(r1, "satisfied")
        self.assign(self.p1, self.u2, "2026-06-01", role=AssignmentRole.ASSISTING)
        r2 = self.release(
            self.assign(self.p2, self.u1, "2026-06-01", extended="2026-07-01"), "2026-06-15", self.b
        )
        self.rate(r2, "dissatisfied")
        self.assign(self.p3, self.u2, "2026-06-01")
        split = AssignmentRole.SPLIT
        r4 = self.release(self.assign(self.p4, self.u1, "2026-07-01", role=split), "2026-07-05", self.a)
        self.rate(r4, "basically_satisfied")
        self.assign(self.p4, self.u2, "2026-09-01", role=split)

    def assign(
        self,
        proposal: Proposal,
        unit: HandlingUnit,
        due: str,
        *,
        role: str = AssignmentRole.LEAD,
        extended: str = "",
    ) -> Assignment:
        return Assignment.objects.create(
            council=proposal.council,
            proposal=proposal,
            unit=unit,
            role=role,
            assigned_on=dt.date(2026, 3, 2) if due.startswith("2026") else dt.date(2025, 3, 2),
            due_on=dt.date.fromisoformat(due),
            objection_due_on=dt.date(2025, 3, 9),
            extended_due_on=dt.date.fromisoformat(extended) if extended else None,
        )

    def release(self, assignment: Assignment, day: str, category: ReplyCategory) -> Reply:
        return Reply.objects.create(
            council=assignment.council,
            assignment=assignment,
            category=category,
            text="经研究，已纳入年度工作计划。",
            signer="局长",
            contact_person="科长",
            status=ReplyStatus.RELEASED,
            written_by=self.world.cast.liaison,
            submitted_at=noon(day),
            released_at=noon(day),
        )

    def rate(self, reply: Reply, satisfaction: str) -> None:
        proposal = reply.assignment.proposal
        assert proposal.lead_proposer is not None
        Feedback.objects.create(
            council=reply.council, reply=reply, member=proposal.lead_proposer, satisfaction=satisfaction
        )

    def stats(self) -> YearStatistics:
        return year_statistics(self.world.cast.city, 2026, today=TODAY)


@pytest.fixture
def year(world: World) -> Year:
    return Year(world)


def row(stats: YearStatistics, dimension: str, key: int) -> Any:
    return next(r for r in stats.by[dimension] if r.key == key)


def test_rates_round_half_up_to_one_decimal_and_keep_their_counts() -> None:
    assert Rate(2, 3).percent == Decimal("66.7")
    assert Rate(1, 8).percent == Decimal("12.5")
    assert Rate(1, 16).percent == Decimal("6.3")
    assert str(Rate(0, 4)) == "0.0%"
    assert Rate(0, 0).percent is None and str(Rate(0, 0)) == "—"


def test_totals_follow_the_domain_definitions(year: Year) -> None:
    total = year.stats().total
    assert (total.filed, total.accepted) == (6, 4)
    assert total.acceptance_rate.percent == Decimal("66.7")
    # Due: P1/U1 and P2/U1 (on time, the second thanks to its extension),
    # P3/U2 (no reply, past due) and P4/U1 (released late); P4/U2 is not due yet.
    assert (total.on_time, total.due) == (2, 4)
    assert total.on_time_reply_rate.percent == Decimal("50.0")
    assert (total.satisfied, total.ratings) == (2, 3)
    assert (total.implemented, total.replied) == (2, 3)
    assert total.implementation_rate.percent == Decimal("66.7")
    assert total.assigned == 4


def test_units_have_their_own_figures_and_a_ranking(year: Year) -> None:
    stats = year.stats()
    u1, u2 = row(stats, "unit", year.u1.pk), row(stats, "unit", year.u2.pk)
    assert (u1.figures.assigned, u1.figures.due, u1.figures.on_time) == (3, 3, 2)
    assert (u1.figures.ratings, u1.figures.satisfied, u1.figures.replied, u1.figures.implemented) == (
        3,
        2,
        3,
        2,
    )
    assert (u2.figures.assigned, u2.figures.due, u2.figures.on_time) == (3, 1, 0)
    assert u2.figures.on_time_reply_rate.percent == Decimal("0.0")
    assert u2.figures.satisfaction_rate.percent is None
    assert [(r.name, r.rank) for r in stats.league] == [("市教育局", 1), ("市民政局", 2)]


def test_categories_split_the_same_figures(year: Year) -> None:
    stats = year.stats()
    c1, c2 = row(stats, "category", year.c1.pk), row(stats, "category", year.c2.pk)
    assert (c1.figures.filed, c1.figures.accepted, c1.figures.due, c1.figures.on_time) == (3, 2, 2, 2)
    assert (c1.figures.satisfied, c1.figures.ratings, c1.figures.implemented, c1.figures.replied) == (
        1,
        2,
        1,
        2,
    )
    assert (c2.figures.filed, c2.figures.accepted, c2.figures.due, c2.figures.on_time) == (3, 2, 2, 0)
    assert (c2.figures.satisfied, c2.figures.ratings, c2.figures.implemented, c2.figures.replied) == (
        1,
        1,
        1,
        1,
    )


def test_sectors_are_the_lead_proposers_and_the_rest_is_not_given(year: Year) -> None:
    stats = year.stats()
    sa, sb, none = row(stats, "sector", year.sa.pk), row(stats, "sector", year.sb.pk), row(stats, "sector", 0)
    assert (sa.figures.filed, sa.figures.accepted, sa.figures.on_time, sa.figures.due) == (2, 2, 1, 2)
    assert (sb.figures.filed, sb.figures.on_time, sb.figures.due, sb.figures.ratings) == (1, 1, 1, 1)
    assert (none.figures.filed, none.figures.accepted) == (3, 1)
    assert sum(r.figures.filed for r in stats.by["affiliation"]) == 6


def test_a_reply_released_after_today_is_not_yet_due_and_nothing_counts_before_the_deadline(
    year: Year,
) -> None:
    early = year_statistics(year.world.cast.city, 2026, today=dt.date(2026, 5, 25))
    # Only P1 (released early) is due on 25 May.
    assert (early.total.on_time, early.total.due) == (1, 1)


def test_statistics_page_shows_rates_with_their_counts(year: Year, clients: dict[str, Client]) -> None:
    response = clients["leader"].get(url("statistics"), {"year": 2026})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="total-filed">6<' in html
    assert "66.7%" in html
    assert 'data-chart="league-chart"' in html and 'id="league-chart"' in html
    assert 'data-testid="table-category"' in html and "城乡建设" in html


def test_a_year_without_sessions_shows_zeros_not_an_error(year: Year, clients: dict[str, Client]) -> None:
    response = clients["leader"].get(url("statistics"), {"year": 2020})
    assert response.status_code == 200
    assert 'data-testid="total-filed">0<' in response.content.decode()
    export = clients["leader"].get(url("statistics_export"), {"year": 2020})
    assert export.status_code == 200


def test_statistics_page_query_count_does_not_grow_with_the_data(
    year: Year, clients: dict[str, Client]
) -> None:
    clients["staff"].get(url("statistics"), {"year": 2026})
    with CaptureQueriesContext(connection) as before:
        clients["staff"].get(url("statistics"), {"year": 2026})
    for _ in range(3):
        extra = ProposalFactory(
            council=year.world.cast.city,
            term=year.world.cast.term,
            session=year.world.session,
            status=S.ASSIGNED,
        )
        year.rate(
            year.release(
                year.assign(extra, HandlingUnitFactory(council=extra.council), "2026-06-01"),
                "2026-05-01",
                year.a,
            ),
            "satisfied",
        )
    with CaptureQueriesContext(connection) as after:
        clients["staff"].get(url("statistics"), {"year": 2026})
    assert len(after) == len(before)


def test_only_staff_and_leaders_see_the_statistics(year: Year, clients: dict[str, Client]) -> None:
    for name, status in [
        ("staff", 200),
        ("leader", 200),
        ("member", 403),
        ("liaison", 403),
        ("outsider", 404),
    ]:
        assert clients[name].get(url("statistics")).status_code == status, name


def test_excel_export_has_the_league_table_and_the_total(year: Year, clients: dict[str, Client]) -> None:
    response = clients["staff"].get(url("statistics_export"), {"year": 2026, "by": "unit"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:6] == (1, "市教育局", 3, 3, 2, 66.7)
    assert rows[-1][1] in ("Total", "合计") and rows[-1][2] == 4
    by_category = clients["staff"].get(url("statistics_export"), {"year": 2026, "by": "category"})
    rows = list(load_workbook(io.BytesIO(by_category.content)).active.iter_rows(values_only=True))
    assert next(r for r in rows if r[0] == "城乡建设")[:4] == ("城乡建设", 3, 2, 66.7)
    assert rows[-1][:3] == (rows[-1][0], 6, 4)
