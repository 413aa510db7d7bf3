"""The member roster list and its Excel export.

Who may do what (cast from conftest.py): admin, staff, leader and the
platform administrator see the roster; admin and staff (and the platform)
export it; only admin and the platform see full personal numbers.
"""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from xieshang.core.models import AuditEntry
from xieshang.core.testing import Expect, run_permission_matrix
from xieshang.councils.models import Member, MemberGroup, SpecialCommittee
from xieshang.councils.tests.factories import (
    AffiliationFactory,
    MemberFactory,
    MemberGroupFactory,
    SectorFactory,
    TermFactory,
)
from xieshang.councils.tests.test_members_validation import make_id

pytestmark = pytest.mark.django_db

LIST = "/c/city/members/"
EXPORT = "/c/city/members/export.xlsx"


def seat(cast, n: int, **extra) -> list[Member]:
    return [
        MemberFactory(
            council=cast.city,
            term=cast.term,
            full_name=f"测试委员{i:03d}",
            id_number=make_id(sequence=f"{i:03d}"),
            mobile=f"1370000{i:04d}",
            **extra,
        )
        for i in range(n)
    ]


def names(response) -> list[str]:
    return [m.full_name for m in response.context["page"].object_list]


def test_roster_is_visible_to_office_and_leaders_only(clients):
    expected = {
        "admin": 200,
        "staff": 200,
        "leader": 200,
        "platform": 200,
        "member": 403,
        "liaison": 403,
        "oversight": 403,
        "upper": 403,
        "outsider": 404,
        "anonymous": 302,
    }
    for name, status in expected.items():
        assert clients[name].get(LIST).status_code == status, name


def test_list_shows_masked_mobile_and_id_number_only(clients, cast):
    (member,) = seat(cast, 1)
    for name in ("admin", "staff", "leader"):
        body = clients[name].get(LIST).content.decode()
        assert member.masked_mobile in body
        assert member.masked_id_number in body
        assert member.mobile not in body
        assert member.id_number not in body
    assert member.masked_mobile == f"{member.mobile[:3]}****{member.mobile[-4:]}"


def test_filters_narrow_the_roster(clients, cast):
    sector = SectorFactory(council=cast.city, name="教育界")
    affiliation = AffiliationFactory(council=cast.city, name="民盟")
    committee = SpecialCommittee.objects.create(council=cast.city, name="提案委员会")
    group = MemberGroupFactory(council=cast.city, name="第一联系小组")
    teacher = MemberFactory(council=cast.city, term=cast.term, full_name="王老师", sector=sector)
    league = MemberFactory(council=cast.city, term=cast.term, full_name="赵盟员", affiliation=affiliation)
    standing = MemberFactory(
        council=cast.city, term=cast.term, full_name="钱常委", is_standing_committee_member=True
    )
    retired = MemberFactory(council=cast.city, term=cast.term, full_name="孙前委员", is_active=False)
    standing.special_committees.add(committee)
    teacher.groups.add(group)
    old_term = TermFactory(council=cast.city, number=13, is_current=False)
    earlier = MemberFactory(council=cast.city, term=old_term, full_name="周旧届")
    client = clients["staff"]

    assert names(client.get(LIST, {"sector": sector.pk})) == [teacher.full_name]
    assert names(client.get(LIST, {"affiliation": affiliation.pk})) == [league.full_name]
    assert names(client.get(LIST, {"committee": committee.pk})) == [standing.full_name]
    assert names(client.get(LIST, {"group": group.pk})) == [teacher.full_name]
    assert names(client.get(LIST, {"standing": "yes"})) == [standing.full_name]
    assert names(client.get(LIST, {"seated": "no"})) == [retired.full_name]
    assert names(client.get(LIST, {"term": old_term.pk})) == [earlier.full_name]
    assert names(client.get(LIST, {"q": "老师"})) == [teacher.full_name]
    assert retired.full_name not in names(client.get(LIST, {"seated": "yes"}))


def test_another_councils_sector_in_the_filter_shows_nothing(clients, cast):
    seat(cast, 3)
    foreign = SectorFactory(council=cast.other_city)
    response = clients["staff"].get(LIST, {"sector": foreign.pk})
    assert response.status_code == 200
    assert names(response) == []


def test_columns_sort_both_ways(clients, cast):
    for name in ("乙", "甲", "丙"):
        MemberFactory(council=cast.city, term=cast.term, full_name=f"委员{name}")
    client = clients["staff"]
    ascending = [n for n in names(client.get(LIST, {"sort": "name"})) if n.startswith("委员")]
    descending = [n for n in names(client.get(LIST, {"sort": "-name"})) if n.startswith("委员")]
    assert ascending == sorted(ascending)
    assert descending == list(reversed(ascending))


def test_page_size_and_page_links_keep_the_filters(clients, cast):
    seat(cast, 60)
    client = clients["staff"]
    response = client.get(LIST, {"q": "测试", "per_page": 50})
    assert len(names(response)) == 50
    body = response.content.decode()
    assert "q=%E6%B5%8B%E8%AF%95&amp;per_page=50&amp;page=2" in body
    second = client.get(LIST, {"q": "测试", "per_page": 50, "page": 2})
    assert len(names(second)) == 10
    assert len(names(client.get(LIST, {"per_page": 100}))) == 61  # with the cast's member


def test_sort_links_keep_the_filters(clients, cast):
    seat(cast, 2)
    body = clients["staff"].get(LIST, {"seated": "yes", "page": 1}).content.decode()
    assert "?seated=yes&amp;sort=-name" in body  # name is sorted ascending now
    assert "?seated=yes&amp;sort=sector" in body


def test_totals_count_seated_and_standing_members(clients, cast):
    seat(cast, 2, is_standing_committee_member=True)
    seat_more = MemberFactory(council=cast.city, term=cast.term, is_active=False)
    response = clients["staff"].get(LIST)
    assert response.context["page"].paginator.count == 4  # with the cast's member
    assert response.context["totals"] == {"seated": 3, "standing": 2}
    assert seat_more.full_name in response.content.decode()


def test_rows_carry_labels_for_the_phone_card_layout(clients, cast):
    seat(cast, 1)
    body = clients["staff"].get(LIST).content.decode()
    assert 'class="table table-hover align-middle responsive-cards"' in body
    assert body.count("data-label=") >= 9


def test_an_empty_roster_says_what_to_do(clients, cast):
    Member.objects.all().delete()
    admin_page = clients["admin"].get(LIST).content.decode()
    assert 'data-testid="member-empty"' in admin_page
    assert "/c/city/members/import/" in admin_page
    assert "/c/city/members/new/" in admin_page
    staff_page = clients["staff"].get(LIST).content.decode()
    assert "/c/city/members/new/" in staff_page
    assert "/c/city/members/import/" not in staff_page  # staff do not import


def test_a_filter_without_matches_offers_to_clear_it(clients, cast):
    response = clients["staff"].get(LIST, {"q": "没有这个人"})
    body = response.content.decode()
    assert 'data-testid="member-empty"' in body
    assert response.context["has_filters"] is True


@pytest.mark.parametrize("count", [5, 50])
def test_list_query_count_does_not_grow_with_members(clients, cast, count, django_assert_num_queries):
    seat(cast, count)
    sector = SectorFactory(council=cast.city)
    Member.objects.filter(council=cast.city).update(sector=sector)
    client = clients["staff"]
    client.get(LIST)  # warm the session and content types
    with django_assert_num_queries(16):
        response = client.get(LIST, {"per_page": 100})
    assert len(names(response)) == count + 1


def _sheet_rows(response):
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    return list(workbook.worksheets[0].iter_rows(values_only=True))


def test_export_holds_exactly_the_filtered_rows_and_is_audited(clients, cast):
    sector = SectorFactory(council=cast.city, name="经济界")
    chosen = seat(cast, 3, sector=sector)
    seat_other = MemberFactory(council=cast.city, term=cast.term, full_name="其他界别委员")
    response = clients["staff"].get(EXPORT, {"sector": sector.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _sheet_rows(response)
    assert rows[0][0] == "姓名"
    exported = {row[0] for row in rows[1:]}
    assert exported == {m.full_name for m in chosen}
    assert seat_other.full_name not in exported
    entry = AuditEntry.objects.filter(action="member.export").get()
    assert entry.data["count"] == 3
    assert entry.data["full_personal_data"] is False
    assert entry.username == "staff"


def test_staff_export_masks_personal_numbers(clients, cast):
    (member,) = seat(cast, 1)
    rows = _sheet_rows(clients["staff"].get(EXPORT, {"q": member.full_name}))
    assert rows[1][4] == member.masked_id_number
    assert rows[1][5] == member.masked_mobile
    assert member.id_number not in str(rows)


def test_admin_export_has_full_personal_numbers(clients, cast):
    (member,) = seat(cast, 1)
    rows = _sheet_rows(clients["admin"].get(EXPORT, {"q": member.full_name}))
    assert rows[1][4] == member.id_number
    assert rows[1][5] == member.mobile
    assert AuditEntry.objects.get(action="member.export").data["full_personal_data"] is True


def test_export_lists_committees_and_groups_by_name(clients, cast):
    (member,) = seat(cast, 1)
    member.special_committees.add(SpecialCommittee.objects.create(council=cast.city, name="经济委员会"))
    member.groups.add(MemberGroup.objects.create(council=cast.city, name="监督小组", kind="supervisors"))
    rows = _sheet_rows(clients["staff"].get(EXPORT, {"q": member.full_name}))
    assert rows[1][10] == "经济委员会"
    assert rows[1][11] == "监督小组"


def test_export_permission_matrix(clients, cast):
    seat(cast, 2)
    allowed = Expect(200, changes=True)
    run_permission_matrix(
        clients=clients,
        method="get",
        url=EXPORT,
        snapshot=lambda: AuditEntry.objects.filter(action="member.export").count(),
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


def test_a_bad_page_size_or_sort_falls_back_to_the_default(clients, cast):
    seat(cast, 25)
    response = clients["staff"].get(LIST, {"per_page": 30, "sort": "salary"})
    assert len(names(response)) == 20
    assert names(response) == names(clients["staff"].get(LIST, {"sort": "name"}))
