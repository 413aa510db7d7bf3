"""Platform administration: the council tree and each council's administrators.

Only the platform administrator (platform) acts here; every other logged-in
persona gets 403 (recorded as a denial), anonymous visitors the login page.
"""

from __future__ import annotations

import pytest
from django.apps import apps

from xieshang.accounts.models import User
from xieshang.core.models import AuditEntry, Event, TenantModel
from xieshang.core.testing import Expect, run_permission_matrix
from xieshang.councils.models import Council, CouncilRole, Level, Role
from xieshang.councils.tests.expectations import in_english
from xieshang.councils.tests.factories import CouncilFactory, UserFactory

pytestmark = pytest.mark.django_db

TREE = "/platform/councils/"
NEW = "/platform/councils/new/"
LOGGED_IN = ("admin", "staff", "leader", "member", "liaison", "oversight", "upper", "outsider")


def platform_only(status: int = 302) -> dict[str, Expect]:
    out = {name: Expect(403) for name in LOGGED_IN}
    out.update(platform=Expect(status, changes=True), anonymous=Expect(302))
    return out


def tree() -> list[tuple]:
    return list(
        Council.objects.order_by("slug").values_list("slug", "name", "level", "parent__slug", "is_active")
    )


def test_council_tree_is_for_the_platform_administrator_only(clients):
    expectations = {name: Expect(e.status) for name, e in platform_only(200).items()}
    run_permission_matrix(clients=clients, method="get", url=TREE, expectations=expectations, snapshot=tree)
    assert AuditEntry.objects.filter(action="permission_denied", username="admin").exists()


def test_council_tree_shows_province_cities_and_counties_in_constant_queries(
    clients, cast, django_assert_num_queries
):
    clients["platform"].get(TREE)  # the first request after logging in records the activity (a session write)
    with django_assert_num_queries(7):
        response = clients["platform"].get(TREE)
    (province,) = response.context["roots"]
    assert province == cast.province
    cities = list(province.children.all())
    assert [c.slug for c in cities] == ["othercity", "city"]  # by name: 另一市政协, 某某市政协
    assert [c.slug for c in cities[1].children.all()] == ["county"]
    for i in range(5):
        city = CouncilFactory(slug=f"c{i}", name=f"新市{i}", level=Level.CITY, parent=cast.province)
        CouncilFactory(slug=f"k{i}", name=f"新县{i}", level=Level.COUNTY, parent=city)
    with django_assert_num_queries(7):
        assert clients["platform"].get(TREE).status_code == 200


def remove_hangzhou() -> None:
    # Every row the new council got, from whichever app gives new councils rows.
    for model in apps.get_models():
        if issubclass(model, TenantModel):
            model._default_manager.filter(council__slug="hangzhou").delete()
    Council.objects.filter(slug="hangzhou").delete()


def test_creating_a_city_council_is_for_the_platform_administrator_only_and_recorded(clients, cast):
    data = {"slug": "hangzhou", "name": "杭州市政协", "level": "city", "parent": str(cast.province.pk)}
    run_permission_matrix(
        clients=clients,
        method="post",
        url=NEW,
        data=data,
        expectations=platform_only(),
        snapshot=tree,
        reset=remove_hangzhou,
    )
    clients["platform"].post(NEW, data)
    council = Council.objects.get(slug="hangzhou")
    assert (council.level, council.parent) == (Level.CITY, cast.province)
    assert Event.objects.filter(type="council.created", council=council).exists()
    assert AuditEntry.objects.filter(
        action="council.create", council_slug="hangzhou", username="platform"
    ).exists()


@pytest.mark.parametrize(
    ("level", "parent", "field"),
    [
        ("province", "province", "parent"),
        ("city", None, "parent"),
        ("city", "city", "parent"),
        ("county", "province", "parent"),
        ("county", None, "parent"),
        ("county", "county", "parent"),
    ],
)
def test_a_council_must_sit_under_the_level_above_it(clients, cast, level, parent, field):
    parent_id = str(getattr(cast, parent).pk) if parent else ""
    data = {"slug": "newone", "name": "新政协", "level": level, "parent": parent_id}
    before = tree()
    response = clients["platform"].post(NEW, data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert tree() == before


@pytest.mark.parametrize(
    ("slug", "name"),
    [
        ("HangZhou", "杭州市政协"),  # upper case
        ("hang zhou", "杭州市政协"),  # space
        ("city", "杭州市政协"),  # taken
        ("hangzhou", "某某市政协"),  # name taken
    ],
)
def test_slug_must_be_lower_case_and_unique_and_names_unique(clients, cast, slug, name):
    data = {"slug": slug, "name": name, "level": "city", "parent": str(cast.province.pk)}
    before = tree()
    response = clients["platform"].post(NEW, data)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert tree() == before


def test_a_new_province_has_no_parent(clients):
    assert (
        clients["platform"].post(NEW, {"slug": "zj", "name": "浙江省政协", "level": "province"}).status_code
        == 302
    )
    assert Council.objects.get(slug="zj").parent is None


def test_editing_a_council_renames_it_and_checks_the_tree(clients, cast):
    url = f"/platform/councils/{cast.county.pk}/edit/"
    data = {"name": "某某区政协", "level": "county", "parent": str(cast.other_city.pk)}
    run_permission_matrix(
        clients=clients,
        method="post",
        url=url,
        data=data,
        expectations=platform_only(),
        snapshot=tree,
        reset=lambda: Council.objects.filter(pk=cast.county.pk).update(name="某某县政协", parent=cast.city),
    )
    clients["platform"].post(url, data)
    county = Council.objects.get(pk=cast.county.pk)
    assert (county.name, county.parent, county.slug) == ("某某区政协", cast.other_city, "county")
    assert AuditEntry.objects.filter(action="council.update", council_slug="county").count() == 2


def test_a_council_with_lower_councils_keeps_its_level(clients, cast):
    url = f"/platform/councils/{cast.city.pk}/edit/"
    data = {"name": "某某市政协", "level": "county", "parent": str(cast.other_city.pk)}
    response = clients["platform"].post(url, data)
    assert response.status_code == 400
    assert response.context["form"].errors["level"]
    assert Council.objects.get(pk=cast.city.pk).level == Level.CITY


def test_deactivating_a_council_closes_its_pages_and_is_reversible(clients, cast):
    url = f"/platform/councils/{cast.county.pk}/active/"
    run_permission_matrix(
        clients=clients,
        method="post",
        url=url,
        data={"is_active": "0"},
        expectations=platform_only(),
        snapshot=tree,
        reset=lambda: Council.objects.filter(pk=cast.county.pk).update(is_active=True),
    )
    clients["platform"].post(url, {"is_active": "0"})
    assert clients["platform"].get("/c/county/").status_code == 404
    assert AuditEntry.objects.filter(action="council.deactivate", council_slug="county").exists()
    clients["platform"].post(url, {"is_active": "1"})
    assert clients["platform"].get("/c/county/").status_code == 200


def test_a_council_with_open_lower_councils_cannot_be_deactivated(clients, cast):
    response = in_english(clients["platform"]).post(
        f"/platform/councils/{cast.city.pk}/active/", {"is_active": "0"}
    )
    assert response.status_code == 409
    assert "lower councils first" in response.content.decode()
    assert Council.objects.get(pk=cast.city.pk).is_active


def test_appointing_an_existing_user_as_administrator(clients, cast):
    person = UserFactory(username="zhou", mobile="13600001111")
    url = f"/platform/councils/{cast.county.pk}/admins/appoint/"
    run_permission_matrix(
        clients=clients,
        method="post",
        url=url,
        data={"login": "13600001111"},
        expectations=platform_only(),
        snapshot=lambda: list(CouncilRole.objects.values_list("council__slug", "user__username", "role")),
        reset=lambda: CouncilRole.objects.filter(user=person).delete(),
    )
    clients["platform"].post(url, {"login": "zhou"})
    row = CouncilRole.objects.get(user=person)
    assert (row.council, row.role) == (cast.county, Role.COUNCIL_ADMIN)
    assert AuditEntry.objects.filter(action="role.grant", council_slug="county", username="platform").exists()
    # The new administrator can open the council's structure pages.
    from django.test import Client

    client = Client()
    client.force_login(person, backend="xieshang.accounts.backends.UsernameOrMobileBackend")
    assert client.get("/c/county/admin/").status_code == 200


def test_creating_an_administrator_account_shows_the_password_once(clients, cast):
    url = f"/platform/councils/{cast.county.pk}/admins/new/"
    data = {"username": "county.admin", "full_name": "县管理员"}
    run_permission_matrix(
        clients=clients,
        method="post",
        url=url,
        data=data,
        expectations=platform_only(200),
        snapshot=lambda: User.objects.count(),
        reset=lambda: User.objects.filter(username="county.admin").delete(),
    )
    response = clients["platform"].post(url, data)
    assert response["Cache-Control"] == "no-store"
    user = User.objects.get(username="county.admin")
    assert user.check_password(response.context["password"])
    assert user.must_change_password
    assert CouncilRole.objects.get(user=user).council == cast.county
    detail = clients["platform"].get(f"/platform/councils/{cast.county.pk}/")
    assert "县管理员" in detail.content.decode()
    assert response.context["password"] not in detail.content.decode()


def test_an_unknown_council_id_is_not_found(clients):
    assert clients["platform"].get("/platform/councils/999999/").status_code == 404
    assert (
        clients["platform"].post("/platform/councils/999999/admins/appoint/", {"login": "admin"}).status_code
        == 404
    )
