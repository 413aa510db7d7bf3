"""Joint consultations seen from the invited lower council's own space.

The province (the cast's upper council, whose staff is `upper`) invites the
city to one of its consultations. The city's staff are told and name
participants; the named member (`member`) is told, and finds the
consultation — date, place, materials — in their own list, on their home
page and on a page in the city's space. The notice and the materials of the
province reach them too, once each. Nobody else sees the invitation: the
same 404 as for one that does not exist.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from xieshang.consultations.actions import consultations as consultation_actions
from xieshang.consultations.actions import joint as actions
from xieshang.consultations.models import Consultation, JointInvitation, Participant
from xieshang.consultations.tests.conftest import World
from xieshang.consultations.tests.factories import ConsultationFactory
from xieshang.consultations.tests.test_joint import person
from xieshang.core.errors import Conflict
from xieshang.core.models import Notification
from xieshang.core.testing import (
    Expect,
    assert_same_not_found,
    refused_except,
    run_permission_matrix,
    snapshot_rows,
)
from xieshang.councils.models import Role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

TOPIC = "长江流域生态保护联合协商"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def province_consultation(world: World) -> Consultation:
    consultation = ConsultationFactory(
        council=world.cast.province, created_by=world.cast.upper, topic=TOPIC, place="省政协大会议室"
    )
    Participant.objects.create(
        council=world.cast.province, consultation=consultation, category="expert", name="王专家"
    )
    return consultation


def invited(world: World, *, named: bool = True) -> JointInvitation:
    invitation = actions.invite_lower_council(
        province_consultation(world), lower=world.cast.city, actor=world.actor("upper", "province")
    )
    if named:
        actions.accept_joint(invitation, members=[world.cast.member_record], actor=world.actor("staff"))
    return invitation


def url(name: str, council: str = "city", **kwargs: Any) -> str:
    return reverse(f"consultations:{name}", kwargs={"council_slug": council, **kwargs})


def messages_of(user: Any, kind: str) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=kind))


def test_the_invited_councils_staff_are_told_once_in_their_own_inbox(world: World) -> None:
    invitation = invited(world, named=False)
    [message] = messages_of(world.cast.staff, "consultations.joint_invited")
    assert message.council == world.cast.city
    assert message.url == url("joint_detail", pk=invitation.pk)
    assert TOPIC in message.title and "省政协大会议室" in message.body
    assert not Notification.objects.filter(recipient=world.cast.member).exists()
    assert not Notification.objects.filter(council=world.cast.other_city).exists()
    actions.tell_invited_councils(invitation.consultation, step="notice")
    actions.tell_invited_councils(invitation.consultation, step="notice")
    assert len(messages_of(world.cast.staff, "consultations.joint_notice")) == 1


def test_staff_see_the_invitation_to_answer_on_their_home_page(
    world: World, clients: dict[str, Client]
) -> None:
    invitation = invited(world, named=False)
    home = reverse("dashboards:home", kwargs={"council_slug": "city"})
    link = url("joint_detail", pk=invitation.pk)
    assert link in clients["staff"].get(home).content.decode()
    assert link not in clients["member"].get(home).content.decode()
    page = clients["staff"].get(link).content.decode()
    assert TOPIC in page and 'data-testid="joint-accept"' in page


def test_the_named_member_is_told_once_and_finds_it_in_their_own_space(
    world: World, clients: dict[str, Client]
) -> None:
    invitation = invited(world)
    actions.accept_joint(invitation, members=[world.cast.member_record], actor=world.actor("staff"))
    [message] = messages_of(world.cast.member, "consultations.joint_named")
    assert message.council == world.cast.city and message.url == url("joint_detail", pk=invitation.pk)

    member = clients["member"]
    mine = member.get(url("mine")).content.decode()
    assert TOPIC in mine and url("joint_detail", pk=invitation.pk) in mine
    home = member.get(reverse("dashboards:home", kwargs={"council_slug": "city"})).content.decode()
    assert url("joint_detail", pk=invitation.pk) in home
    page = member.get(url("joint_detail", pk=invitation.pk))
    assert page.status_code == 200
    body = page.content.decode()
    assert TOPIC in body and "省政协大会议室" in body and world.cast.province.name in body
    # A second member of the city who was not named sees none of it.
    colleague, _unnamed = person(world.cast.city, Role.MEMBER, "unnamed", seated=True)
    assert TOPIC not in colleague.get(url("mine")).content.decode()
    assert_same_not_found(colleague, url("joint_detail", pk=invitation.pk), url("joint_detail", pk=999999))


def test_the_notice_and_the_materials_reach_the_named_member_once_each(world: World) -> None:
    invitation = invited(world)
    consultation = invitation.consultation
    pdf = SimpleUploadedFile("议程.pdf", PDF, content_type="application/pdf")
    consultation_actions.add_materials(consultation, uploads=[pdf], actor=world.actor("upper", "province"))
    consultation_actions.send_notice(consultation, actor=world.actor("upper", "province"))
    consultation_actions.send_materials(consultation, actor=world.actor("upper", "province"))
    actions.tell_invited_councils(consultation, step="notice")  # a second run tells nobody again
    for user in (world.cast.member, world.cast.staff):
        assert len(messages_of(user, "consultations.joint_notice")) == 1
        assert len(messages_of(user, "consultations.joint_materials")) == 1
    [notice] = messages_of(world.cast.member, "consultations.joint_notice")
    assert notice.council == world.cast.city and notice.channels == ["sms"]
    assert not Notification.objects.filter(council=world.cast.other_city).exists()


def test_the_named_member_reads_the_materials_and_others_get_not_found(
    world: World, clients: dict[str, Client]
) -> None:
    invitation = invited(world)
    pdf = SimpleUploadedFile("议程.pdf", PDF, content_type="application/pdf")
    [attachment] = consultation_actions.add_materials(
        invitation.consultation, uploads=[pdf], actor=world.actor("upper", "province")
    )
    file_url = url("joint_material", pk=invitation.pk, attachment_id=attachment.pk)
    assert file_url in clients["member"].get(url("joint_detail", pk=invitation.pk)).content.decode()
    assert clients["member"].get(file_url).status_code == 200
    assert clients["staff"].get(file_url).status_code == 200
    missing = url("joint_material", pk=invitation.pk, attachment_id=attachment.pk + 1000)
    assert clients["member"].get(missing).status_code == 404
    for name in ("admin", "liaison", "oversight", "upper", "outsider", "platform"):
        assert clients[name].get(file_url).status_code == 404, name


def test_a_member_of_a_third_council_gets_not_found(world: World) -> None:
    invitation = invited(world)
    far_client, far = person(world.cast.other_city, Role.MEMBER, "far_member", seated=True)
    for council in ("othercity", "city"):
        assert far_client.get(url("joint_detail", council, pk=invitation.pk)).status_code == 404
    assert_same_not_found(
        far_client,
        url("joint_detail", "othercity", pk=invitation.pk),
        url("joint_detail", "othercity", pk=999999),
    )
    assert far_client.get(url("joint_accept", "othercity", pk=invitation.pk)).status_code == 403
    assert far.member is not None and not list(invitation.members.filter(pk=far.member.pk))


def test_who_may_see_the_joint_page(world: World, clients: dict[str, Client]) -> None:
    invitation = invited(world)
    run_permission_matrix(
        clients=clients,
        method="get",
        url=url("joint_detail", pk=invitation.pk),
        snapshot=lambda: Notification.objects.count(),
        expectations={
            "admin": Expect(404),
            "staff": Expect(200),
            "leader": Expect(200),
            "member": Expect(200),
            "liaison": Expect(404),
            "oversight": Expect(404),
            "platform": Expect(404),
            "upper": Expect(404),
            "outsider": Expect(404),
            "anonymous": Expect(302),
        },
    )


def test_only_the_invited_councils_staff_accept_and_nothing_changes_for_the_others(
    world: World, clients: dict[str, Client]
) -> None:
    invitation = invited(world, named=False)

    def reset() -> None:
        JointInvitation.objects.filter(pk=invitation.pk).update(status="invited")
        invitation.members.clear()
        Notification.objects.filter(kind="consultations.joint_named").delete()

    run_permission_matrix(
        clients=clients,
        method="post",
        url=url("joint_accept", pk=invitation.pk),
        data={"members": [world.cast.member_record.pk]},
        snapshot=snapshot_rows(invitation, JointInvitation.members.through, Notification),
        reset=reset,
        expectations=refused_except({"staff": Expect(302, changes=True)}),
    )


def test_the_upper_councils_staff_see_who_was_invited_and_who_accepted(
    world: World, clients: dict[str, Client]
) -> None:
    invitation = invited(world)
    detail = url("detail", world.cast.province.slug, pk=invitation.consultation.pk)
    rows = clients["upper"].get(detail).content.decode()
    assert f"{world.cast.city.name} invited · accepted, 1 participant" in rows


def test_the_invited_council_and_its_named_members_are_told_when_it_is_called_off(world: World) -> None:
    invitation = invited(world)
    consultation = invitation.consultation
    consultation_actions.cancel_consultation(
        consultation, reason="因故延期，另行通知", actor=world.actor("upper", "province")
    )
    for user in (world.cast.member, world.cast.staff):
        [message] = messages_of(user, "consultations.joint_cancelled")
        assert message.council == world.cast.city
        assert TOPIC in message.title and message.body == "因故延期，另行通知"
        assert message.channels == ["sms"]


def test_a_consultation_that_was_called_off_can_no_longer_be_joined(world: World) -> None:
    invitation = invited(world, named=False)
    consultation_actions.cancel_consultation(
        invitation.consultation, reason="因故取消", actor=world.actor("upper", "province")
    )
    with pytest.raises(Conflict):
        actions.accept_joint(invitation, members=[world.cast.member_record], actor=world.actor("staff"))
    invitation.refresh_from_db()
    assert invitation.status == actions.INVITED and not invitation.members.exists()
    neighbour = world.cast.other_city
    with pytest.raises(Conflict):
        actions.invite_lower_council(
            invitation.consultation, lower=neighbour, actor=world.actor("upper", "province")
        )
    assert not JointInvitation.objects.filter(lower_council=neighbour).exists()
