"""The header search: members by name, for those who may see members."""

from __future__ import annotations

import pytest

from xieshang.councils.tests.factories import MemberFactory, TermFactory

pytestmark = pytest.mark.django_db

SEARCH = "/c/city/search/"


def test_members_are_found_by_part_of_the_name_and_linked(clients, cast):
    zhang = MemberFactory(council=cast.city, term=cast.term, full_name="张建国")
    MemberFactory(council=cast.city, term=cast.term, full_name="李四")
    response = clients["staff"].get(SEARCH, {"q": "建国"})
    assert response.status_code == 200
    assert response.context["members"] == [zhang]
    assert f'href="/c/city/members/{zhang.pk}/"' in response.content.decode()


def test_seated_members_come_first(clients, cast):
    old = MemberFactory(council=cast.city, term=cast.term, full_name="王一", is_active=False)
    new = MemberFactory(council=cast.city, term=cast.term, full_name="王二")
    assert clients["leader"].get(SEARCH, {"q": "王"}).context["members"] == [new, old]


def test_members_of_other_councils_are_never_found(clients, cast):
    MemberFactory(council=cast.other_city, term=TermFactory(council=cast.other_city), full_name="外市张三")
    response = clients["staff"].get(SEARCH, {"q": "张三"})
    assert response.context["members"] == []
    assert 'data-testid="search-empty"' in response.content.decode()


def test_roles_that_may_not_see_members_find_none(clients, cast):
    MemberFactory(council=cast.city, term=cast.term, full_name="张三")
    for name in ("member", "liaison", "oversight"):
        response = clients[name].get(SEARCH, {"q": "张三"})
        assert response.status_code == 200, name
        assert response.context["members"] == [], name
        assert "张三" not in response.content.decode().split('name="q"')[1].split("</form>")[1], name
        assert 'data-testid="search-unavailable"' in response.content.decode(), name


def test_outsiders_and_upper_staff_do_not_reach_the_search(clients):
    assert clients["outsider"].get(SEARCH, {"q": "张"}).status_code == 404
    assert clients["upper"].get(SEARCH, {"q": "张"}).status_code == 403
    assert clients["anonymous"].get(SEARCH, {"q": "张"}).status_code == 302


def test_many_matches_are_cut_at_fifty_and_say_so(clients, cast):
    for i in range(52):
        MemberFactory(council=cast.city, term=cast.term, full_name=f"赵{i:02d}")
    response = clients["staff"].get(SEARCH, {"q": "赵"})
    assert len(response.context["members"]) == 50
    assert response.context["truncated"] is True


def test_an_empty_query_searches_nothing(clients, cast):
    response = clients["staff"].get(SEARCH, {"q": "  "})
    assert response.context["members"] == []
    assert 'data-testid="search-empty"' not in response.content.decode()
