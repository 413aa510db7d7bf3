"""Turning the ids a request names into this council's rows: another
council's row answers exactly like a missing one, and a user counts only
when they hold a role in this council."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from xieshang.accounts.models import User
from xieshang.councils.models import Council, HandlingUnit, Role
from xieshang.councils.queries import council_row, council_rows, lower_council, parent_council
from xieshang.councils.roles import Actor
from xieshang.councils.tenancy import build_actor
from xieshang.councils.tests.factories import (
    CouncilFactory,
    CouncilRoleFactory,
    HandlingUnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
MISSING = 10**9


def staff_actor(cast) -> Actor:
    actor = build_actor(cast.staff, cast.city)
    assert actor is not None
    return actor


def error_of(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        call()
    return raised.value.message_dict


def test_rows_come_back_in_the_order_given_and_each_once(cast):
    first, second = HandlingUnitFactory(council=cast.city), HandlingUnitFactory(council=cast.city)
    rows = council_rows(staff_actor(cast), HandlingUnit, [second.pk, first.pk, second.pk], field="unit_ids")
    assert rows == [second, first]


def test_another_councils_id_is_refused_like_a_missing_one(cast):
    actor = staff_actor(cast)
    theirs = HandlingUnitFactory(council=cast.other_city)
    foreign = error_of(lambda: council_rows(actor, HandlingUnit, [theirs.pk], field="unit_ids"))
    missing = error_of(lambda: council_rows(actor, HandlingUnit, [MISSING], field="unit_ids"))
    assert foreign == missing
    assert list(foreign) == ["unit_ids"]


def test_an_id_from_the_url_is_a_404_for_another_council_and_for_none(cast):
    actor = staff_actor(cast)
    theirs = HandlingUnitFactory(council=cast.other_city)
    for pk in (theirs.pk, MISSING):
        with pytest.raises(Http404):
            council_row(actor, HandlingUnit, pk)


def test_a_narrower_queryset_is_still_read_within_the_council(cast):
    actor = staff_actor(cast)
    closed = HandlingUnitFactory(council=cast.city, is_active=False)
    theirs = HandlingUnitFactory(council=cast.other_city)
    active = HandlingUnit.objects.filter(is_active=True)
    for unit in (closed, theirs):
        assert error_of(lambda unit=unit: council_row(actor, active, unit.pk, field="unit_id"))
    assert council_row(actor, active, None, field="unit_id") is None


def test_a_user_counts_only_with_a_role_in_this_council(cast):
    actor = staff_actor(cast)
    assert council_row(actor, User, cast.leader.pk, field="user_id") == cast.leader
    nobody = UserFactory(username="nobody")
    for user in (cast.outsider, cast.upper, nobody):
        found = error_of(
            lambda user=user: council_row(actor, User, user.pk, field="user_id", message="Pick one.")
        )
        assert found == {"user_id": ["Pick one."]}


def test_users_of_a_narrower_queryset_must_also_hold_a_role_here(cast):
    actor = staff_actor(cast)
    leaders_anywhere = User.objects.filter(council_roles__role=Role.LEADER)
    elsewhere = UserFactory(username="chair-elsewhere")
    CouncilRoleFactory(user=elsewhere, council=cast.other_city, role=Role.LEADER)
    assert council_rows(actor, leaders_anywhere, [cast.leader.pk], field="leader_id") == [cast.leader]
    assert error_of(lambda: council_row(actor, leaders_anywhere, elsewhere.pk, field="leader_id"))


def test_a_model_without_a_council_cannot_be_resolved(cast):
    with pytest.raises(TypeError):
        council_row(staff_actor(cast), Council, cast.city.pk, field="council_id")


def test_only_a_lower_council_of_this_one_is_found(cast):
    actor = staff_actor(cast)
    assert lower_council(actor, cast.county.pk, field="lower_council_id") == cast.county
    closed = CouncilFactory(slug="closed", level="county", parent=cast.city, is_active=False)
    for council in (cast.other_city, cast.province, closed):
        assert error_of(lambda council=council: lower_council(actor, council.pk, field="lower_council_id"))


def test_only_the_parent_council_is_found_by_its_slug(cast):
    actor = staff_actor(cast)
    assert parent_council(actor, "province", field="to_council") == cast.province
    refused = [
        error_of(lambda slug=slug: parent_council(actor, slug, field="to_council"))
        for slug in ("othercity", "county", "no-such-council")
    ]
    assert refused[0] == refused[1] == refused[2]
