"""The demo data: complete, valid, repeatable, and every demo login works."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import translation

from xieshang.accounts.models import User
from xieshang.core.models import AuditEntry, Event, Notification
from xieshang.councils.demo.builder import DEMO_LOGINS, DemoBuilder
from xieshang.councils.demo.people import id_check_character, make_id_number
from xieshang.councils.demo.tables import DEMO_CITY, DEMO_PASSWORD, SECTORS
from xieshang.councils.forms.members import normalize_id_number, normalize_mobile
from xieshang.councils.models import (
    Council,
    CouncilRole,
    HandlingUnit,
    Member,
    MemberGroup,
    Role,
    Sector,
    Session,
    SpecialCommittee,
    Term,
)

pytestmark = pytest.mark.django_db

COUNTED = (User, Council, Term, Session, Sector, SpecialCommittee, MemberGroup, HandlingUnit, Member)


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo, seeded once for the tests of this module that only read it
    (each test still runs in its own savepoint), and rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def _counts() -> dict[str, int]:
    rows = {model.__name__: model.objects.count() for model in COUNTED}
    rows["roles"] = CouncilRole.objects.count()
    rows["events"] = Event.objects.count()
    rows["audit"] = AuditEntry.objects.count()
    rows["messages"] = Notification.objects.count()
    return rows


def test_id_check_character_matches_a_published_example() -> None:
    # The worked example of GB 11643-1999, appendix: 11010519491231002X.
    assert id_check_character("11010519491231002") == "X"


def test_made_id_numbers_carry_birth_date_and_gender() -> None:
    number = make_id_number(address_code="339902", birth_date=dt.date(1970, 3, 9), sequence=7, is_male=True)
    assert number[6:14] == "19700309"
    assert int(number[16]) % 2 == 1
    assert number[17] == id_check_character(number[:17])


def test_seed_demo_twice_creates_nothing_new(seeded: None) -> None:
    first = _counts()
    out = StringIO()
    with translation.override("en"):  # the wording is checked in English
        call_command("seed_demo", stdout=out)
    assert _counts() == first
    assert "nothing created" in out.getvalue()


def test_the_same_seed_draws_the_same_people_and_another_seed_does_not() -> None:
    def names(seed: int) -> list[str]:
        plans = DemoBuilder(seed).plan_seats(DEMO_CITY, SECTORS)
        return [plan.person.id_number + plan.person.full_name for plan in plans]

    assert names(1) == names(1)
    assert names(1) != names(2)


def test_demo_city_is_complete_and_its_members_valid(seeded: None) -> None:
    city = Council.objects.get(slug="demo-city")
    assert city.parent is not None and city.parent.slug == "province"
    assert Council.objects.filter(level="county").count() == 3
    assert Council.objects.filter(level="county", parent=city).count() == 2
    term = Term.objects.get(council=city, is_current=True)
    assert term.number == 14
    sessions = Session.objects.filter(term=term).order_by("number")
    assert [(s.number, s.year, s.opens_on.month) for s in sessions] == [
        (1, 2023, 1),
        (2, 2024, 1),
        (3, 2025, 1),
        (4, 2026, 1),
    ]
    assert Sector.objects.filter(council=city).count() >= 20
    assert SpecialCommittee.objects.filter(council=city).count() == 6
    units = HandlingUnit.objects.filter(council=city)
    assert units.count() >= 19
    for unit in units:
        assert CouncilRole.objects.filter(role=Role.UNIT_LIAISON, handling_unit=unit).exists(), unit

    members = list(Member.objects.filter(council=city, term=term))
    assert 280 <= len(members) <= 320
    assert len({m.mobile for m in members}) == len(members)
    standing = sum(m.is_standing_committee_member for m in members)
    assert 0.05 * len(members) <= standing <= 0.15 * len(members)
    for member in members:
        number = member.id_number
        assert len(number) == 18
        assert number[17] == id_check_character(number[:17]), member
        assert number[6:14] == f"{member.birth_date:%Y%m%d}", member
        assert (int(number[16]) % 2 == 1) == (member.gender == "male"), member
        assert member.sector_id and member.affiliation_id and member.employer_title
        # The member form would accept them as they are.
        assert normalize_id_number(number) == number
        assert normalize_mobile(member.mobile) == member.mobile


def test_every_demo_account_logs_in_on_the_login_form_with_the_demo_password(seeded: None) -> None:
    for login in DEMO_LOGINS:
        user = User.objects.get(username=login.username)
        validate_password(DEMO_PASSWORD, user=user)
        client = Client()
        response = client.post("/accounts/login/", {"username": login.username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, login.username
        assert client.get("/")["Location"].startswith("/c/"), login.username


def test_every_role_has_a_demo_account_and_the_demo_member_has_messages(seeded: None) -> None:
    roles = set(CouncilRole.objects.filter(council__slug="demo-city").values_list("role", flat=True))
    assert roles == set(Role.values)
    assert User.objects.filter(is_superuser=True, username="platform").exists()
    member = User.objects.get(username="member")
    assert Notification.objects.filter(recipient=member, read_at__isnull=True).count() >= 2
    assert set(member.council_roles.values_list("council__slug", flat=True)) == {"demo-city", "province"}


def test_demo_logins_prints_each_account_with_the_password(seeded: None) -> None:
    out = StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    for login in DEMO_LOGINS:
        assert login.username in text
    assert DEMO_PASSWORD in text
