"""The person picker's search (/members/pick/) and the pinyin key it
matches: by name, pinyin, initials, sector and group; one page at a time;
only this council's seated members; only for those who may pick."""

from __future__ import annotations

import pytest

from xieshang.core.pinyin import search_key, search_text
from xieshang.core.testing import assert_nothing_changed
from xieshang.councils.models import Gender, Member
from xieshang.councils.tests.factories import MemberFactory, MemberGroupFactory, SectorFactory, TermFactory

pytestmark = pytest.mark.django_db

PICK = "/c/city/members/pick/"


def found(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("张三", "zhangsan|zs"),
        ("欧阳娜娜", "ouyangnana|oynn"),
        ("单田芳", "dantianfang|dtf|shantianfang|stf"),
        ("", ""),
    ],
    ids=["plain", "four-characters", "surname-reading", "empty"],
)
def test_search_key_holds_full_pinyin_and_initials(name, key):
    assert search_key(name) == key


def test_search_text_drops_case_and_blanks():
    assert search_text(" Zhang San ") == "zhangsan"


def test_saving_a_member_keeps_the_key_of_its_name(cast):
    member = MemberFactory(council=cast.city, term=cast.term, full_name="张三")
    assert member.search_key == "zhangsan|zs"
    member.full_name = "李四"
    member.save(update_fields=["full_name"])
    member.refresh_from_db()
    assert member.search_key == "lisi|ls"


@pytest.mark.parametrize(
    "query",
    ["张三", "zs", "ZS", "zhangsan", "zhang san", "经济界", "青年委员小组"],
    ids=["name", "initials", "initials-upper", "pinyin", "pinyin-with-blank", "sector", "group"],
)
def test_search_finds_by_name_pinyin_initials_sector_and_group(cast, clients, query):
    sector = SectorFactory(council=cast.city, name="经济界")
    group = MemberGroupFactory(council=cast.city, name="青年委员小组")
    zhang = MemberFactory(council=cast.city, term=cast.term, full_name="张三", sector=sector)
    zhang.groups.add(group)
    MemberFactory(council=cast.city, term=cast.term, full_name="王五")
    MemberFactory(council=cast.city, term=cast.term, full_name="赵六")
    assert found(clients["staff"].get(PICK, {"q": query})) == ["张三"]


def test_the_answer_names_the_sector(cast, clients):
    sector = SectorFactory(council=cast.city, name="经济界")
    zhang = MemberFactory(council=cast.city, term=cast.term, full_name="张三", sector=sector)
    body = clients["staff"].get(PICK, {"q": "zs"}).json()
    assert body == {"results": [{"id": zhang.pk, "name": "张三", "detail": "经济界"}], "more": False}


def test_another_councils_member_is_never_returned(cast, clients):
    other_term = TermFactory(council=cast.other_city)
    MemberFactory(council=cast.other_city, term=other_term, full_name="张三")
    mine = MemberFactory(council=cast.city, term=cast.term, full_name="张珊")
    for query in ("张", "zs", "zhang", ""):
        response = clients["staff"].get(PICK, {"q": query})
        ids = [row["id"] for row in response.json()["results"]]
        assert mine.pk in ids
        assert not Member.objects.filter(pk__in=ids).exclude(council=cast.city).exists()


def test_members_who_left_are_not_offered(cast, clients):
    MemberFactory(council=cast.city, term=cast.term, full_name="张三", is_active=False)
    assert found(clients["staff"].get(PICK, {"q": "zs"})) == []


def test_term_and_exclusion_narrow_the_search(cast, clients):
    old_term = TermFactory(council=cast.city, number=cast.term.number + 1, is_current=False)
    MemberFactory(council=cast.city, term=old_term, full_name="张三")
    me = MemberFactory(council=cast.city, term=cast.term, full_name="张山")
    other = MemberFactory(council=cast.city, term=cast.term, full_name="张珊")
    response = clients["staff"].get(PICK, {"q": "zs", "term": cast.term.pk, "exclude": me.pk})
    assert [row["id"] for row in response.json()["results"]] == [other.pk]


def test_a_name_with_markup_comes_back_as_data(cast, clients):
    MemberFactory(council=cast.city, term=cast.term, full_name="<script>alert(1)</script>")
    response = clients["staff"].get(PICK, {"q": "script"})
    assert response["Content-Type"] == "application/json"
    assert found(response) == ["<script>alert(1)</script>"]


@pytest.mark.parametrize("who", ["staff", "admin", "leader", "member"])
def test_those_who_choose_people_may_search(clients, who):
    assert clients[who].get(PICK).status_code == 200


@pytest.mark.parametrize("who", ["liaison", "oversight", "upper"])
def test_others_are_refused_and_nothing_changes(cast, clients, who):
    MemberFactory(council=cast.city, term=cast.term, full_name="张三")
    with assert_nothing_changed(Member, denied=True):
        response = clients[who].get(PICK, {"q": "zs"})
    assert response.status_code == 403
    assert b"\xe5\xbc\xa0\xe4\xb8\x89" not in response.content  # 张三


def test_an_outsider_finds_no_such_council(cast, clients):
    with assert_nothing_changed(Member):
        assert clients["outsider"].get(PICK, {"q": "zs"}).status_code == 404


def test_a_query_too_long_is_refused(clients):
    assert clients["staff"].get(PICK, {"q": "张" * 51}).status_code == 400


def seat_many(cast, count: int) -> None:
    sector = SectorFactory(council=cast.city, name="经济界")
    rows = []
    for i in range(count):
        name = f"张三{i:04d}"
        rows.append(
            Member(
                council=cast.city,
                term=cast.term,
                full_name=name,
                search_key=search_key(name),
                gender=Gender.MALE,
                sector=sector,
            )
        )
    Member.objects.bulk_create(rows, batch_size=500)


# The frame: session, user, council, roles, the second-factor setting, and
# once the session has recorded its activity (a write at most once a minute),
# one query: the page.
QUERIES = 6


@pytest.mark.parametrize("count", [30, 3000], ids=["thirty", "three-thousand"])
def test_one_page_costs_the_same_queries_at_any_size(cast, clients, django_assert_num_queries, count):
    seat_many(cast, count)
    client = clients["staff"]
    client.get(PICK)  # the session is warm
    with django_assert_num_queries(QUERIES):
        response = client.get(PICK, {"q": "zs"})
    body = response.json()
    assert len(body["results"]) == 20
    assert body["more"] is True
    assert [row["name"] for row in body["results"]] == [f"张三{i:04d}" for i in range(20)]


def test_pages_follow_each_other(cast, clients):
    seat_many(cast, 45)
    client = clients["staff"]
    pages = [client.get(PICK, {"q": "zhang", "page": n}).json() for n in (1, 2, 3)]
    names = [row["name"] for page in pages for row in page["results"]]
    assert len(names) == 45 == len(set(names))
    assert [page["more"] for page in pages] == [True, True, False]


def test_the_roster_search_finds_by_initials_too(cast, clients):
    MemberFactory(council=cast.city, term=cast.term, full_name="张三")
    MemberFactory(council=cast.city, term=cast.term, full_name="王五")
    response = clients["staff"].get("/c/city/members/", {"q": "zs"})
    assert [m.full_name for m in response.context["page"].object_list] == ["张三"]


def test_the_widget_renders_only_the_chosen_people(cast):
    from django import forms

    from xieshang.core.testing import parse_html
    from xieshang.councils.forms.picker import use_member_picker

    chosen, _other = (MemberFactory(council=cast.city, term=cast.term, full_name=n) for n in ("张三", "王五"))

    class Form(forms.Form):
        members = forms.ModelMultipleChoiceField(queryset=Member.objects.filter(council=cast.city))

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            use_member_picker(self.fields["members"], cast.city, term_id=cast.term.pk)

    select = parse_html(str(Form(initial={"members": [chosen.pk]})["members"])).one("select")
    assert [(o.attrs["value"], o.text, "selected" in o.attrs) for o in select.find_all("option")] == [
        (str(chosen.pk), "张三", True)
    ]
    assert select.attrs["data-person-picker"] == f"/c/city/members/pick/?term={cast.term.pk}"
