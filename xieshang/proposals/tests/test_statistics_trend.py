"""The year-over-year trend of topics (categories) on the statistics page and
in its Excel export (DOMAIN.md §1, "Statistics": topic continuity).

The city's filed proposals per category and year (the year shown is 2026):
  城乡建设  2024: 1  2025: 2  2026: 1   → followed 3 years in a row
  社会事业  2022: 1  2023: 1  2026: 2   → 1 year in a row, not followed
  生态环境  2025: 1                     → 0 years up to 2026
  no category 2026: 1
Not counted: a draft (2026), a proposal of 2021 (outside the five years) and
a proposal of another council (2026).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from xieshang.core.testing import parse_html
from xieshang.councils.models import Session
from xieshang.proposals.models import ProposalCategory
from xieshang.proposals.states import ProposalStatus
from xieshang.proposals.statistics import TopicTrend, topic_trend
from xieshang.proposals.tests.conftest import World
from xieshang.proposals.tests.factories import ProposalCategoryFactory, ProposalFactory, SessionFactory

pytestmark = pytest.mark.django_db
S = ProposalStatus


def url(name: str) -> str:
    return reverse(f"proposals:{name}", kwargs={"council_slug": "city"})


class Years:
    def __init__(self, world: World) -> None:
        city, term = world.cast.city, world.cast.term
        self.world = world
        self.building = ProposalCategoryFactory(council=city, name="城乡建设", sort_order=1)
        self.social = ProposalCategoryFactory(council=city, name="社会事业", sort_order=2)
        self.ecology = ProposalCategoryFactory(council=city, name="生态环境", sort_order=3)
        sessions: dict[int, Session] = {2026: world.session}
        for number, year in enumerate((2021, 2022, 2023, 2024, 2025), start=10):
            sessions[year] = SessionFactory(
                council=city,
                term=term,
                number=number,
                year=year,
                opens_on=dt.date(year, 1, 10),
                closes_on=dt.date(year, 1, 14),
            )

        def filed(year: int, category: ProposalCategory | None, status: str = S.ACCEPTED) -> None:
            ProposalFactory(council=city, term=term, session=sessions[year], category=category, status=status)

        for year, category in [
            (2024, self.building),
            (2025, self.building),
            (2025, self.building),
            (2026, self.building),
            (2022, self.social),
            (2023, self.social),
            (2026, self.social),
            (2026, self.social),
            (2025, self.ecology),
            (2026, None),
            (2021, self.building),
        ]:
            filed(year, category, S.SUBMITTED if year == 2026 and category is None else S.ACCEPTED)
        filed(2026, self.building, S.DRAFT)
        ProposalFactory(status=S.ACCEPTED)  # another council

    def trend(self) -> TopicTrend:
        return topic_trend(self.world.cast.city, 2026, none_label="—")


@pytest.fixture
def years(world: World) -> Years:
    return Years(world)


def test_counts_per_topic_and_year_over_the_five_years_up_to_the_one_shown(years: Years) -> None:
    trend = years.trend()
    assert trend.years == (2022, 2023, 2024, 2025, 2026)
    counts = {row.name: row.counts for row in trend.rows}
    assert counts == {
        "城乡建设": (0, 0, 1, 2, 1),
        "社会事业": (1, 1, 0, 0, 2),
        "生态环境": (0, 0, 0, 1, 0),
        "—": (0, 0, 0, 0, 1),
    }


def test_a_topic_filed_three_years_in_a_row_up_to_the_year_is_followed(years: Years) -> None:
    trend = years.trend()
    streaks = {row.name: (row.streak, row.is_followed) for row in trend.rows}
    assert streaks["城乡建设"] == (3, True)
    assert streaks["社会事业"] == (1, False)
    assert streaks["生态环境"] == (0, False)
    assert [row.name for row in trend.followed] == ["城乡建设"]


def test_an_earlier_year_shows_its_own_five_years(years: Years) -> None:
    trend = topic_trend(years.world.cast.city, 2025)
    assert trend.years == (2021, 2022, 2023, 2024, 2025)
    building = next(row for row in trend.rows if row.name == "城乡建设")
    assert (building.counts, building.streak) == ((1, 0, 0, 1, 2), 2)


def test_the_trend_costs_the_same_queries_whatever_the_volume(
    years: Years, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(3):
        years.trend()


def test_statistics_page_shows_the_trend_table_chart_and_the_followed_topic(
    years: Years, clients: dict[str, Client]
) -> None:
    page = parse_html(clients["leader"].get(url("statistics"), {"year": 2026}).content)
    page.one(data_testid="trend-table")
    page.one(data_chart="trend-chart")
    page.one(id="trend-chart")
    followed = page.one("tr", data_testid="followed-topic")
    assert followed.one("th").text == "城乡建设"


def test_trend_export_has_a_column_per_year_and_marks_followed_topics(
    years: Years, clients: dict[str, Client]
) -> None:
    response = clients["staff"].get(url("statistics_export"), {"year": 2026, "by": "trend"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][1:6] == ("2022", "2023", "2024", "2025", "2026")
    building = next(r for r in rows if r[0] == "城乡建设")
    assert building[1:7] == (0, 0, 1, 2, 1, 3) and building[7]
    social = next(r for r in rows if r[0] == "社会事业")
    assert social[6] == 1 and not social[7]
    assert rows[-1][1:6] == (1, 1, 1, 3, 4)


def test_only_staff_and_leaders_export_the_trend(years: Years, clients: dict[str, Client]) -> None:
    for name, status in [
        ("staff", 200),
        ("leader", 200),
        ("member", 403),
        ("liaison", 403),
        ("outsider", 404),
    ]:
        response = clients[name].get(url("statistics_export"), {"year": 2026, "by": "trend"})
        assert response.status_code == status, name
