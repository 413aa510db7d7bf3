"""The council's roles page: who holds which role; grant by username or
mobile number; revoke. Permission MANAGE_ROLES: admin and the platform
administrator only. An administrator cannot give up the council's last
administrator role of their own."""

from __future__ import annotations

import pytest

from xieshang.core.models import AuditEntry, Event
from xieshang.core.testing import run_permission_matrix
from xieshang.councils.models import CouncilRole, Role
from xieshang.councils.tests.expectations import admin_only, admin_only_page, in_english
from xieshang.councils.tests.factories import CouncilRoleFactory, UserFactory

pytestmark = pytest.mark.django_db

GRANT = "/c/city/admin/roles/grant/"


def roles_in(council) -> list[tuple]:
    return sorted(CouncilRole.objects.filter(council=council).values_list("user__username", "role", "title"))


def test_roles_page_is_for_administrators_only(clients):
    run_permission_matrix(
        clients=clients,
        method="get",
        url="/c/city/admin/roles/",
        expectations=admin_only_page(),
        snapshot=lambda: 0,
    )


def test_roles_page_lists_every_holder_by_role_with_title_and_organisation(clients, cast):
    response = clients["admin"].get("/c/city/admin/roles/")
    groups = {g["role"]: [r.user.username for r in g["rows"]] for g in response.context["groups"]}
    assert groups == {
        Role.COUNCIL_ADMIN: ["admin"],
        Role.STAFF: ["staff"],
        Role.LEADER: ["leader"],
        Role.MEMBER: ["member"],
        Role.UNIT_LIAISON: ["liaison"],
        Role.OVERSIGHT: ["oversight"],
    }
    body = response.content.decode()
    assert "主席" in body
    assert cast.liaison.council_roles.get().handling_unit.name in body
    assert "upper" not in groups.values()


def test_roles_page_query_count_does_not_grow_with_holders(clients, cast, django_assert_num_queries):
    # 11: one of them asks which holders have failed logins (for the unlock button).
    clients["admin"].get(
        "/c/city/admin/roles/"
    )  # the first request after logging in records the activity (a session write)
    with django_assert_num_queries(11):
        assert clients["admin"].get("/c/city/admin/roles/").status_code == 200
    for i in range(20):
        CouncilRoleFactory(council=cast.city, role=Role.STAFF, user=UserFactory(username=f"extra{i}"))
    with django_assert_num_queries(11):
        assert clients["admin"].get("/c/city/admin/roles/").status_code == 200


def test_granting_a_leader_role_with_a_title_by_mobile_number(clients, cast):
    person = UserFactory(username="vice", mobile="13711112222")
    data = {"login": "13711112222", "role": Role.LEADER, "title": "副主席"}
    run_permission_matrix(
        clients=clients,
        method="post",
        url=GRANT,
        data=data,
        expectations=admin_only(),
        snapshot=lambda: roles_in(cast.city),
        reset=lambda: CouncilRole.objects.filter(user=person).delete(),
    )
    clients["admin"].post(GRANT, data)
    row = CouncilRole.objects.get(user=person)
    assert (row.council, row.role, row.title) == (cast.city, Role.LEADER, "副主席")
    assert Event.objects.filter(type="role.granted", object_id=row.pk).exists()
    assert AuditEntry.objects.filter(action="role.grant", data__title="副主席").exists()


def test_granted_roles_take_effect_on_the_next_request(clients, cast):
    assert clients["member"].get("/c/city/aggregates/").status_code == 403
    clients["admin"].post(GRANT, {"login": "member", "role": Role.STAFF})
    assert clients["member"].get("/c/city/aggregates/").status_code == 200


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"login": "nobody", "role": Role.STAFF}, "login"),
        ({"login": "member", "role": "emperor"}, "role"),
        ({"login": "member", "role": Role.UNIT_LIAISON}, "handling_unit"),
        ({"login": "member", "role": Role.OVERSIGHT}, "oversight_office"),
    ],
)
def test_an_incomplete_grant_is_refused_next_to_the_field(clients, cast, data, field):
    before = roles_in(cast.city)
    response = clients["admin"].post(GRANT, data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert roles_in(cast.city) == before


def test_a_role_held_already_is_not_granted_twice(clients, cast):
    before = roles_in(cast.city)
    response = in_english(clients["admin"]).post(GRANT, {"login": "staff", "role": Role.STAFF})
    assert response.status_code == 400
    assert "already holds" in str(response.context["form"].non_field_errors())
    assert roles_in(cast.city) == before


def test_revoking_a_role_is_for_administrators_only(clients, cast):
    def row_id() -> str:
        return f"/c/city/admin/roles/{CouncilRole.objects.get(user=cast.staff, council=cast.city).pk}/revoke/"

    run_permission_matrix(
        clients=clients,
        method="post",
        url=row_id,
        expectations=admin_only(),
        snapshot=lambda: roles_in(cast.city),
        reset=lambda: CouncilRoleFactory(council=cast.city, user=cast.staff, role=Role.STAFF),
    )
    assert Event.objects.filter(type="role.revoked", data__user="staff").count() == 2


def test_revoked_staff_lose_access_at_once(clients, cast):
    row = CouncilRole.objects.get(user=cast.staff, council=cast.city)
    assert clients["staff"].get("/c/city/").status_code == 200
    clients["admin"].post(f"/c/city/admin/roles/{row.pk}/revoke/")
    assert clients["staff"].get("/c/city/").status_code == 404


def test_the_only_administrator_cannot_revoke_their_own_role(clients, cast):
    row = CouncilRole.objects.get(user=cast.admin, role=Role.COUNCIL_ADMIN)
    response = in_english(clients["admin"]).post(f"/c/city/admin/roles/{row.pk}/revoke/")
    assert response.status_code == 409
    assert "only administrator" in response.content.decode()
    assert CouncilRole.objects.filter(pk=row.pk).exists()


def test_an_administrator_may_step_down_while_another_remains(clients, cast):
    CouncilRoleFactory(council=cast.city, role=Role.COUNCIL_ADMIN, user=UserFactory(username="admin2"))
    row = CouncilRole.objects.get(user=cast.admin, role=Role.COUNCIL_ADMIN)
    assert clients["admin"].post(f"/c/city/admin/roles/{row.pk}/revoke/").status_code == 302
    assert not CouncilRole.objects.filter(pk=row.pk).exists()


def test_the_platform_administrator_may_remove_a_councils_last_administrator(clients, cast):
    row = CouncilRole.objects.get(user=cast.admin, role=Role.COUNCIL_ADMIN)
    assert clients["platform"].post(f"/c/city/admin/roles/{row.pk}/revoke/").status_code == 302
    assert not CouncilRole.objects.filter(pk=row.pk).exists()
