"""The consultations world on top of the shared cast (see the root conftest.py).

In the city council: the party-committee office (the cast's oversight user
works there) and a government office with its own user, gov; colleague is a
second seated member with a login. In the other city: its own
party-committee office and user, far_oversight, who must never reach the
city's plans or outcomes. The clock in most tests stands at 1 September 2026.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import time_machine
from django.utils import timezone

from conftest import AppWorld, Cast
from xieshang.accounts.models import User
from xieshang.councils.models import Member, OversightOffice, Role
from xieshang.councils.tests.factories import (
    CouncilRoleFactory,
    MemberFactory,
    OversightOfficeFactory,
    UserFactory,
)

NOW = timezone.make_aware(dt.datetime(2026, 9, 1, 10, 0))


@dataclass
class World(AppWorld):
    cast: Cast
    party_office: OversightOffice
    gov_office: OversightOffice
    gov: User
    colleague: User
    colleague_record: Member
    far_office: OversightOffice
    far_oversight: User


@pytest.fixture
def world(cast: Cast) -> World:
    party_office = OversightOffice.objects.get(council=cast.city)
    gov_office = OversightOfficeFactory(council=cast.city, name="市政府办公室", kind="government")
    gov = UserFactory(username="gov")
    CouncilRoleFactory(user=gov, council=cast.city, role=Role.OVERSIGHT, oversight_office=gov_office)
    colleague = UserFactory(username="colleague", full_name="王委员")
    CouncilRoleFactory(user=colleague, council=cast.city, role=Role.MEMBER)
    colleague_record = MemberFactory(council=cast.city, term=cast.term, user=colleague, full_name="王委员")
    far_office = OversightOfficeFactory(council=cast.other_city, name="另一市委办公室")
    far_oversight = UserFactory(username="far_oversight")
    CouncilRoleFactory(
        user=far_oversight, council=cast.other_city, role=Role.OVERSIGHT, oversight_office=far_office
    )
    return World(cast, party_office, gov_office, gov, colleague, colleague_record, far_office, far_oversight)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    """Stand the clock at NOW (1 September 2026, 10:00 in the city)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
