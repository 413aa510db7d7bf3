"""Aggregates: seated members per sector of a council and its lower councils.

Upper-council staff (upper, province staff) may read the city's and county's
aggregate pages but never their member lists or anyone's personal data;
another city's staff (outsider) see nothing of this city.
"""

from __future__ import annotations

import json

import pytest

from xieshang.core.testing import Expect, parse_html, run_permission_matrix
from xieshang.councils.tests.factories import MemberFactory, SectorFactory, TermFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seated(cast):
    """The city: 经济界 3 (one unseated more), 教育界 1, 1 without a sector
    (plus the cast's own member, also without a sector); the county: 经济界 2."""
    city_economy = SectorFactory(council=cast.city, name="经济界", sort_order=1)
    city_education = SectorFactory(council=cast.city, name="教育界", sort_order=2)
    for i in range(3):
        MemberFactory(council=cast.city, term=cast.term, sector=city_economy, full_name=f"王经济{i}")
    MemberFactory(
        council=cast.city, term=cast.term, sector=city_economy, full_name="离任委员", is_active=False
    )
    MemberFactory(council=cast.city, term=cast.term, sector=city_education, full_name="赵教育")
    MemberFactory(council=cast.city, term=cast.term, full_name="无界别委员")
    county_term = TermFactory(council=cast.county)
    county_economy = SectorFactory(council=cast.county, name="经济界")
    for i in range(2):
        MemberFactory(council=cast.county, term=county_term, sector=county_economy, full_name=f"县委员{i}")


def test_aggregates_are_open_to_the_councils_readers_and_upper_staff(clients, seated):
    expectations = {
        "admin": Expect(200),
        "staff": Expect(200),
        "leader": Expect(200),
        "oversight": Expect(200),
        "upper": Expect(200),
        "platform": Expect(200),
        "member": Expect(403),
        "liaison": Expect(403),
        "outsider": Expect(404),
        "anonymous": Expect(302),
    }
    run_permission_matrix(
        clients=clients,
        method="get",
        url="/c/city/aggregates/",
        expectations=expectations,
        snapshot=lambda: 0,
    )


def test_counts_per_sector_and_totals_for_the_city_and_its_county(clients, cast, seated):
    response = clients["upper"].get("/c/city/aggregates/")
    counts = {row.council.slug: (row.per_sector, row.total) for row in response.context["counts"]}
    assert counts == {
        "city": ({"经济界": 3, "教育界": 1}, 6),
        "county": ({"经济界": 2}, 2),
    }
    assert response.context["table"] == [
        {"sector": "经济界", "counts": [3, 2]},
        {"sector": "教育界", "counts": [1, None]},
    ]


def test_the_province_sees_its_cities_and_their_counties(clients, cast, seated):
    response = clients["upper"].get("/c/province/aggregates/")
    slugs = [row.council.slug for row in response.context["counts"]]
    assert slugs == ["province", "othercity", "city", "county"]


def test_chart_and_table_show_the_same_numbers(clients, seated):
    response = clients["upper"].get("/c/city/aggregates/")
    page = parse_html(response.content)
    page.one("div", class_="chart", data_chart="members-per-sector-chart")
    option = response.context["chart"]
    assert option["xAxis"]["data"] == ["某某市政协", "某某县政协"]
    series = {s["name"]: s["data"] for s in option["series"]}
    assert series == {"经济界": [3, 2], "教育界": [1, 0]}
    payload = page.one("script", id="members-per-sector-chart", type="application/json").raw_text
    assert json.loads(payload) == option
    assert page.one(data_testid="total-city").text == "6"


def test_aggregates_show_no_names_and_no_personal_data(clients, cast, seated):
    body = clients["upper"].get("/c/city/aggregates/").content.decode()
    for secret in ("王经济0", "赵教育", "李委员", "离任委员", cast.member_record.mobile):
        assert secret not in body


def test_upper_staff_cannot_open_a_lower_councils_member_list_or_member(clients, cast, seated):
    for url in ("/c/city/members/", f"/c/city/members/{cast.member_record.pk}/", "/c/county/members/"):
        response = clients["upper"].get(url)
        assert response.status_code in (403, 404), url
        body = response.content.decode()
        assert "李委员" not in body and "王经济0" not in body and "县委员0" not in body


def test_aggregates_query_count_does_not_grow_with_councils_or_members(
    clients, cast, seated, django_assert_num_queries
):
    clients["upper"].get(
        "/c/province/aggregates/"
    )  # the first request after logging in records the activity (a session write)
    with django_assert_num_queries(10):
        assert clients["upper"].get("/c/province/aggregates/").status_code == 200
    from xieshang.councils.models import Level
    from xieshang.councils.tests.factories import CouncilFactory

    for i in range(4):
        county = CouncilFactory(slug=f"extra{i}", name=f"新县{i}", level=Level.COUNTY, parent=cast.city)
        sector = SectorFactory(council=county, name="经济界")
        MemberFactory(council=county, term=TermFactory(council=county), sector=sector)
    with django_assert_num_queries(10):
        response = clients["upper"].get("/c/province/aggregates/")
    assert len(response.context["counts"]) == 8


def test_a_council_without_sectors_says_so(clients, cast):
    response = clients["upper"].get("/c/county/aggregates/")
    assert response.context["table"] == []
    assert 'data-chart="members-per-sector-chart"' not in response.content.decode()
