"""Granting a role to a member found with the person picker: the member's
own login gets the role; a member of another council, or one without a
login, is refused next to the field and nothing changes."""

from __future__ import annotations

import pytest

from xieshang.core.testing import assert_nothing_changed, parse_html
from xieshang.councils.models import CouncilRole, Role
from xieshang.councils.tests.factories import MemberFactory, TermFactory, UserFactory

pytestmark = pytest.mark.django_db

GRANT = "/c/city/admin/roles/grant/"


def test_a_member_chosen_in_the_picker_gets_the_role(clients, cast):
    user = UserFactory(username="wang")
    member = MemberFactory(council=cast.city, term=cast.term, user=user, full_name="王委员")
    response = clients["admin"].post(GRANT, {"member": member.pk, "role": Role.STAFF})
    assert response.status_code == 302
    assert CouncilRole.objects.filter(council=cast.city, user=user, role=Role.STAFF).exists()


def test_the_roles_page_offers_the_picker(clients):
    page = parse_html(clients["admin"].get("/c/city/admin/roles/").content)
    select = page.one("select", name="member")
    assert select.attrs["data-person-picker"] == "/c/city/members/pick/"


@pytest.mark.parametrize("case", ["another-council", "no-login", "nobody"])
def test_a_member_who_cannot_be_granted_is_refused_next_to_the_field(clients, cast, case):
    if case == "another-council":
        term = TermFactory(council=cast.other_city)
        data = {"member": MemberFactory(council=cast.other_city, term=term, user=UserFactory()).pk}
        field = "member"
    elif case == "no-login":
        data = {"member": MemberFactory(council=cast.city, term=cast.term, user=None).pk}
        field = "member"
    else:
        data, field = {}, "login"
    with assert_nothing_changed(CouncilRole):
        response = clients["admin"].post(GRANT, {**data, "role": Role.STAFF})
    assert response.status_code == 400
    assert response.context["form"].errors[field]
