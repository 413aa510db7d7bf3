"""Ids in a request name this council's rows only: another council's user
is refused exactly like an id that does not exist, and nothing changes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from xieshang.councils.models import Role
from xieshang.councils.tests.factories import CouncilRoleFactory, UserFactory
from xieshang.proposals.actions.review import mark_key
from xieshang.proposals.models import Proposal
from xieshang.proposals.tests.conftest import World

pytestmark = pytest.mark.django_db
BASE = "/api/v1/c/city/proposals"
MISSING = 10**9


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


def test_another_councils_leader_is_no_supervising_leader_here(
    world: World, clients: dict[str, Client]
) -> None:
    proposal = mark_key(
        world.accepted(), actor=world.actor("staff"), is_key=True, supervising_leader=world.cast.leader
    )
    chair_elsewhere = UserFactory(username="chair-elsewhere")
    CouncilRoleFactory(user=chair_elsewhere, council=world.cast.other_city, role=Role.LEADER)
    url = f"{BASE}/{proposal.pk}/marks"
    foreign = post(clients["staff"], url, {"is_key": True, "supervising_leader_id": chair_elsewhere.pk})
    unknown = post(clients["staff"], url, {"is_key": True, "supervising_leader_id": MISSING})
    assert foreign.status_code == unknown.status_code == 400
    assert foreign.json() == unknown.json()
    # Not even to unmark: a request naming another council's user is refused whole.
    unmark = post(clients["staff"], url, {"is_key": False, "supervising_leader_id": chair_elsewhere.pk})
    assert unmark.status_code == 400
    after = Proposal.objects.get(pk=proposal.pk)
    assert (after.is_key, after.supervising_leader, after.version) == (
        True,
        world.cast.leader,
        proposal.version,
    )
