"""The consultations' year-end report over the API: the page's figures, from
the same function, for whom the page shows them, in a fixed number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from xieshang.consultations.actions import outcomes as actions
from xieshang.consultations.models import Outcome
from xieshang.consultations.tests.conftest import World
from xieshang.consultations.tests.test_outcomes import instruct, sent
from xieshang.core.testing import Expect, refused_except, run_permission_matrix, snapshot_rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def _api(council: str = "city") -> str:
    return f"/api/v1/c/{council}/consultation-outcomes/year-report?year=2026"


def _page(client: Client) -> Any:
    return client.get(reverse("consultations:year_report", kwargs={"council_slug": "city", "year": 2026}))


def test_the_answer_is_the_year_end_page_s_figures(world: World, clients: dict[str, Client]) -> None:
    first = sent(world)
    instruct(world, first)
    actions.record_adoption(first, adoption="adopted", note="", actor=world.actor("oversight"))
    sent(world)
    report = _page(clients["staff"]).context["report"]
    answer = clients["staff"].get(_api()).json()
    counts = ("held", "planned", "outcome_count", "instructed", "converted", "in_progress", "not_adopted")
    assert {name: answer[name] for name in counts} == {name: getattr(report, name) for name in counts}
    assert (answer["converted"], answer["outcome_count"], answer["conversion_rate"]) == (1, 2, 50.0)
    assert [(r["consultation_id"], [o["id"] for o in r["outcomes"]]) for r in answer["consultations"]] == [
        (r.consultation.pk, [o.pk for o in r.outcomes]) for r in report.rows
    ]


def test_only_those_who_see_the_page_get_the_figures_and_nothing_changes(
    world: World, clients: dict[str, Client]
) -> None:
    sent(world)
    allowed = [name for name, client in clients.items() if _page(client).status_code == 200]
    assert "staff" in allowed
    run_permission_matrix(
        clients=clients,
        method="get",
        url=_api(),
        expectations=refused_except({name: Expect(200) for name in allowed}, anonymous=401),
        snapshot=snapshot_rows(Outcome),
    )


def test_another_council_s_report_is_not_found(world: World, clients: dict[str, Client]) -> None:
    assert clients["staff"].get(_api("othercity")).status_code == 404


def test_the_number_of_queries_does_not_grow_with_outcomes(
    world: World, clients: dict[str, Client], django_assert_num_queries: Any
) -> None:
    sent(world)
    client = clients["staff"]
    client.get(_api())
    for _ in range(3):
        sent(world)
    with django_assert_num_queries(9):
        assert client.get(_api()).status_code == 200
