"""Joint consultations: the city invites its county; the county sees the
invitation in its own space, accepts and names members; nobody else sees it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from xieshang.consultations.actions import joint as actions
from xieshang.consultations.models import JointInvitation
from xieshang.consultations.tests.conftest import World
from xieshang.consultations.tests.factories import ConsultationFactory
from xieshang.core.errors import Conflict
from xieshang.core.testing import assert_nothing_changed
from xieshang.councils.models import Role, Term
from xieshang.councils.roles import Actor
from xieshang.councils.tenancy import build_actor
from xieshang.councils.tests.factories import CouncilRoleFactory, MemberFactory, TermFactory, UserFactory

pytestmark = pytest.mark.django_db


def person(council: object, role: str, name: str, *, seated: bool = False) -> tuple[Client, Actor]:
    user = UserFactory(username=name, full_name=name)
    CouncilRoleFactory(user=user, council=council, role=role)
    if seated:
        term = Term.objects.filter(council=council).first() or TermFactory(council=council)
        MemberFactory(council=council, term=term, user=user, full_name=name)
    client = Client()
    client.force_login(user, backend="xieshang.accounts.backends.UsernameOrMobileBackend")
    actor = build_actor(user, council)  # type: ignore[arg-type]
    assert actor is not None
    return client, actor


def test_the_lower_council_sees_accepts_and_its_named_members_see_it(world: World) -> None:
    city, county = world.cast.city, world.cast.county
    consultation = ConsultationFactory(
        council=city, created_by=world.cast.staff, topic="流域生态保护联合协商"
    )
    county_staff_client, county_staff = person(county, Role.STAFF, "county_staff")
    named_client, named = person(county, Role.MEMBER, "county_member", seated=True)
    other_client, _other = person(county, Role.MEMBER, "county_member2", seated=True)
    far_client, _far = person(world.cast.other_city, Role.STAFF, "far_staff")

    invitation = actions.invite_lower_council(consultation, lower=county, actor=world.actor("staff"))
    with pytest.raises(Conflict):
        actions.invite_lower_council(consultation, lower=county, actor=world.actor("staff"))
    page = county_staff_client.get(reverse("consultations:joint_list", args=["county"])).content.decode()
    assert "流域生态保护联合协商" in page
    assert (
        "流域生态保护联合协商"
        not in far_client.get(reverse("consultations:joint_list", args=["othercity"])).content.decode()
    )
    assert (
        "流域生态保护联合协商"
        not in named_client.get(reverse("consultations:joint_list", args=["county"])).content.decode()
    )

    with assert_nothing_changed(invitation), pytest.raises(PermissionDenied):
        actions.accept_joint(invitation, members=[named.member], actor=world.actor("staff"))  # type: ignore[list-item]
    with pytest.raises(ValidationError):
        actions.accept_joint(invitation, members=[world.cast.member_record], actor=county_staff)
    response = county_staff_client.post(
        reverse("consultations:joint_accept", args=["county", invitation.pk]),
        {"members": [named.member.pk]},  # type: ignore[union-attr]
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "accepted" and list(invitation.members.all()) == [named.member]
    assert (
        "流域生态保护联合协商"
        in named_client.get(reverse("consultations:joint_list", args=["county"])).content.decode()
    )
    assert (
        "流域生态保护联合协商"
        not in other_client.get(reverse("consultations:joint_list", args=["county"])).content.decode()
    )


def test_only_a_lower_council_may_be_invited_and_other_councils_cannot_accept(world: World) -> None:
    consultation = ConsultationFactory(council=world.cast.city, created_by=world.cast.staff)
    for council in (world.cast.other_city, world.cast.province, world.cast.city):
        with pytest.raises(ValidationError, match="lower councils"):
            actions.invite_lower_council(consultation, lower=council, actor=world.actor("staff"))
    with assert_nothing_changed(consultation, JointInvitation), pytest.raises(PermissionDenied):
        actions.invite_lower_council(consultation, lower=world.cast.county, actor=world.actor("member"))
    invitation = actions.invite_lower_council(
        consultation, lower=world.cast.county, actor=world.actor("staff")
    )
    far_client, _far = person(world.cast.other_city, Role.STAFF, "far_staff")
    response = far_client.post(reverse("consultations:joint_accept", args=["othercity", invitation.pk]), {})
    assert response.status_code == 404
    assert JointInvitation.objects.get().status == "invited"


def test_staff_invite_from_the_consultation_page(world: World, clients: dict[str, Client]) -> None:
    consultation = ConsultationFactory(council=world.cast.city, created_by=world.cast.staff)
    url = reverse("consultations:joint_invite", args=["city", consultation.pk])
    assert clients["member"].post(url, {"lower_council": world.cast.county.pk}).status_code == 403
    assert clients["staff"].post(url, {"lower_council": world.cast.county.pk}).status_code == 302
    assert JointInvitation.objects.get().lower_council == world.cast.county
