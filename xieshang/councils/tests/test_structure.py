"""Council structure: the hub, terms and sessions, and the named bodies
(sectors, affiliations, committees, groups, units, offices).

Who may do what (cast from conftest.py): only admin and the platform
administrator manage the structure; the rest of the city gets 403, the other
city's staff (outsider) 404, anonymous visitors the login page.
"""

from __future__ import annotations

import datetime as dt

import pytest

from xieshang.core.models import AuditEntry, Event
from xieshang.core.testing import assert_same_not_found, run_permission_matrix
from xieshang.councils.models import (
    Affiliation,
    HandlingUnit,
    MemberGroup,
    OversightOffice,
    Sector,
    Session,
    SpecialCommittee,
    Term,
)
from xieshang.councils.tests.expectations import admin_only, admin_only_page, in_english
from xieshang.councils.tests.factories import (
    CouncilRoleFactory,
    HandlingUnitFactory,
    MemberFactory,
    SectorFactory,
    TermFactory,
)

pytestmark = pytest.mark.django_db


def terms_of(council) -> list[tuple]:
    return list(
        Term.objects.filter(council=council)
        .order_by("number")
        .values_list("number", "starts_on", "ends_on", "is_current")
    )


def sessions_of(council) -> list[tuple]:
    return list(
        Session.objects.filter(council=council)
        .order_by("term__number", "number")
        .values_list("term__number", "number", "year", "opens_on", "closes_on")
    )


# ---- hub ----------------------------------------------------------------------


def test_structure_hub_is_for_administrators_only(clients):
    run_permission_matrix(
        clients=clients,
        method="get",
        url="/c/city/admin/",
        expectations=admin_only_page(),
        snapshot=lambda: 0,
    )


def test_structure_hub_names_the_current_term_and_counts_active_bodies(clients, cast):
    SectorFactory(council=cast.city, name="经济界")
    SectorFactory(council=cast.city, name="教育界", is_active=False)
    SectorFactory(council=cast.other_city, name="农业界")
    response = clients["admin"].get("/c/city/admin/")
    cards = {card["kind"].slug: card["active"] for card in response.context["cards"]}
    assert cards["sectors"] == 1
    assert response.context["current_term"] == cast.term


# ---- terms --------------------------------------------------------------------


def test_term_create_is_for_administrators_only_and_recorded(clients, cast):
    data = {"number": "15", "starts_on": "2028-01-01", "ends_on": "2032-12-31"}
    run_permission_matrix(
        clients=clients,
        method="post",
        url="/c/city/admin/terms/new/",
        data=data,
        expectations=admin_only(),
        snapshot=lambda: terms_of(cast.city),
        reset=lambda: Term.objects.filter(council=cast.city, number=15).delete(),
    )
    clients["admin"].post("/c/city/admin/terms/new/", data)
    term = Term.objects.get(council=cast.city, number=15)
    assert not term.is_current  # the 14th stays current unless asked
    assert Event.objects.filter(type="term.created", object_id=term.pk, council=cast.city).exists()
    assert AuditEntry.objects.filter(action="term.create", object_id=str(term.pk), username="admin").exists()


def test_making_a_new_term_current_ends_the_previous_current_term(clients, cast):
    data = {"number": "15", "starts_on": "2028-01-01", "ends_on": "2032-12-31", "is_current": "on"}
    assert clients["admin"].post("/c/city/admin/terms/new/", data).status_code == 302
    assert terms_of(cast.city) == [
        (14, dt.date(2023, 1, 1), dt.date(2027, 12, 31), False),
        (15, dt.date(2028, 1, 1), dt.date(2032, 12, 31), True),
    ]


def test_a_councils_first_term_is_current_even_when_not_ticked(clients, cast):
    CouncilRoleFactory(council=cast.county, user=cast.admin, role="council_admin")
    data = {"number": "9", "starts_on": "2022-01-01", "ends_on": "2026-12-31"}
    assert clients["admin"].post("/c/county/admin/terms/new/", data).status_code == 302
    assert Term.objects.get(council=cast.county).is_current


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"number": "14", "starts_on": "2028-01-01", "ends_on": "2032-12-31"}, "number"),
        ({"number": "15", "starts_on": "2028-01-01", "ends_on": "2027-12-31"}, "ends_on"),
        ({"number": "15", "starts_on": "2028-01-01", "ends_on": "2028-01-01"}, "ends_on"),
        ({"number": "", "starts_on": "2028-01-01", "ends_on": "2032-12-31"}, "number"),
    ],
)
def test_invalid_term_is_refused_next_to_the_field_and_nothing_is_saved(clients, cast, data, field):
    before = terms_of(cast.city)
    response = clients["admin"].post("/c/city/admin/terms/new/", data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert terms_of(cast.city) == before


def test_editing_a_term_keeps_its_sessions_inside_it(clients, cast):
    Session.objects.create(
        council=cast.city,
        term=cast.term,
        number=1,
        year=2023,
        opens_on=dt.date(2023, 1, 10),
        closes_on=dt.date(2023, 1, 14),
    )
    before = terms_of(cast.city)
    in_english(clients["admin"])
    url = f"/c/city/admin/terms/{cast.term.pk}/edit/"
    response = clients["admin"].post(
        url, {"number": "14", "starts_on": "2023-02-01", "ends_on": "2027-12-31"}
    )
    assert response.status_code == 400
    assert "outside" in str(response.context["form"].non_field_errors())
    assert terms_of(cast.city) == before
    response = clients["admin"].post(
        url, {"number": "14", "starts_on": "2022-12-30", "ends_on": "2027-12-31"}
    )
    assert response.status_code == 302
    assert Term.objects.get(pk=cast.term.pk).starts_on == dt.date(2022, 12, 30)
    assert AuditEntry.objects.filter(action="term.update", object_id=str(cast.term.pk)).exists()


def test_make_current_is_for_administrators_only_and_leaves_one_current_term(clients, cast):
    newer = TermFactory(council=cast.city, number=15, is_current=False)

    def reset():
        Term.objects.filter(pk=newer.pk).update(is_current=False)
        Term.objects.filter(pk=cast.term.pk).update(is_current=True)

    run_permission_matrix(
        clients=clients,
        method="post",
        url=f"/c/city/admin/terms/{newer.pk}/current/",
        expectations=admin_only(),
        snapshot=lambda: terms_of(cast.city),
        reset=reset,
    )
    clients["admin"].post(f"/c/city/admin/terms/{newer.pk}/current/")
    assert list(Term.objects.filter(council=cast.city, is_current=True)) == [newer]
    assert Event.objects.filter(type="term.made_current", object_id=newer.pk).exists()


def test_a_term_of_another_council_is_not_found_and_not_changed(clients, cast):
    foreign = TermFactory(council=cast.other_city, number=14, is_current=True)
    assert_same_not_found(
        clients["admin"], f"/c/city/admin/terms/{foreign.pk}/edit/", "/c/city/admin/terms/999999/edit/"
    )
    before = terms_of(cast.other_city)
    data = {"number": "3", "starts_on": "2020-01-01", "ends_on": "2021-01-01"}
    assert clients["admin"].post(f"/c/city/admin/terms/{foreign.pk}/edit/", data).status_code == 404
    assert clients["admin"].post(f"/c/city/admin/terms/{foreign.pk}/current/").status_code == 404
    assert clients["admin"].post(f"/c/city/admin/terms/{foreign.pk}/sessions/new/", data).status_code == 404
    assert terms_of(cast.other_city) == before
    assert sessions_of(cast.other_city) == []


def test_term_list_query_count_does_not_grow_with_terms_and_sessions(
    clients, cast, django_assert_num_queries
):
    def add(number: int) -> None:
        term = TermFactory(council=cast.city, number=number, is_current=False)
        for n in (1, 2, 3):
            Session.objects.create(
                council=cast.city,
                term=term,
                number=n,
                year=2023,
                opens_on=dt.date(2023, 1, n),
                closes_on=dt.date(2023, 1, n),
            )

    add(13)
    clients["admin"].get(
        "/c/city/admin/terms/"
    )  # the first request after logging in records the activity (a session write)
    with django_assert_num_queries(9):
        assert clients["admin"].get("/c/city/admin/terms/").status_code == 200
    for number in (10, 11, 12):
        add(number)
    with django_assert_num_queries(9):
        response = clients["admin"].get("/c/city/admin/terms/")
    assert len(response.context["terms"]) == 5


# ---- sessions -----------------------------------------------------------------


SESSION = {"number": "3", "year": "2025", "opens_on": "2025-01-12", "closes_on": "2025-01-16"}


def test_session_create_is_for_administrators_only_and_recorded(clients, cast):
    run_permission_matrix(
        clients=clients,
        method="post",
        url=f"/c/city/admin/terms/{cast.term.pk}/sessions/new/",
        data=SESSION,
        expectations=admin_only(),
        snapshot=lambda: sessions_of(cast.city),
        reset=lambda: Session.objects.filter(council=cast.city).delete(),
    )
    clients["admin"].post(f"/c/city/admin/terms/{cast.term.pk}/sessions/new/", SESSION)
    session = Session.objects.get(council=cast.city)
    assert (session.number, session.year) == (3, 2025)
    assert Event.objects.filter(type="session.created", object_id=session.pk).exists()
    assert AuditEntry.objects.filter(action="session.create", object_id=str(session.pk)).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"closes_on": "2025-01-11"}, "closes_on"),
        ({"year": "2024"}, "year"),
        ({"opens_on": "2028-01-12", "closes_on": "2028-01-16", "year": "2028"}, "opens_on"),
        ({"number": "1"}, "number"),
    ],
)
def test_invalid_session_is_refused_next_to_the_field_and_nothing_is_saved(clients, cast, change, field):
    Session.objects.create(
        council=cast.city,
        term=cast.term,
        number=1,
        year=2023,
        opens_on=dt.date(2023, 1, 10),
        closes_on=dt.date(2023, 1, 14),
    )
    before = sessions_of(cast.city)
    response = clients["admin"].post(
        f"/c/city/admin/terms/{cast.term.pk}/sessions/new/", {**SESSION, **change}
    )
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert sessions_of(cast.city) == before


def test_a_session_keeps_its_own_number_when_edited_and_cannot_take_another(clients, cast):
    first = Session.objects.create(
        council=cast.city,
        term=cast.term,
        number=1,
        year=2023,
        opens_on=dt.date(2023, 1, 10),
        closes_on=dt.date(2023, 1, 14),
    )
    Session.objects.create(
        council=cast.city,
        term=cast.term,
        number=2,
        year=2024,
        opens_on=dt.date(2024, 1, 10),
        closes_on=dt.date(2024, 1, 14),
    )
    url = f"/c/city/admin/sessions/{first.pk}/edit/"
    data = {"number": "1", "year": "2023", "opens_on": "2023-01-09", "closes_on": "2023-01-14"}
    assert clients["admin"].post(url, data).status_code == 302
    assert Session.objects.get(pk=first.pk).opens_on == dt.date(2023, 1, 9)
    assert clients["admin"].post(url, {**data, "number": "2"}).status_code == 400
    assert Session.objects.get(pk=first.pk).number == 1


def test_a_session_of_another_council_is_not_found_and_not_changed(clients, cast):
    term = TermFactory(council=cast.other_city)
    foreign = Session.objects.create(
        council=cast.other_city,
        term=term,
        number=1,
        year=2023,
        opens_on=dt.date(2023, 1, 10),
        closes_on=dt.date(2023, 1, 14),
    )
    data = {"number": "5", "year": "2023", "opens_on": "2023-01-09", "closes_on": "2023-01-14"}
    assert clients["admin"].post(f"/c/city/admin/sessions/{foreign.pk}/edit/", data).status_code == 404
    assert Session.objects.get(pk=foreign.pk).number == 1


# ---- named bodies -------------------------------------------------------------


BODIES = {
    "sectors": (Sector, {"name": "经济界", "sort_order": "1"}),
    "affiliations": (Affiliation, {"name": "民盟", "sort_order": "0"}),
    "committees": (SpecialCommittee, {"name": "提案委员会", "sort_order": "0"}),
    "groups": (MemberGroup, {"name": "第一委员联系小组", "kind": "contact", "sort_order": "0"}),
    "units": (
        HandlingUnit,
        {"name": "市教育局", "short_name": "教育局", "contact_phone": "0571-88888888", "sort_order": "0"},
    ),
    "offices": (OversightOffice, {"name": "市政府办公室", "kind": "government", "sort_order": "0"}),
}


def names_of(model, council) -> list[tuple]:
    return sorted(model.objects.filter(council=council).values_list("name", "is_active"))


@pytest.mark.parametrize("kind", BODIES)
def test_body_create_is_for_administrators_only_and_recorded(clients, cast, kind):
    model, data = BODIES[kind]
    run_permission_matrix(
        clients=clients,
        method="post",
        url=f"/c/city/admin/bodies/{kind}/new/",
        data=data,
        expectations=admin_only(),
        snapshot=lambda: names_of(model, cast.city),
        reset=lambda: model.objects.filter(council=cast.city, name=data["name"]).delete(),
    )
    clients["admin"].post(f"/c/city/admin/bodies/{kind}/new/", data)
    body = model.objects.get(council=cast.city, name=data["name"])
    label = model._meta.model_name
    assert Event.objects.filter(type=f"{label}.created", object_id=body.pk, council=cast.city).exists()
    assert AuditEntry.objects.filter(action=f"{label}.create", object_id=str(body.pk)).exists()


@pytest.mark.parametrize("kind", BODIES)
def test_body_list_is_for_administrators_only(clients, kind):
    run_permission_matrix(
        clients=clients,
        method="get",
        url=f"/c/city/admin/bodies/{kind}/",
        expectations=admin_only_page(),
        snapshot=lambda: 0,
    )


def test_a_name_used_in_the_council_is_refused_but_free_in_another(clients, cast):
    SectorFactory(council=cast.city, name="经济界")
    SectorFactory(council=cast.other_city, name="教育界")
    response = clients["admin"].post(
        "/c/city/admin/bodies/sectors/new/", {"name": "经济界", "sort_order": "0"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["name"]
    assert (
        clients["admin"]
        .post("/c/city/admin/bodies/sectors/new/", {"name": "教育界", "sort_order": "0"})
        .status_code
        == 302
    )
    assert Sector.objects.filter(name="教育界").count() == 2


def test_group_kind_must_be_one_of_the_listed_kinds(clients, cast):
    data = {"name": "小组", "kind": "secret", "sort_order": "0"}
    response = clients["admin"].post("/c/city/admin/bodies/groups/new/", data)
    assert response.status_code == 400
    assert response.context["form"].errors["kind"]
    assert not MemberGroup.objects.filter(council=cast.city).exists()


def test_editing_a_body_records_what_changed(clients, cast):
    unit = HandlingUnitFactory(council=cast.city, name="市教育局")
    url = f"/c/city/admin/bodies/units/{unit.pk}/edit/"
    data = {"name": "市教育局", "short_name": "教育局", "contact_phone": "88888888", "sort_order": "2"}
    run_permission_matrix(
        clients=clients,
        method="post",
        url=url,
        data=data,
        expectations=admin_only(),
        snapshot=lambda: list(HandlingUnit.objects.filter(pk=unit.pk).values()),
        reset=lambda: HandlingUnit.objects.filter(pk=unit.pk).update(
            short_name="", contact_phone="", sort_order=0
        ),
    )
    clients["admin"].post(url, data)
    unit.refresh_from_db()
    assert (unit.short_name, unit.sort_order) == ("教育局", 2)
    event = Event.objects.filter(type="handlingunit.updated", object_id=unit.pk).last()
    assert event.data["changes"]["short_name"] == {"old": "", "new": "教育局"}


def test_deactivating_a_body_keeps_it_and_can_be_undone(clients, cast):
    sector = SectorFactory(council=cast.city, name="经济界")
    url = f"/c/city/admin/bodies/sectors/{sector.pk}/active/"
    run_permission_matrix(
        clients=clients,
        method="post",
        url=url,
        data={"is_active": "0"},
        expectations=admin_only(),
        snapshot=lambda: names_of(Sector, cast.city),
        reset=lambda: Sector.objects.filter(pk=sector.pk).update(is_active=True),
    )
    clients["admin"].post(url, {"is_active": "0"})
    assert names_of(Sector, cast.city) == [("经济界", False)]
    assert AuditEntry.objects.filter(action="sector.deactivate", object_id=str(sector.pk)).exists()
    clients["admin"].post(url, {"is_active": "1"})
    assert names_of(Sector, cast.city) == [("经济界", True)]
    assert Event.objects.filter(type="sector.activated", object_id=sector.pk).exists()


def test_a_used_body_shows_why_it_cannot_be_deleted_and_refuses_deletion(clients, cast):
    sector = SectorFactory(council=cast.city, name="经济界")
    MemberFactory(council=cast.city, term=cast.term, sector=sector)
    MemberFactory(council=cast.city, term=cast.term, sector=sector)
    page = in_english(clients["admin"]).get(f"/c/city/admin/bodies/sectors/{sector.pk}/edit/")
    refs = page.context["references"]
    assert [(r.label, r.count) for r in refs] == [("members", 2)]
    assert "cannot be deleted" in page.content.decode()
    assert f"/bodies/sectors/{sector.pk}/delete/" not in page.content.decode()
    response = clients["admin"].post(f"/c/city/admin/bodies/sectors/{sector.pk}/delete/")
    assert response.status_code == 409
    assert Sector.objects.filter(pk=sector.pk).exists()


def test_a_unit_with_a_liaison_cannot_be_deleted(clients, cast):
    unit = HandlingUnit.objects.get(liaisons__user=cast.liaison)
    assert clients["admin"].post(f"/c/city/admin/bodies/units/{unit.pk}/delete/").status_code == 409
    assert HandlingUnit.objects.filter(pk=unit.pk).exists()
    assert cast.liaison.council_roles.filter(handling_unit=unit).exists()


def test_an_unused_body_can_be_deleted_by_administrators_only(clients, cast):
    sector = SectorFactory(council=cast.city, name="错误录入")
    page = clients["admin"].get(f"/c/city/admin/bodies/sectors/{sector.pk}/edit/")
    assert page.context["references"] == []
    run_permission_matrix(
        clients=clients,
        method="post",
        url=lambda: f"/c/city/admin/bodies/sectors/{Sector.objects.get(name='错误录入').pk}/delete/",
        expectations=admin_only(),
        snapshot=lambda: names_of(Sector, cast.city),
        reset=lambda: SectorFactory(council=cast.city, name="错误录入"),
    )
    assert AuditEntry.objects.filter(action="sector.delete", data__name="错误录入").count() == 2


@pytest.mark.parametrize("action", ["edit/", "active/", "delete/", "people/"])
def test_a_body_of_another_council_is_not_found_and_not_changed(clients, cast, action):
    foreign = HandlingUnitFactory(council=cast.other_city, name="另一市教育局")
    before = names_of(HandlingUnit, cast.other_city)
    url = f"/c/city/admin/bodies/units/{foreign.pk}/{action}"
    if action in ("edit/", "people/"):
        assert_same_not_found(clients["admin"], url, f"/c/city/admin/bodies/units/999999/{action}")
    response = clients["admin"].post(url, {"name": "改名", "sort_order": "0", "is_active": "0"})
    assert response.status_code == 404
    assert names_of(HandlingUnit, cast.other_city) == before


def test_an_unknown_body_kind_is_not_found(clients):
    assert clients["admin"].get("/c/city/admin/bodies/planets/").status_code == 404
    assert clients["admin"].post("/c/city/admin/bodies/planets/new/", {"name": "x"}).status_code == 404


def test_a_sector_id_under_the_units_kind_is_not_found(clients, cast):
    sector = SectorFactory(council=cast.city)
    HandlingUnit.objects.filter(pk=sector.pk).delete()
    assert clients["admin"].get(f"/c/city/admin/bodies/units/{sector.pk}/edit/").status_code == 404


@pytest.mark.parametrize("kind", ["sectors", "units", "offices"])
def test_body_list_query_count_does_not_grow_with_rows(clients, cast, kind, django_assert_num_queries):
    model, _data = BODIES[kind]
    extra = {"kind": "government"} if kind == "offices" else {}
    for i in range(3):
        model.objects.create(council=cast.city, name=f"甲{i}", **extra)
    clients["admin"].get(
        f"/c/city/admin/bodies/{kind}/"
    )  # the first request after logging in records the activity (a session write)
    with django_assert_num_queries(9):
        assert clients["admin"].get(f"/c/city/admin/bodies/{kind}/").status_code == 200
    for i in range(30):
        model.objects.create(council=cast.city, name=f"乙{i}", **extra)
    with django_assert_num_queries(9):
        response = clients["admin"].get(f"/c/city/admin/bodies/{kind}/")
    assert len(response.context["page"].object_list) >= 33


def test_body_list_shows_active_bodies_first_and_people_counts(clients, cast):
    HandlingUnitFactory(council=cast.city, name="甲局", is_active=False)
    HandlingUnitFactory(council=cast.city, name="乙局")
    response = clients["admin"].get("/c/city/admin/bodies/units/")
    rows = [(u.name, u.is_active, u.people) for u in response.context["page"].object_list]
    assert rows[-1] == ("甲局", False, 0)
    assert (cast.liaison.council_roles.get().handling_unit.name, True, 1) in rows
