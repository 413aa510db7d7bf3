"""The liaison world on top of the shared cast (see the root conftest.py).

In the city: leader (主席) visits member (李委员, who keeps two constituents);
a second leader (副主席) exists; the liaison answers for the unit concerns
are assigned to; oversight for the party-committee office. In the other
city: a seated member and a unit with its own liaison (other_liaison), who
must never see the city's concerns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from conftest import AppWorld, Cast
from xieshang.accounts.models import User
from xieshang.councils.models import HandlingUnit, Member, OversightOffice, Role
from xieshang.councils.tests.factories import (
    CouncilRoleFactory,
    HandlingUnitFactory,
    MemberFactory,
    UserFactory,
)
from xieshang.liaison.actions import ConcernData, record_visit
from xieshang.liaison.models import Concern, Constituent, LiaisonVisit
from xieshang.liaison.tests.factories import ConstituentFactory

TODAY = dt.date(2026, 6, 15)  # a Monday


@dataclass
class World(AppWorld):
    cast: Cast
    vice_chair: User
    unit: HandlingUnit
    office: OversightOffice
    constituents: list[Constituent]
    other_member: Member
    other_unit: HandlingUnit
    other_liaison: User

    def concern_data(self, **changes: object) -> ConcernData:
        values: dict[str, object] = {
            "title": "小区门口道路积水严重",
            "description": "每逢大雨，小区门口积水没过脚踝，居民出行困难。",
            "handling_unit": self.unit,
            "due_on": TODAY + dt.timedelta(days=30),
        }
        values.update(changes)
        return ConcernData(**values)  # type: ignore[arg-type]

    def visit(self, *, concerns: int = 1, **changes: object) -> LiaisonVisit:
        return record_visit(
            actor=self.actor("leader"),
            member=self.cast.member_record,
            visited_on=TODAY,
            leaders=[self.cast.leader],
            constituents=self.constituents,
            discussion="了解社区居民关于排水和停车的意见。",
            concerns=[self.concern_data(**changes) for _ in range(concerns)],
            today=TODAY,
        )

    def concern(self, **changes: object) -> Concern:
        return Concern.objects.get(visit=self.visit(**changes))


@pytest.fixture
def world(cast: Cast) -> World:
    vice_chair = UserFactory(username="vice_chair", full_name="王副主席")
    CouncilRoleFactory(user=vice_chair, council=cast.city, role=Role.LEADER, title="副主席")
    unit = HandlingUnit.objects.get(council=cast.city)
    office = OversightOffice.objects.get(council=cast.city)
    constituents = [
        ConstituentFactory(council=cast.city, member=cast.member_record, name="张大爷"),
        ConstituentFactory(
            council=cast.city, member=cast.member_record, name="城东社区居委会", kind="organisation"
        ),
    ]
    other_member = MemberFactory(council=cast.other_city, full_name="外市委员")
    other_unit = HandlingUnitFactory(council=cast.other_city)
    other_liaison = UserFactory(username="other_liaison")
    CouncilRoleFactory(
        user=other_liaison, council=cast.other_city, role=Role.UNIT_LIAISON, handling_unit=other_unit
    )
    return World(cast, vice_chair, unit, office, constituents, other_member, other_unit, other_liaison)
