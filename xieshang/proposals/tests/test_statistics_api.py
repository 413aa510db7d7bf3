"""The proposal statistics over the API and the replies per category: the
same figures as the page, from the same function, for the same people."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.test import Client

from xieshang.core.testing import Expect, refused_except, run_permission_matrix, snapshot_rows
from xieshang.proposals.models import Proposal, Reply, ReplyCategory
from xieshang.proposals.statistics import YearStatistics
from xieshang.proposals.tests.conftest import World
from xieshang.proposals.tests.test_statistics import TODAY, Year, url

pytestmark = pytest.mark.django_db
API = "/api/v1/c/city/proposals/statistics?year=2026"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY):
        yield


@pytest.fixture
def year(world: World) -> Year:
    return Year(world)


@pytest.fixture
def added(year: Year) -> ReplyCategory:
    """A category the council added, which no reply has."""
    return ReplyCategory.objects.create(
        council=year.world.cast.city, code="D", meaning="留作参考", sort_order=9
    )


def _page_stats(client: Client) -> YearStatistics:
    response = client.get(url("statistics"), {"year": 2026})
    assert response.status_code == 200
    return response.context["stats"]  # type: ignore[no-any-return]


def test_replies_are_counted_per_category_on_the_page_and_add_up_to_replied(
    year: Year, added: ReplyCategory, clients: dict[str, Client]
) -> None:
    stats = _page_stats(clients["staff"])
    counts = {row.code: row.replies for row in stats.reply_categories}
    assert counts == {"A": 2, "B": 1, "C": 0, "D": 0}
    assert sum(counts.values()) == stats.total.replied == 3
    html = clients["staff"].get(url("statistics"), {"year": 2026}).content.decode()
    assert 'data-testid="table-reply-category"' in html and "留作参考" in html


def test_the_answer_has_the_page_s_figures_with_their_counts(
    year: Year, added: ReplyCategory, clients: dict[str, Client]
) -> None:
    stats = _page_stats(clients["leader"])
    answer = clients["leader"].get(API).json()
    total = stats.total
    assert answer["total"]["replied"] == total.replied
    assert (answer["total"]["on_time"], answer["total"]["due"]) == (total.on_time, total.due)
    assert (answer["total"]["satisfied"], answer["total"]["ratings"]) == (total.satisfied, total.ratings)
    assert answer["total"]["implemented"] == total.implemented
    assert answer["total"]["on_time_reply_rate"] == float(total.on_time_reply_rate.percent or 0)
    assert [(r["code"], r["replies"], r["counts_as_implemented"]) for r in answer["reply_categories"]] == [
        (r.code, r.replies, r.counts_as_implemented) for r in stats.reply_categories
    ]
    assert [(r["name"], r["figures"]["assigned"]) for r in answer["units"]] == [
        (r.name, r.figures.assigned) for r in stats.league
    ]


def test_only_those_who_see_the_page_get_the_figures_and_nothing_changes(
    year: Year, clients: dict[str, Client]
) -> None:
    run_permission_matrix(
        clients=clients,
        method="get",
        url=API,
        expectations=refused_except(
            {"staff": Expect(200), "leader": Expect(200), "admin": Expect((200, 403))}, anonymous=401
        ),
        snapshot=snapshot_rows(Proposal, Reply),
    )


def test_another_council_s_statistics_are_not_found(year: Year, clients: dict[str, Client]) -> None:
    assert clients["staff"].get("/api/v1/c/othercity/proposals/statistics").status_code == 404


def test_the_number_of_queries_does_not_grow_with_replies(
    year: Year, clients: dict[str, Client], django_assert_num_queries: Any
) -> None:
    client = clients["staff"]
    client.get(API)
    for code in ("E", "F"):
        ReplyCategory.objects.create(council=year.world.cast.city, code=code, meaning="其他")
    year.release(year.assign(year.p3, year.u1, "2026-06-01"), "2026-05-25", year.b)
    with django_assert_num_queries(16):
        assert client.get(API).status_code == 200
