"""The liaison statistics over the API: the page's figures, for whom the page
shows them, in a fixed number of queries."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from xieshang.core.testing import Expect, refused_except, run_permission_matrix, snapshot_rows
from xieshang.liaison.models import Concern, LiaisonVisit
from xieshang.liaison.tests.conftest import TODAY, World

pytestmark = pytest.mark.django_db
URL = "/api/v1/c/city/liaison/statistics?year=2026"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY):
        yield


def _as_dict(figures: Any) -> dict[str, Any]:
    answer = dataclasses.asdict(figures)
    answer["resolution_rate"] = figures.resolution_rate
    return answer


def test_the_answer_is_the_statistics_page_s_figures(world: World, clients: dict[str, Client]) -> None:
    world.visit(concerns=3)
    concern = Concern.objects.first()
    assert concern is not None
    clients["liaison"].post(
        reverse("liaison:concern_resolve", kwargs={"council_slug": "city", "pk": concern.pk}),
        {"resolution": "已解决。"},
    )
    page_url = reverse("liaison:statistics", kwargs={"council_slug": "city"})
    page = clients["leader"].get(page_url + "?year=2026")
    answer = clients["leader"].get(URL).json()
    assert answer == _as_dict(page.context["figures"])
    assert (answer["overall"]["concerns_resolved"], answer["overall"]["concerns_raised"]) == (1, 3)
    assert answer["resolution_rate"] == 33.3


def test_only_those_who_see_the_page_get_the_figures_and_nothing_changes(
    world: World, clients: dict[str, Client]
) -> None:
    world.visit(concerns=1)
    page = reverse("liaison:statistics", kwargs={"council_slug": "city"})
    allowed = [name for name, client in clients.items() if client.get(page).status_code == 200]
    assert "staff" in allowed and "member" not in allowed
    run_permission_matrix(
        clients=clients,
        method="get",
        url=URL,
        expectations=refused_except({name: Expect(200) for name in allowed}, anonymous=401),
        snapshot=snapshot_rows(LiaisonVisit, Concern),
    )


def test_another_council_s_figures_are_not_found(world: World, clients: dict[str, Client]) -> None:
    world.visit(concerns=1)
    assert clients["staff"].get("/api/v1/c/othercity/liaison/statistics").status_code == 404
    answer = clients["outsider"].get("/api/v1/c/othercity/liaison/statistics?year=2026")
    assert answer.status_code == 200 and answer.json()["overall"]["concerns_raised"] == 0


def test_the_number_of_queries_does_not_grow_with_visits(
    world: World, clients: dict[str, Client], django_assert_num_queries: Any
) -> None:
    world.visit(concerns=1)
    client = clients["staff"]
    client.get(URL)
    for _ in range(4):
        world.visit(concerns=2)
    with django_assert_num_queries(10):
        assert client.get(URL).status_code == 200
