"""The duty overview over the API: the page's ranking and grades, from the
same function, for whom the page shows them, in a fixed number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from xieshang.core.testing import Expect, refused_except, run_permission_matrix, snapshot_rows
from xieshang.councils.tests.factories import MemberFactory
from xieshang.duty.actions import rebuild_duty_records
from xieshang.duty.models import DutyRecord
from xieshang.duty.tests.conftest import YEAR, DutyWorld

pytestmark = pytest.mark.django_db


def _api(council: str = "city") -> str:
    return f"/api/v1/c/{council}/duty/overview?year={YEAR}"


def _page(client: Client) -> Any:
    return client.get(reverse("duty:overview", kwargs={"council_slug": "city"}), {"year": YEAR})


def test_the_answer_is_the_overview_page_s_figures(world: DutyWorld, clients: dict[str, Client]) -> None:
    rebuild_duty_records(world.cast.city, YEAR)
    data = _page(clients["staff"]).context["data"]
    answer = clients["staff"].get(_api()).json()
    assert [(r["rank"], r["member_id"], r["total"], r["grade"]) for r in answer["ranking"]] == [
        (r.rank, r.member.pk, r.score.total, r.score.grade) for r in data.ranking
    ]
    assert answer["grade_counts"] == data.grade_counts
    assert sum(answer["grade_counts"].values()) == len(answer["ranking"])
    assert (
        answer["no_activity"] == [m.pk for m in data.no_activity] and world.idle.pk in answer["no_activity"]
    )
    assert answer["council_median"] == data.council_median


def test_only_those_who_see_the_page_get_the_figures_and_nothing_changes(
    world: DutyWorld, clients: dict[str, Client]
) -> None:
    allowed = [name for name, client in clients.items() if _page(client).status_code == 200]
    assert "staff" in allowed and "member" not in allowed
    run_permission_matrix(
        clients=clients,
        method="get",
        url=_api(),
        expectations=refused_except({name: Expect(200) for name in allowed}, anonymous=401),
        snapshot=snapshot_rows(DutyRecord),
    )


def test_another_council_s_overview_is_not_found(world: DutyWorld, clients: dict[str, Client]) -> None:
    assert clients["staff"].get(_api("othercity")).status_code == 404


def test_the_number_of_queries_does_not_grow_with_members(
    world: DutyWorld, clients: dict[str, Client], django_assert_num_queries: Any
) -> None:
    rebuild_duty_records(world.cast.city, YEAR)
    client = clients["staff"]
    client.get(_api())
    for _ in range(5):
        MemberFactory(council=world.cast.city, term=world.cast.term)
    with django_assert_num_queries(10):
        assert client.get(_api()).status_code == 200
