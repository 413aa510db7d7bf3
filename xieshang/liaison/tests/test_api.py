"""The liaison API: the same permissions and tenant rules as the pages."""

from __future__ import annotations

import json
from typing import Any

import pytest
import time_machine
from django.test import Client

from xieshang.liaison.models import Concern, Constituent
from xieshang.liaison.tests.conftest import TODAY, World

pytestmark = pytest.mark.django_db
BASE = "/api/v1/c/city/liaison"


def post(client: Client, url: str, data: dict[str, object]) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY):
        yield


def test_visits_are_listed_for_staff_and_leaders_and_to_the_member_visited(
    world: World, clients: dict[str, Client]
) -> None:
    visit = world.visit(concerns=1)
    for name in ("staff", "leader", "member"):
        body = clients[name].get(f"{BASE}/visits?year=2026").json()
        assert [row["id"] for row in body["items"]] == [visit.pk], name
    assert clients["liaison"].get(f"{BASE}/visits").status_code == 403
    assert clients["outsider"].get(f"{BASE}/visits").status_code == 404
    detail = clients["leader"].get(f"{BASE}/visits/{visit.pk}").json()
    assert set(detail["constituents"]) == {"张大爷", "城东社区居委会"}


def test_the_unit_liaison_sees_and_resolves_its_concern_and_another_council_gets_404(
    world: World, clients: dict[str, Client]
) -> None:
    concern = world.concern()
    listed = clients["liaison"].get(f"{BASE}/concerns").json()
    assert [row["id"] for row in listed["items"]] == [concern.pk]
    assert clients["oversight"].get(f"{BASE}/concerns").json()["count"] == 0
    assert clients["oversight"].get(f"{BASE}/concerns/{concern.pk}").status_code == 404
    assert (
        post(clients["member"], f"{BASE}/concerns/{concern.pk}/resolve", {"resolution": "好"}).status_code
        == 403
    )
    other = Client()
    other.force_login(world.other_liaison, backend="xieshang.accounts.backends.UsernameOrMobileBackend")
    refused = post(
        other, f"/api/v1/c/othercity/liaison/concerns/{concern.pk}/resolve", {"resolution": "已解决"}
    )
    assert refused.status_code == 404
    assert Concern.objects.get(pk=concern.pk).status == "open"
    noted = post(clients["liaison"], f"{BASE}/concerns/{concern.pk}/notes", {"text": "已现场勘查。"})
    assert noted.status_code == 201 and noted.json()["status"] == "in_progress"
    done = post(clients["liaison"], f"{BASE}/concerns/{concern.pk}/resolve", {"resolution": "已完成改造。"})
    assert done.status_code == 200 and done.json()["status"] == "resolved"
    again = post(clients["liaison"], f"{BASE}/concerns/{concern.pk}/resolve", {"resolution": "再次"})
    assert again.status_code == 409


def test_a_member_keeps_constituents_over_the_api(world: World, clients: dict[str, Client]) -> None:
    created = post(
        clients["member"],
        f"{BASE}/constituents",
        {"name": "城南小学家长委员会", "kind": "organisation", "phone": "13912345678"},
    )
    assert created.status_code == 201 and created.json()["phone"] == "13912345678"
    assert clients["member"].get(f"{BASE}/constituents").json()["count"] == 3
    bad = post(clients["member"], f"{BASE}/constituents", {"name": "王某", "phone": "电话"})
    assert bad.status_code == 400 and "phone" in bad.json()["errors"]
    assert post(clients["staff"], f"{BASE}/constituents", {"name": "某人"}).status_code == 403
    assert Constituent.objects.count() == 3
