"""The councils API over HTTP: scoping, permissions, masking, writes.

The cast (conftest.py) calls the API with its browser sessions here; token
authentication has its own tests in test_api_auth.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import count
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from xieshang.core.models import AuditEntry, Notification
from xieshang.core.testing import (
    Expect,
    JsonClient,
    assert_nothing_changed,
    assert_same_not_found,
    run_permission_matrix,
)
from xieshang.councils.models import Member
from xieshang.councils.tests.factories import (
    AffiliationFactory,
    CouncilRoleFactory,
    HandlingUnitFactory,
    MemberFactory,
    MemberGroupFactory,
    SectorFactory,
    TermFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"
# A valid citizen ID number (GB 11643 check digit) and its birth date.
ID_NUMBER = "11010519491231002X"


@pytest.fixture
def api(clients: dict[str, Client]) -> dict[str, JsonClient]:
    return {name: JsonClient(client) for name, client in clients.items()}


def member_snapshot() -> list[tuple[Any, ...]]:
    return list(Member.objects.order_by("id").values_list("id", "full_name", "version", "sector_id"))


ALL_READERS = {"admin", "staff", "leader", "platform"}
EVERYONE = ("admin", "staff", "leader", "member", "liaison", "oversight", "upper", "outsider", "platform")


def expectations(allowed: set[str], *, status: int = 200, changes: bool = False) -> dict[str, Expect]:
    """anonymous 401, outsider 404, allowed personas status, the rest 403."""
    out = {"anonymous": Expect(401), "outsider": Expect(404)}
    for name in EVERYONE:
        if name == "outsider":
            continue
        out[name] = Expect(status, changes=changes) if name in allowed else Expect(403)
    return out


# --- Who am I, my councils -----------------------------------------------------------


def test_me_names_the_user_and_their_roles_per_council(api, cast):
    CouncilRoleFactory(user=cast.staff, council=cast.county, role="leader")
    body = api["staff"].get(f"{API}/me").json()
    assert body["username"] == "staff"
    assert body["is_platform_admin"] is False
    assert {c["slug"]: c["roles"] for c in body["councils"]} == {"city": ["staff"], "county": ["leader"]}


def test_councils_lists_only_the_users_own_councils(api):
    body = api["outsider"].get(f"{API}/councils").json()
    assert [c["slug"] for c in body["items"]] == ["othercity"]
    assert body["count"] == 1


def test_platform_administrator_sees_every_council_as_platform_admin(api):
    body = api["platform"].get(f"{API}/councils", {"page_size": 100}).json()
    assert body["count"] == 4
    assert all("platform_admin" in c["roles"] for c in body["items"])


def test_council_detail_shows_the_current_term_and_what_i_may_do(api, cast):
    body = api["staff"].get(f"{API}/c/city").json()
    assert body["name"] == "某某市政协"
    assert body["parent_slug"] == "province"
    assert body["current_term"]["id"] == cast.term.pk
    assert body["roles"] == ["staff"]
    assert "members.manage" in body["permissions"]
    assert "members.view_personal_data" not in body["permissions"]


def test_upper_council_staff_see_the_lower_council_but_hold_only_aggregate_rights(api):
    body = api["upper"].get(f"{API}/c/city").json()
    assert body["roles"] == ["upper_staff"]
    assert body["permissions"] == ["council.view_aggregates"]


# --- Reading: the permission matrix --------------------------------------------------

STRUCTURE = {"admin", "staff", "leader", "member", "liaison", "oversight", "platform"}
READ_MATRIX: list[tuple[str, set[str]]] = [
    ("/c/city/members", ALL_READERS),
    ("/c/city/members/{member}", ALL_READERS),
    ("/c/city/units", STRUCTURE),
    ("/c/city/units/{unit}", STRUCTURE),
    ("/c/city/groups", STRUCTURE),
    ("/c/city/sectors", STRUCTURE),
    ("/c/city/affiliations", STRUCTURE),
    ("/c/city/notifications", {*STRUCTURE, "upper"}),
    ("/c/city", {*STRUCTURE, "upper"}),
]


@pytest.mark.parametrize(("path", "allowed"), READ_MATRIX, ids=[p for p, _ in READ_MATRIX])
def test_reads_follow_the_permission_table(api, cast, path, allowed):
    unit = HandlingUnitFactory(council=cast.city)
    url = API + path.format(member=cast.member_record.pk, unit=unit.pk)
    run_permission_matrix(
        clients=api, method="get", url=url, expectations=expectations(allowed), snapshot=member_snapshot
    )


def test_outsider_gets_the_same_404_as_for_a_missing_council(api, clients):
    assert_same_not_found(clients["outsider"], f"{API}/c/city/members", f"{API}/c/nowhere/members")
    assert_same_not_found(clients["outsider"], f"{API}/c/city", f"{API}/c/nowhere")


def test_another_councils_member_and_unit_are_not_found(api, cast):
    stranger = MemberFactory(council=cast.other_city)
    unit = HandlingUnitFactory(council=cast.other_city)
    assert api["admin"].get(f"{API}/c/city/members/{stranger.pk}").status_code == 404
    assert api["admin"].get(f"{API}/c/city/units/{unit.pk}").status_code == 404


def test_upper_council_staff_get_no_member_data(api, cast):
    for path in (f"/c/city/members/{cast.member_record.pk}", "/c/city/members"):
        response = api["upper"].get(API + path)
        assert response.status_code == 403
        assert "李委员" not in response.content.decode()


def test_a_denial_is_audited_with_the_council(api):
    before = AuditEntry.objects.filter(action="permission_denied", council_slug="city").count()
    assert api["member"].get(f"{API}/c/city/members").status_code == 403
    entry = AuditEntry.objects.filter(action="permission_denied").latest("id")
    assert (entry.council_slug, entry.username, entry.outcome) == ("city", "member", "denied")
    assert AuditEntry.objects.filter(action="permission_denied", council_slug="city").count() == before + 1


# --- Members: list, filters, masking ---------------------------------------------------


@pytest.fixture
def roster(cast) -> dict[str, Any]:
    sector = SectorFactory(council=cast.city, name="经济界")
    affiliation = AffiliationFactory(council=cast.city, name="民盟")
    old_term = TermFactory(
        council=cast.city, number=13, is_current=False, starts_on="2018-01-01", ends_on="2022-12-31"
    )
    return {
        "sector": sector,
        "affiliation": affiliation,
        "old_term": old_term,
        "wang": MemberFactory(
            council=cast.city,
            term=cast.term,
            full_name="王经济",
            sector=sector,
            is_standing_committee_member=True,
            id_number=ID_NUMBER,
            mobile="13812345678",
        ),
        "zhao": MemberFactory(council=cast.city, term=cast.term, full_name="赵民盟", affiliation=affiliation),
        "qian": MemberFactory(council=cast.city, term=old_term, full_name="钱往届", is_active=False),
        "stranger": MemberFactory(council=cast.other_city, full_name="王外市"),
    }


def names(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["full_name"] for item in response.json()["items"]]


def test_member_list_shows_only_this_councils_members_by_name(api, roster):
    assert names(api["staff"].get(f"{API}/c/city/members")) == ["李委员", "王经济", "赵民盟", "钱往届"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (lambda r: {"sector": r["sector"].pk}, ["王经济"]),
        (lambda r: {"affiliation": r["affiliation"].pk}, ["赵民盟"]),
        (lambda r: {"term": r["old_term"].pk}, ["钱往届"]),
        (lambda r: {"standing_committee": "true"}, ["王经济"]),
        (lambda r: {"seated": "false"}, ["钱往届"]),
        (lambda r: {"q": "王"}, ["王经济"]),
    ],
    ids=["sector", "affiliation", "term", "standing_committee", "seated", "q"],
)
def test_member_list_filters(api, roster, query: Callable[[dict[str, Any]], dict[str, Any]], expected):
    assert names(api["staff"].get(f"{API}/c/city/members", query(roster))) == expected


def test_member_list_filter_by_another_councils_sector_finds_nothing(api, cast, roster):
    foreign = SectorFactory(council=cast.other_city)
    roster["stranger"].sector = foreign
    roster["stranger"].save()
    assert names(api["staff"].get(f"{API}/c/city/members", {"sector": foreign.pk})) == []


def test_member_list_pages(api, roster):
    first = api["staff"].get(f"{API}/c/city/members", {"page_size": 3}).json()
    second = api["staff"].get(f"{API}/c/city/members", {"page_size": 3, "page": 2}).json()
    beyond = api["staff"].get(f"{API}/c/city/members", {"page_size": 3, "page": 9}).json()
    assert (first["count"], first["pages"], len(first["items"])) == (4, 2, 3)
    assert [m["full_name"] for m in second["items"]] == ["钱往届"]
    assert beyond["items"] == [] and beyond["count"] == 4


def test_member_list_rejects_a_page_size_over_100(api):
    response = api["staff"].get(f"{API}/c/city/members", {"page_size": 101})
    assert response.status_code == 422
    assert "page_size" in response.json()["errors"]


def test_member_list_query_count_does_not_grow_with_the_page(api, cast, django_assert_num_queries):
    for _ in range(15):
        MemberFactory(council=cast.city, term=cast.term, sector=SectorFactory(council=cast.city))
    # session, user, council, roles, the council's second-factor setting
    # (staff session without a code), count, page; then the session is saved
    # (savepoint, update, release) because sessions expire after idle time.
    with django_assert_num_queries(7):
        response = api["staff"].get(f"{API}/c/city/members")
    assert len(response.json()["items"]) == 16


def test_staff_see_masked_numbers_and_never_the_full_ones(api, roster):
    response = api["staff"].get(f"{API}/c/city/members/{roster['wang'].pk}")
    body = response.json()
    assert body["mobile"] == "138****5678"
    assert body["id_number"] == "110***********002X"
    assert body["personal_data_masked"] is True
    listing = api["staff"].get(f"{API}/c/city/members").content.decode()
    for content in (response.content.decode(), listing):
        assert "13812345678" not in content
        assert ID_NUMBER not in content


def test_council_administrator_sees_full_numbers_and_the_reading_is_audited(api, roster):
    body = api["admin"].get(f"{API}/c/city/members/{roster['wang'].pk}").json()
    assert (body["mobile"], body["id_number"], body["personal_data_masked"]) == (
        "13812345678",
        ID_NUMBER,
        False,
    )
    entry = AuditEntry.objects.get(action="member.personal_data_read")
    assert (entry.username, entry.council_slug, entry.data["member_ids"]) == (
        "admin",
        "city",
        [roster["wang"].pk],
    )
    api["admin"].get(f"{API}/c/city/members", {"q": "王"})
    assert AuditEntry.objects.filter(action="member.personal_data_read").count() == 2


def test_masked_answers_are_not_audited_as_personal_data_reads(api, roster):
    api["staff"].get(f"{API}/c/city/members")
    api["staff"].get(f"{API}/c/city/members/{roster['wang'].pk}")
    assert not AuditEntry.objects.filter(action="member.personal_data_read").exists()


def test_member_detail_lists_groups(api, cast, roster):
    group = MemberGroupFactory(council=cast.city, name="第一联系小组")
    roster["wang"].groups.add(group)
    body = api["staff"].get(f"{API}/c/city/members/{roster['wang'].pk}").json()
    assert body["groups"] == [{"id": group.pk, "name": "第一联系小组"}]
    assert body["sector"] == {"id": roster["sector"].pk, "name": "经济界"}


# --- Members: create -------------------------------------------------------------------


def new_member_data() -> Iterator[dict[str, Any]]:
    for n in count():
        yield {"full_name": f"新委员{n}", "gender": "male", "mobile": f"137{n:08d}"}


def test_creating_members_follows_the_permission_table(api):
    payloads = new_member_data()
    run_permission_matrix(
        clients=api,
        method="post",
        url=f"{API}/c/city/members",
        data=lambda: next(payloads),
        expectations=expectations({"admin", "staff", "platform"}, status=201, changes=True),
        snapshot=member_snapshot,
    )


def test_staff_seat_a_member_in_the_current_term(api, cast):
    sector = SectorFactory(council=cast.city)
    group = MemberGroupFactory(council=cast.city)
    response = api["staff"].post(
        f"{API}/c/city/members",
        {
            "full_name": "孙新",
            "gender": "female",
            "id_number": ID_NUMBER.lower(),
            "mobile": "13900001111",
            "sector_id": sector.pk,
            "group_ids": [group.pk],
        },
    )
    assert response.status_code == 201, response.content
    member = Member.objects.get(full_name="孙新")
    assert (member.council, member.term, member.sector, member.id_number) == (
        cast.city,
        cast.term,
        sector,
        ID_NUMBER,
    )
    assert list(member.groups.all()) == [group]
    assert str(member.birth_date) == "1949-12-31"  # taken from the ID number, as on the page
    assert response.json()["mobile"] == "139****1111"
    assert AuditEntry.objects.filter(action="member.create", object_id=str(member.pk)).exists()


@pytest.mark.parametrize("field", ["sector_id", "affiliation_id", "term_id", "group_ids"])
def test_another_councils_ids_are_refused_and_nothing_is_created(api, cast, field):
    foreign = {
        "sector_id": lambda: SectorFactory(council=cast.other_city).pk,
        "affiliation_id": lambda: AffiliationFactory(council=cast.other_city).pk,
        "term_id": lambda: TermFactory(council=cast.other_city).pk,
        "group_ids": lambda: [MemberGroupFactory(council=cast.other_city).pk],
    }[field]()
    with assert_nothing_changed(Member):
        response = api["staff"].post(
            f"{API}/c/city/members", {"full_name": "越界", "gender": "male", field: foreign}
        )
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_a_mistyped_id_number_is_refused_with_a_readable_message(api):
    with assert_nothing_changed(Member):
        body = {"full_name": "错号", "gender": "male", "id_number": "110105194912310021"}
        response = api["staff"].post(f"{API}/c/city/members", body)
    assert response.status_code == 400
    assert "check digit" in response.json()["errors"]["id_number"][0]


def test_a_duplicate_mobile_in_the_term_is_refused(api, cast):
    response = api["staff"].post(
        f"{API}/c/city/members", {"full_name": "重号", "gender": "male", "mobile": cast.member_record.mobile}
    )
    assert response.status_code == 400
    assert "mobile" in response.json()["errors"]


def test_a_body_that_does_not_fit_the_schema_gives_422_with_field_messages(api):
    response = api["staff"].post(f"{API}/c/city/members", {"full_name": "", "gender": "other"})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"full_name", "gender"}


def test_control_characters_are_taken_out_of_text(api):
    response = api["staff"].post(f"{API}/c/city/members", {"full_name": "a\x00b\u200b", "gender": "male"})
    assert response.status_code == 201
    assert Member.objects.filter(full_name="ab").exists()


# --- Members: change -------------------------------------------------------------------


def test_changing_members_follows_the_permission_table(api, cast):
    member = cast.member_record

    def payload() -> dict[str, Any]:
        member.refresh_from_db()
        return {"version": member.version, "employer_title": f"第{member.version}版"}

    run_permission_matrix(
        clients=api,
        method="patch",
        url=f"{API}/c/city/members/{member.pk}",
        data=payload,
        expectations=expectations({"admin", "staff", "platform"}, changes=True),
        snapshot=member_snapshot,
        order=[n for n in expectations(set()) if n not in {"admin", "staff", "platform"}]
        + ["admin", "staff", "platform"],
    )


def test_patch_changes_only_the_fields_sent(api, cast, roster):
    wang = roster["wang"]
    response = api["staff"].patch(
        f"{API}/c/city/members/{wang.pk}", {"version": wang.version, "full_name": "王改名", "sector_id": None}
    )
    assert response.status_code == 200, response.content
    wang.refresh_from_db()
    assert (wang.full_name, wang.sector, wang.version) == ("王改名", None, 2)
    assert wang.mobile == "13812345678"  # not sent: kept
    assert wang.is_standing_committee_member is True
    assert response.json()["version"] == 2


def test_a_stale_patch_gives_409_and_changes_nothing(api, cast):
    member = cast.member_record
    stale = member.version
    assert (
        api["staff"]
        .patch(f"{API}/c/city/members/{member.pk}", {"version": stale, "full_name": "先改"})
        .status_code
        == 200
    )
    with assert_nothing_changed(Member):
        response = api["admin"].patch(
            f"{API}/c/city/members/{member.pk}", {"version": stale, "full_name": "后改"}
        )
    assert response.status_code == 409
    assert response.json()["detail"]


def test_patch_without_version_is_refused(api, cast):
    response = api["staff"].patch(f"{API}/c/city/members/{cast.member_record.pk}", {"full_name": "无版本"})
    assert response.status_code == 422
    assert "version" in response.json()["errors"]


def test_patch_cannot_empty_a_required_field(api, cast):
    member = cast.member_record
    response = api["staff"].patch(
        f"{API}/c/city/members/{member.pk}", {"version": member.version, "full_name": None}
    )
    assert response.status_code == 400
    assert "full_name" in response.json()["errors"]


def test_patch_with_another_councils_sector_changes_nothing(api, cast):
    member = cast.member_record
    foreign = SectorFactory(council=cast.other_city)
    with assert_nothing_changed(Member):
        response = api["staff"].patch(
            f"{API}/c/city/members/{member.pk}", {"version": member.version, "sector_id": foreign.pk}
        )
    assert response.status_code == 400


def test_patch_of_another_councils_member_is_not_found(api, cast):
    stranger = MemberFactory(council=cast.other_city)
    with assert_nothing_changed(Member):
        response = api["admin"].patch(
            f"{API}/c/city/members/{stranger.pk}", {"version": 1, "full_name": "越界"}
        )
    assert response.status_code == 404


# --- Structure lists -------------------------------------------------------------------


def test_structure_lists_show_only_this_councils_bodies(api, cast):
    SectorFactory(council=cast.city, name="文艺界")
    SectorFactory(council=cast.other_city, name="外市界别")
    AffiliationFactory(council=cast.city, name="民建")
    MemberGroupFactory(council=cast.city, name="监督员小组", kind="supervisors")
    HandlingUnitFactory(council=cast.city, name="市教育局", short_name="教育局")
    listing = {
        path: [item["name"] for item in api["member"].get(f"{API}/c/city/{path}").json()["items"]]
        for path in ("sectors", "affiliations", "groups", "units")
    }
    assert listing["sectors"] == ["文艺界"]
    assert listing["affiliations"] == ["民建"]
    assert listing["groups"] == ["监督员小组"]
    assert "市教育局" in listing["units"]
    unit = api["member"].get(f"{API}/c/city/units").json()["items"]
    assert {"short_name", "contact_phone"} <= set(unit[0])


# --- Notifications ---------------------------------------------------------------------


@pytest.fixture
def inbox(cast) -> dict[str, Notification]:
    def note(user: Any, council: Any, title: str, read: bool = False) -> Notification:
        return Notification.objects.create(
            recipient=user, council=council, title=title, read_at=timezone.now() if read else None
        )

    return {
        "mine": note(cast.member, cast.city, "新提案待审"),
        "mine_read": note(cast.member, cast.city, "会议通知", read=True),
        "other_council": note(cast.member, cast.province, "省里的消息"),
        "someone_else": note(cast.staff, cast.city, "给工作人员的"),
    }


def test_notifications_are_the_users_own_in_this_council(api, inbox):
    body = api["member"].get(f"{API}/c/city/notifications").json()
    assert sorted(item["title"] for item in body["items"]) == ["会议通知", "新提案待审"]
    unread = api["member"].get(f"{API}/c/city/notifications", {"unread": "true"}).json()
    assert [item["title"] for item in unread["items"]] == ["新提案待审"]


def test_marking_a_notification_read(api, inbox):
    response = api["member"].post(f"{API}/c/city/notifications/{inbox['mine'].pk}/read")
    assert response.status_code == 200
    assert response.json()["is_read"] is True
    inbox["mine"].refresh_from_db()
    assert inbox["mine"].read_at is not None


def test_someone_elses_notification_is_not_found_and_stays_unread(api, inbox):
    for key in ("someone_else", "other_council"):
        response = api["member"].post(f"{API}/c/city/notifications/{inbox[key].pk}/read")
        assert response.status_code == 404
        inbox[key].refresh_from_db()
        assert inbox[key].read_at is None


def test_read_all_marks_only_the_users_messages_in_this_council(api, inbox):
    response = api["member"].post(f"{API}/c/city/notifications/read-all")
    assert response.json() == {"marked_read": 1}
    for key, read in (("mine", True), ("other_council", False), ("someone_else", False)):
        inbox[key].refresh_from_db()
        assert (inbox[key].read_at is not None) is read, key


def test_notification_writes_refuse_anonymous_and_outsiders(api, inbox):
    url = f"{API}/c/city/notifications/read-all"
    assert api["anonymous"].post(url).status_code == 401
    assert api["outsider"].post(url).status_code == 404
    assert Notification.objects.filter(read_at__isnull=False).count() == 1


def test_a_user_without_any_role_is_not_found_anywhere(api, cast):
    client = Client()
    client.force_login(UserFactory(), backend="xieshang.accounts.backends.UsernameOrMobileBackend")
    assert client.get(f"{API}/c/city").status_code == 404
    assert client.get(f"{API}/councils").json()["count"] == 0


@pytest.mark.parametrize(
    ("path", "status"),
    [
        (f"/c/city/members/{2**63 - 1}", 404),
        (f"/c/city/members/{2**63}", 422),
        ("/c/city/members/0", 422),
        ("/c/city/members?page=1000000&page_size=100", 200),
        ("/c/city/members?page=1000001", 422),
        # Control characters are taken out of text: this searches for nothing.
        ("/c/city/members?q=%00", 200),
        ("/c/ci%00ty/members", 422),
    ],
)
def test_extreme_ids_and_pages_are_answered_without_a_server_error(api, path, status):
    assert api["staff"].get(API + path).status_code == status
