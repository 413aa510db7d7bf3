"""The structure, role and platform actions called directly, as the API and
commands will call them: the same checks hold without the pages in front."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from xieshang.core.errors import Conflict
from xieshang.core.testing import assert_nothing_changed
from xieshang.councils.actions.platform import appoint_council_admin, create_council, set_council_active
from xieshang.councils.actions.roles import grant_role, revoke_role
from xieshang.councils.actions.structure import create_body, create_session, create_term, delete_body
from xieshang.councils.models import Council, CouncilRole, Level, Role, Sector, Session, Term
from xieshang.councils.tests.factories import (
    CouncilRoleFactory,
    HandlingUnitFactory,
    MemberFactory,
    SectorFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["staff", "leader", "member", "liaison", "oversight"])
def test_only_administrators_may_change_the_structure(cast, name):
    who = cast.actor(name)
    with assert_nothing_changed(Sector), pytest.raises(PermissionDenied):
        create_body(Sector, actor=who, data={"name": "经济界"})
    with assert_nothing_changed(Term), pytest.raises(PermissionDenied):
        create_term(actor=who, number=15, starts_on=dt.date(2028, 1, 1), ends_on=dt.date(2032, 12, 31))
    with assert_nothing_changed(CouncilRole), pytest.raises(PermissionDenied):
        grant_role(actor=who, user=cast.member, role=Role.STAFF)
    assert not Sector.objects.exists()
    assert Term.objects.filter(council=cast.city).count() == 1
    assert not CouncilRole.objects.filter(user=cast.member, role=Role.STAFF).exists()


def test_upper_staff_may_not_change_a_lower_councils_structure(cast):
    upper = cast.actor("upper")
    with assert_nothing_changed(Sector), pytest.raises(PermissionDenied):
        create_body(Sector, actor=upper, data={"name": "经济界"})
    assert not Sector.objects.exists()


def test_a_unit_of_another_council_cannot_be_given_a_liaison(cast):
    foreign_unit = HandlingUnitFactory(council=cast.other_city)
    with assert_nothing_changed(CouncilRole), pytest.raises(PermissionDenied):
        grant_role(
            actor=cast.actor("admin"), user=cast.member, role=Role.UNIT_LIAISON, handling_unit=foreign_unit
        )
    assert not CouncilRole.objects.filter(handling_unit=foreign_unit).exists()


def test_a_liaison_role_needs_its_unit(cast):
    with pytest.raises(ValidationError):
        grant_role(actor=cast.actor("admin"), user=cast.member, role=Role.UNIT_LIAISON)


def test_a_leader_keeps_a_title_and_other_roles_do_not(cast):
    admin = cast.actor("admin")
    person = UserFactory()
    leader = grant_role(actor=admin, user=person, role=Role.LEADER, title="秘书长")
    staff = grant_role(actor=admin, user=person, role=Role.STAFF, title="秘书长")
    assert (leader.title, staff.title) == ("秘书长", "")


def test_revoking_the_last_own_admin_role_is_refused_even_by_direct_call(cast):
    row = CouncilRole.objects.get(user=cast.admin, role=Role.COUNCIL_ADMIN)
    with pytest.raises(Conflict):
        revoke_role(row, actor=cast.actor("admin"))
    assert CouncilRole.objects.filter(pk=row.pk).exists()


def test_an_administrator_may_remove_another_administrator(cast):
    other = CouncilRoleFactory(council=cast.city, role=Role.COUNCIL_ADMIN)
    revoke_role(other, actor=cast.actor("admin"))
    assert not CouncilRole.objects.filter(pk=other.pk).exists()


def test_a_body_used_by_a_member_group_membership_cannot_be_deleted(cast):
    from xieshang.councils.tests.factories import MemberGroupFactory

    group = MemberGroupFactory(council=cast.city)
    member = MemberFactory(council=cast.city, term=cast.term)
    member.groups.add(group)
    with pytest.raises(Conflict):
        delete_body(group, actor=cast.actor("admin"))
    assert type(group).objects.filter(pk=group.pk).exists()


def test_an_unused_body_is_deleted(cast):
    sector = SectorFactory(council=cast.city)
    delete_body(sector, actor=cast.actor("admin"))
    assert not Sector.objects.filter(pk=sector.pk).exists()


def test_sessions_are_numbered_per_term(cast):
    admin = cast.actor("admin")
    newer = create_term(actor=admin, number=15, starts_on=dt.date(2028, 1, 1), ends_on=dt.date(2032, 12, 31))
    create_session(
        cast.term,
        actor=admin,
        number=1,
        year=2023,
        opens_on=dt.date(2023, 1, 5),
        closes_on=dt.date(2023, 1, 9),
    )
    create_session(
        newer, actor=admin, number=1, year=2028, opens_on=dt.date(2028, 1, 5), closes_on=dt.date(2028, 1, 9)
    )
    assert Session.objects.filter(council=cast.city, number=1).count() == 2


def test_platform_actions_are_for_superusers_only(cast):
    with assert_nothing_changed(Council), pytest.raises(PermissionDenied):
        create_council(user=cast.admin, slug="x", name="某政协", level=Level.PROVINCE, parent=None)
    with assert_nothing_changed(cast.county), pytest.raises(PermissionDenied):
        set_council_active(cast.county, user=cast.admin, is_active=False)
    with assert_nothing_changed(cast.county, CouncilRole), pytest.raises(PermissionDenied):
        appoint_council_admin(cast.county, user=cast.admin, appointee=cast.member)
    assert not Council.objects.filter(slug="x").exists()
    assert Council.objects.get(pk=cast.county.pk).is_active
    assert not CouncilRole.objects.filter(council=cast.county).exists()


def test_a_council_cannot_be_its_own_parent(cast):
    from xieshang.councils.actions.platform import update_council

    # A province without cities, so that only the self-reference is wrong.
    lonely = create_council(
        user=cast.platform, slug="zj", name="浙江省政协", level=Level.PROVINCE, parent=None
    )
    with pytest.raises(ValidationError) as caught:
        update_council(lonely, user=cast.platform, name=lonely.name, level=Level.CITY, parent=lonely)
    assert "parent" in caught.value.message_dict
    lonely.refresh_from_db()
    assert (lonely.level, lonely.parent) == (Level.PROVINCE, None)


def test_a_council_cannot_be_reopened_under_a_closed_parent(cast):
    set_council_active(cast.county, user=cast.platform, is_active=False)
    set_council_active(cast.city, user=cast.platform, is_active=False)
    with pytest.raises(Conflict):
        set_council_active(cast.county, user=cast.platform, is_active=True)
    assert not Council.objects.get(pk=cast.county.pk).is_active
