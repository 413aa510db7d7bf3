"""The people of handling units (liaisons) and oversight offices (their users):
link an existing account, or create one whose temporary password is shown
once; remove them again.

Adding and removing people is a role change: admin and the platform
administrator only (see expectations.py).
"""

from __future__ import annotations

import pytest

from xieshang.accounts.models import User
from xieshang.core.models import AuditEntry, Event
from xieshang.core.testing import run_permission_matrix
from xieshang.councils.models import CouncilRole, HandlingUnit, OversightOffice, Role
from xieshang.councils.tests.expectations import admin_only, admin_only_page, in_english
from xieshang.councils.tests.factories import (
    CouncilRoleFactory,
    HandlingUnitFactory,
    OversightOfficeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def roles_in(council) -> list[tuple]:
    return sorted(
        CouncilRole.objects.filter(council=council).values_list(
            "user__username", "role", "handling_unit_id", "oversight_office_id"
        )
    )


@pytest.fixture
def unit(cast) -> HandlingUnit:
    return HandlingUnitFactory(council=cast.city, name="市住建局")


def test_people_page_is_for_administrators_only(clients, unit):
    run_permission_matrix(
        clients=clients,
        method="get",
        url=f"/c/city/admin/bodies/units/{unit.pk}/people/",
        expectations=admin_only_page(),
        snapshot=lambda: 0,
    )


def test_sectors_have_no_people_page(clients, cast):
    from xieshang.councils.tests.factories import SectorFactory

    sector = SectorFactory(council=cast.city)
    assert clients["admin"].get(f"/c/city/admin/bodies/sectors/{sector.pk}/people/").status_code == 404


def test_linking_an_existing_user_makes_them_the_units_liaison(clients, cast, unit):
    person = UserFactory(username="zhang", mobile="13812345678")
    run_permission_matrix(
        clients=clients,
        method="post",
        url=f"/c/city/admin/bodies/units/{unit.pk}/people/link/",
        data={"login": "13812345678"},
        expectations=admin_only(),
        snapshot=lambda: roles_in(cast.city),
        reset=lambda: CouncilRole.objects.filter(user=person).delete(),
    )
    clients["admin"].post(f"/c/city/admin/bodies/units/{unit.pk}/people/link/", {"login": "zhang"})
    row = CouncilRole.objects.get(user=person)
    assert (row.council, row.role, row.handling_unit) == (cast.city, Role.UNIT_LIAISON, unit)
    assert Event.objects.filter(type="role.granted", object_id=row.pk, council=cast.city).exists()
    assert AuditEntry.objects.filter(action="role.grant", object_id=str(row.pk), username="admin").exists()


def test_linking_an_unknown_login_or_the_same_person_twice_says_why(clients, cast, unit):
    url = f"/c/city/admin/bodies/units/{unit.pk}/people/link/"
    in_english(clients["admin"])
    response = clients["admin"].post(url, {"login": "nobody"})
    assert response.status_code == 400
    assert response.context["link_form"].errors["login"]
    UserFactory(username="zhang")
    assert clients["admin"].post(url, {"login": "zhang"}).status_code == 302
    before = roles_in(cast.city)
    response = clients["admin"].post(url, {"login": "zhang"})
    assert response.status_code == 400
    assert "already holds" in str(response.context["link_form"].non_field_errors())
    assert roles_in(cast.city) == before


def test_a_new_liaison_account_shows_its_temporary_password_once(clients, cast, unit):
    data = {"username": "wang.liaison", "full_name": "王联络", "mobile": "13900001111"}
    run_permission_matrix(
        clients=clients,
        method="post",
        url=f"/c/city/admin/bodies/units/{unit.pk}/people/new/",
        data=data,
        expectations=admin_only(200),
        snapshot=lambda: (roles_in(cast.city), User.objects.count()),
        reset=lambda: User.objects.filter(username="wang.liaison").delete(),
    )
    response = clients["admin"].post(f"/c/city/admin/bodies/units/{unit.pk}/people/new/", data)
    assert response["Cache-Control"] == "no-store"
    password = response.context["password"]
    assert password in response.content.decode()
    user = User.objects.get(username="wang.liaison")
    assert user.check_password(password)
    assert user.must_change_password
    assert user.full_name == "王联络"
    assert user.mobile == "13900001111"
    assert CouncilRole.objects.get(user=user).handling_unit == unit
    assert AuditEntry.objects.filter(action="account.create", data__username="wang.liaison").exists()
    # The people page afterwards lists the person but never the password.
    page = clients["admin"].get(f"/c/city/admin/bodies/units/{unit.pk}/people/")
    assert "王联络" in page.content.decode()
    assert password not in page.content.decode()


def test_a_taken_username_or_mobile_creates_nothing(clients, cast, unit):
    UserFactory(username="taken", mobile="13900002222")
    url = f"/c/city/admin/bodies/units/{unit.pk}/people/new/"
    before = (roles_in(cast.city), User.objects.count())
    response = clients["admin"].post(url, {"username": "taken", "full_name": "甲"})
    assert response.status_code == 400
    assert response.context["account_form"].errors["username"]
    response = clients["admin"].post(url, {"username": "fresh", "full_name": "乙", "mobile": "13900002222"})
    assert response.status_code == 400
    assert response.context["account_form"].errors["mobile"]
    assert (roles_in(cast.city), User.objects.count()) == before


def test_an_office_user_is_linked_with_the_oversight_role(clients, cast):
    office = OversightOfficeFactory(council=cast.city, name="市政府办公室")
    person = UserFactory(username="gov")
    url = f"/c/city/admin/bodies/offices/{office.pk}/people/link/"
    assert clients["admin"].post(url, {"login": "gov"}).status_code == 302
    row = CouncilRole.objects.get(user=person)
    assert (row.role, row.oversight_office, row.handling_unit) == (Role.OVERSIGHT, office, None)
    page = clients["admin"].get(f"/c/city/admin/bodies/offices/{office.pk}/people/")
    assert [r.user for r in page.context["people"]] == [person]


def test_removing_a_liaison_is_for_administrators_only_and_keeps_the_account(clients, cast):
    row = cast.liaison.council_roles.get()
    unit = row.handling_unit

    def reset():
        CouncilRoleFactory(user=cast.liaison, council=cast.city, role=Role.UNIT_LIAISON, handling_unit=unit)

    run_permission_matrix(
        clients=clients,
        method="post",
        url=lambda: (
            f"/c/city/admin/bodies/units/{unit.pk}/people/{cast.liaison.council_roles.get().pk}/remove/"
        ),
        expectations=admin_only(),
        snapshot=lambda: roles_in(cast.city),
        reset=reset,
    )
    assert User.objects.filter(pk=cast.liaison.pk).exists()
    assert AuditEntry.objects.filter(action="role.revoke", data__user="liaison").count() == 2


def test_a_role_of_another_unit_cannot_be_removed_through_this_unit(clients, cast, unit):
    other_row = cast.liaison.council_roles.get()
    url = f"/c/city/admin/bodies/units/{unit.pk}/people/{other_row.pk}/remove/"
    assert clients["admin"].post(url).status_code == 404
    assert CouncilRole.objects.filter(pk=other_row.pk).exists()


def test_people_of_another_councils_unit_cannot_be_added_or_removed(clients, cast):
    foreign_unit = HandlingUnitFactory(council=cast.other_city)
    foreign_row = CouncilRoleFactory(
        council=cast.other_city, role=Role.UNIT_LIAISON, handling_unit=foreign_unit
    )
    UserFactory(username="zhang")
    before = (roles_in(cast.other_city), roles_in(cast.city))
    base = f"/c/city/admin/bodies/units/{foreign_unit.pk}/people/"
    assert clients["admin"].post(base + "link/", {"login": "zhang"}).status_code == 404
    assert clients["admin"].post(base + "new/", {"username": "x1", "full_name": "x"}).status_code == 404
    assert clients["admin"].post(base + f"{foreign_row.pk}/remove/").status_code == 404
    assert clients["admin"].post(f"/c/city/admin/roles/{foreign_row.pk}/revoke/").status_code == 404
    assert (roles_in(cast.other_city), roles_in(cast.city)) == before
    assert not User.objects.filter(username="x1").exists()


def test_offices_of_another_council_are_not_offered_when_granting_roles(clients, cast):
    OversightOfficeFactory(council=cast.other_city, name="另一市委办")
    form = clients["admin"].get("/c/city/admin/roles/").context["form"]
    offered = [o.name for o in form.fields["oversight_office"].queryset]
    assert "另一市委办" not in offered
    assert OversightOffice.objects.filter(council=cast.city).count() == len(offered)
