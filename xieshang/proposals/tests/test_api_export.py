"""The whole proposal list in one request (JSON Lines): the same rows, order
and permissions as the paged list, and a query count that does not grow
with the rows."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from xieshang.core.testing import assert_nothing_changed
from xieshang.proposals.states import ProposalStatus
from xieshang.proposals.tests.conftest import World
from xieshang.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/c/city/proposals"
EXPORT = f"{BASE}/export.jsonl"


def exported(client: Client, query: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    response = client.get(EXPORT, query or {})
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/x-ndjson")
    return [json.loads(line) for line in b"".join(response.streaming_content).decode().splitlines()]


def paged(client: Client, query: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    page, pages = 1, 1
    while page <= pages:
        answer = client.get(BASE, {**(query or {}), "page": page, "page_size": 3}).json()
        items += answer["items"]
        pages = answer["pages"]
        page += 1
    return items


def filed(world: World, count: int, **fields: Any) -> None:
    common = {"council": world.cast.city, "session": world.session, "category": world.category}
    for number in range(count):
        ProposalFactory(title=f"关于发展夜间经济的建议{number}", **{**common, **fields})


def test_staff_get_every_row_of_the_paged_list_in_order(world: World, clients: dict[str, Client]) -> None:
    filed(world, 7, status=ProposalStatus.SUBMITTED)
    filed(world, 2, status=ProposalStatus.ACCEPTED)
    assert len(paged(clients["staff"])) == 7
    assert exported(clients["staff"]) == paged(clients["staff"])
    accepted = {"status": ProposalStatus.ACCEPTED}
    assert exported(clients["staff"], accepted) == paged(clients["staff"], accepted)
    assert len(exported(clients["staff"], accepted)) == 2


def test_a_member_gets_only_their_own(world: World, clients: dict[str, Client]) -> None:
    filed(world, 4, status=ProposalStatus.SUBMITTED)
    filed(world, 2, status=ProposalStatus.SUBMITTED, lead_proposer=world.cast.member_record)
    mine = exported(clients["member"])
    assert mine == paged(clients["member"])
    assert len(mine) == 2


def test_outsiders_get_nothing_and_change_nothing(world: World, clients: dict[str, Client]) -> None:
    filed(world, 3, status=ProposalStatus.SUBMITTED)
    with assert_nothing_changed():
        assert clients["outsider"].get(EXPORT).status_code == 404
        assert clients["anonymous"].get(EXPORT).status_code == 401
        assert clients["staff"].get("/api/v1/c/othercity/proposals/export.jsonl").status_code == 404


def queries_for(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        exported(client)
    return len(queries)


def test_the_query_count_does_not_grow_with_the_rows(world: World, clients: dict[str, Client]) -> None:
    filed(world, 3, status=ProposalStatus.SUBMITTED)
    exported(clients["staff"])  # the session's first request records the activity
    few = queries_for(clients["staff"])
    filed(world, 30, status=ProposalStatus.SUBMITTED)
    assert len(exported(clients["staff"])) == 33
    assert queries_for(clients["staff"]) == few
