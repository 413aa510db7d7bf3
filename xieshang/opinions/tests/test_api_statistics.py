"""The opinion report statistics over the API: the page's figures, from the
same function, for whom the page shows them, in a fixed number of queries."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from xieshang.core.testing import Expect, refused_except, run_permission_matrix, snapshot_rows
from xieshang.opinions.actions.review import decline_report
from xieshang.opinions.models import OpinionReport
from xieshang.opinions.tests.conftest import World

pytestmark = pytest.mark.django_db


def _api(council: str = "city") -> str:
    return f"/api/v1/c/{council}/opinions/statistics?year={dt.date.today().year}"


def _page(client: Client) -> Any:
    page_url = reverse("opinions:statistics", kwargs={"council_slug": "city"})
    return client.get(page_url, {"year": dt.date.today().year})


def test_the_answer_is_the_statistics_page_s_figures(world: World, clients: dict[str, Client]) -> None:
    decline_report(world.filed(), actor=world.actor("staff"), reason="重复")
    world.adopted()
    world.adopted()
    figures = _page(clients["staff"]).context["figures"]
    answer = clients["staff"].get(_api()).json()
    expected = dataclasses.asdict(figures)
    expected["adoption_rate"] = figures.adoption_rate
    assert answer == expected
    assert (answer["adopted"], answer["filed"], answer["adoption_rate"]) == (2, 3, 66.7)


def test_only_those_who_see_the_page_get_the_figures_and_nothing_changes(
    world: World, clients: dict[str, Client]
) -> None:
    world.adopted()
    allowed = [name for name, client in clients.items() if _page(client).status_code == 200]
    assert "staff" in allowed and "member" not in allowed
    run_permission_matrix(
        clients=clients,
        method="get",
        url=_api(),
        expectations=refused_except({name: Expect(200) for name in allowed}, anonymous=401),
        snapshot=snapshot_rows(OpinionReport),
    )


def test_another_council_s_figures_are_not_found(world: World, clients: dict[str, Client]) -> None:
    assert clients["staff"].get(_api("othercity")).status_code == 404


def test_the_number_of_queries_does_not_grow_with_reports(
    world: World, clients: dict[str, Client], django_assert_num_queries: Any
) -> None:
    world.adopted()
    client = clients["staff"]
    client.get(_api())
    for _ in range(3):
        world.adopted()
    with django_assert_num_queries(13):
        assert client.get(_api()).status_code == 200
