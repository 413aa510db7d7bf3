"""Member detail, create and edit, "show full" personal numbers, logins,
and tenant isolation of every member page.

Who may do what (cast from conftest.py): admin, staff and the platform
administrator add and edit members; leaders read; only admin and the
platform may show a full ID or mobile number; outsiders (another city) and
upper-council staff never reach this city's members.
"""

from __future__ import annotations

import datetime as dt

import pytest

from xieshang.accounts.models import User
from xieshang.core.models import AuditEntry
from xieshang.core.testing import (
    Expect,
    assert_nothing_changed,
    assert_same_not_found,
    run_permission_matrix,
    snapshot_rows,
)
from xieshang.councils.actions.members import update_member
from xieshang.councils.models import CouncilRole, Member, Role, SpecialCommittee
from xieshang.councils.roles import Perm
from xieshang.councils.tests.factories import (
    AffiliationFactory,
    CouncilRoleFactory,
    MemberFactory,
    MemberGroupFactory,
    SectorFactory,
    TermFactory,
    UserFactory,
)
from xieshang.councils.tests.test_members_validation import make_id

pytestmark = pytest.mark.django_db

NEW = "/c/city/members/new/"
MISSING_ID = 987654


def url(member: Member, suffix: str = "", council: str = "city") -> str:
    return f"/c/{council}/members/{member.pk}/{suffix}"


def missing(suffix: str = "", council: str = "city") -> str:
    return f"/c/{council}/members/{MISSING_ID}/{suffix}"


@pytest.fixture
def wang(cast) -> Member:
    return MemberFactory(
        council=cast.city,
        term=cast.term,
        full_name="王教授",
        id_number=make_id("19650304", "123"),
        mobile="13812345678",
        birth_date=dt.date(1965, 3, 4),
        sector=SectorFactory(council=cast.city, name="教育界"),
    )


def valid_post(cast, **changes) -> dict:
    data = {
        "full_name": "陈新委员",
        "gender": "male",
        "birth_date": "",
        "ethnicity": "汉族",
        "id_number": make_id("19720809", "456"),
        "mobile": "13900001111",
        "term": cast.term.pk,
        "affiliation": "",
        "sector": "",
        "employer_title": "市第一医院院长",
        "recommending_body": "市卫生健康委",
        "is_active": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def error_codes(response, field: str) -> list[str]:
    return [e.code for e in response.context["form"].errors.as_data().get(field, [])]


# ---------------------------------------------------------------- detail


def test_detail_shows_the_record_with_masked_numbers(clients, wang):
    for name in ("admin", "staff", "leader"):
        response = clients[name].get(url(wang))
        assert response.status_code == 200
        body = response.content.decode()
        assert "王教授" in body and "教育界" in body
        assert wang.masked_mobile in body and wang.masked_id_number in body
        assert wang.mobile not in body
        assert wang.id_number not in body


def test_only_roles_with_personal_data_are_offered_show_full(clients, wang):
    assert 'data-testid="reveal-mobile"' in clients["admin"].get(url(wang)).content.decode()
    for name in ("staff", "leader"):
        assert 'data-testid="reveal-mobile"' not in clients[name].get(url(wang)).content.decode()


def test_edit_form_never_contains_the_full_numbers(clients, wang):
    for name in ("admin", "staff"):
        body = clients[name].get(url(wang, "edit/")).content.decode()
        assert wang.mobile not in body
        assert wang.id_number not in body
        assert wang.masked_mobile in body


# ---------------------------------------------------------------- show full


def test_show_full_reveals_one_number_and_records_each_look(clients, wang):
    before = AuditEntry.objects.filter(action="member.reveal_personal_data").count()
    for _ in range(2):
        response = clients["admin"].post(url(wang, "reveal/"), {"field": "id_number"})
        assert response.status_code == 200
        body = response.content.decode()
        assert wang.id_number in body
        assert wang.mobile not in body
    entries = AuditEntry.objects.filter(action="member.reveal_personal_data").order_by("id")
    assert entries.count() == before + 2
    assert entries.last().data == {"field": "id_number"}
    assert entries.last().object_id == str(wang.pk)


def test_show_full_answers_htmx_with_just_the_number(clients, wang):
    response = clients["admin"].post(url(wang, "reveal/"), {"field": "mobile"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert wang.mobile in body
    assert "<html" not in body


def test_show_full_refuses_unknown_fields(clients, wang):
    assert clients["admin"].post(url(wang, "reveal/"), {"field": "full_name"}).status_code == 400
    assert not AuditEntry.objects.filter(action="member.reveal_personal_data").exists()


def test_show_full_is_post_only(clients, wang):
    assert clients["admin"].get(url(wang, "reveal/"), {"field": "mobile"}).status_code == 405


def test_show_full_permission_matrix(clients, wang):
    def snapshot():
        return AuditEntry.objects.filter(action="member.reveal_personal_data").count()

    allowed = Expect(200, changes=True)
    run_permission_matrix(
        clients=clients,
        method="post",
        url=url(wang, "reveal/"),
        data={"field": "mobile"},
        snapshot=snapshot,
        expectations={
            "admin": allowed,
            "platform": allowed,
            "staff": Expect(403),
            "leader": Expect(403),
            "member": Expect(403),
            "liaison": Expect(403),
            "oversight": Expect(403),
            "upper": Expect(403),
            "outsider": Expect(404),
            "anonymous": Expect(302),
        },
    )


def test_staff_and_leaders_never_receive_a_full_number_anywhere(clients, cast, wang):
    pages = [
        "/c/city/members/",
        "/c/city/members/?q=王",
        url(wang),
        url(wang, "edit/"),
        "/c/city/search/?q=王",
    ]
    for name in ("staff", "leader"):
        for page in pages:
            body = clients[name].get(page).content.decode()
            assert wang.mobile not in body, (name, page)
            assert wang.id_number not in body, (name, page)
        body = clients[name].post(url(wang, "reveal/"), {"field": "id_number"}).content.decode()
        assert wang.id_number not in body


# ---------------------------------------------------------------- create


def test_staff_add_a_member_with_every_field(clients, cast):
    sector = SectorFactory(council=cast.city, name="医药卫生界")
    affiliation = AffiliationFactory(council=cast.city, name="农工党")
    group = MemberGroupFactory(council=cast.city, name="第二联系小组")
    committee = SpecialCommittee.objects.create(council=cast.city, name="教科卫体委员会")
    data = valid_post(
        cast,
        sector=sector.pk,
        affiliation=affiliation.pk,
        special_committees=[committee.pk],
        groups=[group.pk],
        is_standing_committee_member="on",
        birth_date="1972-08-09",
    )
    response = clients["staff"].post(NEW, data)
    assert response.status_code == 302
    member = Member.objects.get(full_name="陈新委员")
    assert response["Location"] == url(member)
    assert member.council == cast.city
    assert member.id_number == data["id_number"]
    assert member.mobile == "13900001111"
    assert member.sector == sector and member.affiliation == affiliation
    assert list(member.special_committees.all()) == [committee]
    assert list(member.groups.all()) == [group]
    assert member.is_standing_committee_member and member.is_active
    assert member.birth_date == dt.date(1972, 8, 9)
    assert AuditEntry.objects.filter(action="member.create", object_id=str(member.pk)).exists()


def test_birth_date_is_taken_from_the_id_number_when_left_empty(clients, cast):
    clients["staff"].post(NEW, valid_post(cast))
    assert Member.objects.get(full_name="陈新委员").birth_date == dt.date(1972, 8, 9)


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"id_number": "110105197208094561"}, "id_number", "id_checksum"),
        ({"id_number": "11010519720809456"}, "id_number", "id_length"),
        ({"mobile": "2390000111"}, "mobile", "mobile_format"),
        ({"birth_date": "1972-08-10"}, "birth_date", "birth_date_mismatch"),
        ({"full_name": ""}, "full_name", "required"),
        ({"gender": "other"}, "gender", "invalid_choice"),
    ],
)
def test_bad_input_is_named_next_to_the_field_and_kept(clients, cast, changes, field, code):
    response = clients["staff"].post(NEW, valid_post(cast, **changes))
    assert response.status_code == 200
    assert code in error_codes(response, field)
    assert not Member.objects.filter(full_name="陈新委员").exists()
    body = response.content.decode()
    assert 'class="invalid-feedback d-block"' in body
    assert "市第一医院院长" in body  # what was typed stays


def test_numbers_must_be_unique_within_the_term(clients, cast, wang):
    response = clients["staff"].post(NEW, valid_post(cast, id_number=wang.id_number, mobile=wang.mobile))
    assert "duplicate" in error_codes(response, "id_number")
    assert "duplicate" in error_codes(response, "mobile")
    assert Member.objects.filter(council=cast.city).count() == 2


def test_the_same_person_may_sit_in_another_term(clients, cast, wang):
    old = TermFactory(council=cast.city, number=13, is_current=False)
    response = clients["staff"].post(NEW, valid_post(cast, id_number=wang.id_number, term=old.pk))
    assert response.status_code == 302


@pytest.mark.parametrize("field", ["sector", "affiliation", "term", "groups"])
def test_another_councils_choices_are_refused_and_nothing_saved(clients, cast, field):
    foreign = {
        "sector": lambda: SectorFactory(council=cast.other_city).pk,
        "affiliation": lambda: AffiliationFactory(council=cast.other_city).pk,
        "term": lambda: TermFactory(council=cast.other_city).pk,
        "groups": lambda: [MemberGroupFactory(council=cast.other_city).pk],
    }[field]()
    response = clients["staff"].post(NEW, valid_post(cast, **{field: foreign}))
    assert response.status_code == 200
    assert error_codes(response, field)
    assert not Member.objects.filter(full_name="陈新委员").exists()


def test_script_in_text_is_stored_as_text_and_shown_escaped(clients, cast):
    script = "<script>alert('x')</script>"
    clients["staff"].post(NEW, valid_post(cast, full_name=script, employer_title=f"单位{script}"))
    member = Member.objects.get(full_name=script)
    assert member.employer_title == f"单位{script}"
    for page in (url(member), "/c/city/members/", url(member, "edit/")):
        body = clients["staff"].get(page).content.decode()
        assert "<script>alert" not in body, page
        assert "&lt;script&gt;alert(" in body, page


def test_create_permission_matrix(clients, cast):
    initial = set(Member.objects.values_list("pk", flat=True))
    allowed = Expect(302, changes=True)
    run_permission_matrix(
        clients=clients,
        method="post",
        url=NEW,
        data=lambda: valid_post(cast),
        snapshot=lambda: sorted(Member.objects.values_list("pk", flat=True)),
        reset=lambda: Member.objects.exclude(pk__in=initial).delete(),
        expectations={
            "admin": allowed,
            "staff": allowed,
            "platform": allowed,
            "leader": Expect(403),
            "member": Expect(403),
            "liaison": Expect(403),
            "oversight": Expect(403),
            "upper": Expect(403),
            "outsider": Expect(404),
            "anonymous": Expect(302),
        },
    )


# ---------------------------------------------------------------- edit


def edit_post(member: Member, **changes) -> dict:
    data = {
        "full_name": member.full_name,
        "gender": member.gender,
        "birth_date": member.birth_date.isoformat() if member.birth_date else "",
        "ethnicity": member.ethnicity,
        "id_number": "",
        "mobile": "",
        "term": member.term_id,
        "affiliation": member.affiliation_id or "",
        "sector": member.sector_id or "",
        "employer_title": member.employer_title,
        "recommending_body": member.recommending_body,
        "version": member.version,
    }
    if member.is_active:
        data["is_active"] = "on"
    data.update(changes)
    return data


def test_edit_changes_the_record_and_keeps_numbers_left_empty(clients, wang):
    response = clients["staff"].post(url(wang, "edit/"), edit_post(wang, employer_title="市大学校长"))
    assert response.status_code == 302
    wang.refresh_from_db()
    assert wang.employer_title == "市大学校长"
    assert wang.mobile == "13812345678"
    assert wang.id_number == make_id("19650304", "123")
    assert wang.version == 2


def test_edit_can_replace_the_mobile_number(clients, wang):
    clients["staff"].post(url(wang, "edit/"), edit_post(wang, mobile="13700000001"))
    wang.refresh_from_db()
    assert wang.mobile == "13700000001"


def test_edit_checks_a_changed_birth_date_against_the_stored_id_number(clients, wang):
    response = clients["staff"].post(url(wang, "edit/"), edit_post(wang, birth_date="1966-01-01"))
    assert "birth_date_mismatch" in error_codes(response, "birth_date")


def test_a_stale_edit_shows_the_conflict_and_keeps_what_was_typed(clients, cast, wang):
    loaded = edit_post(wang, employer_title="我刚输入的单位")
    update_member(wang, actor=cast.actor("admin"), data={"ethnicity": "回族"}, version=1)

    response = clients["staff"].post(url(wang, "edit/"), loaded)

    assert response.status_code == 409
    body = response.content.decode()
    assert 'data-testid="stale-edit"' in body
    assert "我刚输入的单位" in body
    wang.refresh_from_db()
    assert wang.ethnicity == "回族"  # the other change was not overwritten
    assert wang.employer_title == ""
    # The form now carries the newest version: saving again is a conscious overwrite.
    assert response.context["form"]["version"].value() == "2"
    again = clients["staff"].post(url(wang, "edit/"), {**loaded, "version": 2})
    assert again.status_code == 302
    wang.refresh_from_db()
    assert wang.employer_title == "我刚输入的单位"


def test_edit_permission_matrix(clients, wang):
    def data():
        wang.refresh_from_db()
        return edit_post(wang, employer_title="新的单位")

    def reset():
        Member.objects.filter(pk=wang.pk).update(employer_title="")

    allowed = Expect(302, changes=True)
    run_permission_matrix(
        clients=clients,
        method="post",
        url=url(wang, "edit/"),
        data=data,
        snapshot=snapshot_rows(wang),
        reset=reset,
        expectations={
            "admin": allowed,
            "staff": allowed,
            "platform": allowed,
            "leader": Expect(403),
            "member": Expect(403),
            "liaison": Expect(403),
            "oversight": Expect(403),
            "upper": Expect(403),
            "outsider": Expect(404),
            "anonymous": Expect(302),
        },
    )


# ---------------------------------------------------------------- logins


def test_a_login_is_created_with_a_temporary_password_shown_once(clients, cast, wang):
    response = clients["staff"].post(url(wang, "login/"))
    assert response.status_code == 200
    password = response.context["login"].temporary_password
    assert password and password in response.content.decode()
    wang.refresh_from_db()
    user = wang.user
    assert user.check_password(password)
    assert user.mobile == wang.mobile
    assert user.full_name == "王教授"
    assert CouncilRole.objects.filter(user=user, council=cast.city, role=Role.MEMBER).exists()
    entry = AuditEntry.objects.get(action="member.create_login")
    assert password not in str(entry.data)
    # The detail page no longer offers it, and the password is not shown again.
    body = clients["staff"].get(url(wang)).content.decode()
    assert password not in body
    assert 'data-testid="member-create-login"' not in body


def test_a_second_login_for_the_same_member_is_refused(clients, wang):
    clients["staff"].post(url(wang, "login/"))
    assert clients["staff"].post(url(wang, "login/")).status_code == 409
    assert User.objects.filter(mobile_index=wang.mobile_index).count() == 1


def test_an_existing_account_with_the_same_mobile_is_reused(clients, cast, wang):
    person = UserFactory(username="wang-in-other-city", mobile=wang.mobile)
    CouncilRoleFactory(user=person, council=cast.other_city, role=Role.MEMBER)
    users_before = User.objects.count()

    response = clients["staff"].post(url(wang, "login/"))

    assert response.status_code == 200
    assert response.context["login"].reused is True
    assert response.context["login"].temporary_password == ""
    assert User.objects.count() == users_before
    wang.refresh_from_db()
    assert wang.user == person
    assert person.check_password("Xieshang-2026!")  # untouched
    assert set(CouncilRole.objects.filter(user=person).values_list("council__slug", flat=True)) == {
        "city",
        "othercity",
    }


def test_the_create_form_can_make_the_login_at_once(clients, cast):
    response = clients["staff"].post(NEW, valid_post(cast, create_login="on"))
    assert response.status_code == 200
    member = Member.objects.get(full_name="陈新委员")
    assert member.user is not None
    assert member.user.check_password(response.context["login"].temporary_password)
    assert CouncilRole.objects.filter(user=member.user, council=cast.city, role=Role.MEMBER).exists()


def test_the_new_login_works_with_the_mobile_number_must_change_its_password_and_reaches_the_council(
    clients, cast, wang
):
    from django.test import Client

    from xieshang.accounts.backends import UsernameOrMobileBackend

    response = clients["staff"].post(url(wang, "login/"))
    password = response.context["login"].temporary_password
    user = UsernameOrMobileBackend().authenticate(None, username=wang.mobile, password=password)
    assert user is not None and user == Member.objects.get(pk=wang.pk).user
    assert user.must_change_password is True
    user.must_change_password = False  # as after choosing their own password
    user.save()
    client = Client()
    client.force_login(user, backend="xieshang.accounts.backends.UsernameOrMobileBackend")
    assert client.get("/c/city/").status_code == 200


def test_create_login_permission_matrix(clients, wang):
    def reset():
        user_id = Member.objects.get(pk=wang.pk).user_id
        Member.objects.filter(pk=wang.pk).update(user=None)
        CouncilRole.objects.filter(user_id=user_id).delete()
        User.objects.filter(pk=user_id).delete()

    allowed = Expect(200, changes=True)
    run_permission_matrix(
        clients=clients,
        method="post",
        url=url(wang, "login/"),
        snapshot=lambda: (Member.objects.get(pk=wang.pk).user_id, User.objects.count()),
        reset=reset,
        expectations={
            "admin": allowed,
            "staff": allowed,
            "platform": allowed,
            "leader": Expect(403),
            "member": Expect(403),
            "liaison": Expect(403),
            "oversight": Expect(403),
            "upper": Expect(403),
            "outsider": Expect(404),
            "anonymous": Expect(302),
        },
    )


# ---------------------------------------------------------------- isolation


@pytest.fixture
def province_admin(cast):
    from django.test import Client

    user = UserFactory(username="province-admin")
    CouncilRoleFactory(user=user, council=cast.province, role=Role.COUNCIL_ADMIN)
    client = Client()
    client.force_login(user, backend="xieshang.accounts.backends.UsernameOrMobileBackend")
    return client


@pytest.mark.parametrize("suffix", ["", "edit/"])
def test_another_councils_member_is_not_found_for_outsiders_and_upper_staff(
    clients, cast, wang, province_admin, suffix
):
    assert_same_not_found(clients["outsider"], url(wang, suffix, "othercity"), missing(suffix, "othercity"))
    assert_same_not_found(clients["upper"], url(wang, suffix, "province"), missing(suffix, "province"))
    assert_same_not_found(province_admin, url(wang, suffix, "province"), missing(suffix, "province"))


@pytest.mark.parametrize("suffix", ["reveal/", "login/"])
def test_posting_to_another_councils_member_is_not_found_and_changes_nothing(
    cast, wang, province_admin, suffix
):
    before = (AuditEntry.objects.exclude(action="permission_denied").count(), User.objects.count())
    assert_same_not_found(
        province_admin, url(wang, suffix, "province"), missing(suffix, "province"), method="post"
    )
    assert (AuditEntry.objects.exclude(action="permission_denied").count(), User.objects.count()) == before
    wang.refresh_from_db()
    assert wang.user_id is None


def test_editing_another_councils_member_through_ones_own_council_changes_nothing(cast, wang, province_admin):
    response = province_admin.post(url(wang, "edit/", "province"), edit_post(wang, employer_title="越权"))
    assert response.status_code == 404
    wang.refresh_from_db()
    assert wang.employer_title == ""


def test_actions_refuse_bodies_of_another_council(cast, wang):
    from django.core.exceptions import PermissionDenied

    from xieshang.councils.actions.members import create_member

    actor = cast.actor("staff")
    assert actor.has(Perm.MANAGE_MEMBERS)
    foreign = SectorFactory(council=cast.other_city)
    with assert_nothing_changed(Member), pytest.raises(PermissionDenied):
        create_member(
            actor=actor,
            data={"term": cast.term, "full_name": "越界", "gender": "male", "sector": foreign},
        )
    with assert_nothing_changed(wang), pytest.raises(PermissionDenied):
        update_member(wang, actor=actor, data={"sector": foreign}, version=wang.version)
    assert not Member.objects.filter(full_name="越界").exists()
    wang.refresh_from_db()
    assert wang.sector.council == cast.city
