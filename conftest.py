"""The shared cast for every test (see docs/architecture.md, "Testing").

In the city council (slug "city", under the province "province"):
  admin     – council administrator: manages structure, members, settings
  staff     – office staff: manages members, no settings
  leader    – the chair: sees members and figures
  member    – a seated member with a login
  liaison   – the liaison of a handling unit
  oversight – a user of the party-committee office
Elsewhere:
  upper     – staff of the province council (sees the city's aggregates only)
  outsider  – staff of another city council (sees nothing of this city)
  platform  – the platform administrator
  anonymous – not logged in
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from xieshang.accounts.models import User
from xieshang.core.testing import PERSONAS
from xieshang.councils.models import Council, Level, Member, Role, Term
from xieshang.councils.roles import Actor
from xieshang.councils.tenancy import build_actor
from xieshang.councils.tests.factories import (
    CouncilFactory,
    CouncilRoleFactory,
    HandlingUnitFactory,
    MemberFactory,
    OversightOfficeFactory,
    TermFactory,
    UserFactory,
)


@dataclass
class Cast:
    province: Council
    city: Council
    county: Council
    other_city: Council
    term: Term
    admin: User
    staff: User
    leader: User
    member: User
    member_record: Member
    liaison: User
    oversight: User
    upper: User
    outsider: User
    platform: User

    def user(self, name: str) -> User | None:
        return None if name == "anonymous" else getattr(self, name)

    def actor(self, who: str | User, council: str | Council = "city") -> Actor:
        """who (a persona's name, or any user) acting in council (a council of
        the cast by name, or any council); fail if they hold no place there."""
        user = self.user(who) if isinstance(who, str) else who
        assert user is not None, "anonymous visitors never act"
        place = getattr(self, council) if isinstance(council, str) else council
        actor = build_actor(user, place)
        assert actor is not None, f"{user} holds no place in {place}"
        return actor


class AppWorld:
    """The base of each app's test world (its conftest.py): actor() knows the
    world's own users (its attributes holding a User, by attribute name) as
    well as the cast's personas."""

    cast: Cast

    def actor(self, who: str | User, council: str | Council = "city") -> Actor:
        own = getattr(self, who, None) if isinstance(who, str) else None
        return self.cast.actor(own if isinstance(own, User) else who, council)


@pytest.fixture
def cast(db: None) -> Cast:
    province = CouncilFactory(slug="province", name="某某省政协", level=Level.PROVINCE)
    city = CouncilFactory(slug="city", name="某某市政协", level=Level.CITY, parent=province)
    county = CouncilFactory(slug="county", name="某某县政协", level=Level.COUNTY, parent=city)
    other_city = CouncilFactory(slug="othercity", name="另一市政协", level=Level.CITY, parent=province)
    term = TermFactory(council=city)

    def person(username: str, council: Council, role: str, **extra: object) -> User:
        user = UserFactory(username=username, full_name=username.title())
        CouncilRoleFactory(user=user, council=council, role=role, **extra)
        return user

    member = person("member", city, Role.MEMBER)
    member_record = MemberFactory(council=city, term=term, user=member, full_name="李委员")
    return Cast(
        province=province,
        city=city,
        county=county,
        other_city=other_city,
        term=term,
        admin=person("admin", city, Role.COUNCIL_ADMIN),
        staff=person("staff", city, Role.STAFF),
        leader=person("leader", city, Role.LEADER, title="主席"),
        member=member,
        member_record=member_record,
        liaison=person("liaison", city, Role.UNIT_LIAISON, handling_unit=HandlingUnitFactory(council=city)),
        oversight=person(
            "oversight", city, Role.OVERSIGHT, oversight_office=OversightOfficeFactory(council=city)
        ),
        upper=person("upper", province, Role.STAFF),
        outsider=person("outsider", other_city, Role.STAFF),
        platform=UserFactory(username="platform", is_superuser=True, is_staff=True),
    )


@pytest.fixture
def clients(cast: Cast) -> dict[str, Client]:
    """A logged-in test client per persona (anonymous: not logged in)."""
    out: dict[str, Client] = {}
    for name in PERSONAS:
        client = Client()
        user = cast.user(name)
        if user is not None:
            client.force_login(user, backend="xieshang.accounts.backends.UsernameOrMobileBackend")
        out[name] = client
    return out
