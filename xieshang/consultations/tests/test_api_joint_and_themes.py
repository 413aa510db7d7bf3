"""Joint consultations over the API, with the same actions, permissions and
notifications as the pages.

Two directions, with the shared personas: as the upper council, the city's
staff invite the county to a city consultation; as the lower council, the
city receives the province's invitation (its staff accept and name members,
its named member reads it). Refused personas change nothing; another
council's ids answer like missing ones.

Proposals and opinion reports are tagged with themes through their own
apps' endpoints (their tests/test_themes.py); the docs list them all.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xieshang.consultations.actions import consultations as consultation_actions
from xieshang.consultations.actions import joint as actions
from xieshang.consultations.models import Consultation, JointInvitation
from xieshang.consultations.tests.conftest import World
from xieshang.consultations.tests.factories import ConsultationFactory
from xieshang.consultations.tests.test_joint import person
from xieshang.core.models import Notification
from xieshang.core.testing import (
    Expect,
    JsonClient,
    assert_same_not_found,
    refused_except,
    run_permission_matrix,
    snapshot_rows,
)
from xieshang.councils.models import Member, Role
from xieshang.councils.tests.factories import MemberFactory, TermFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

API = "/api/v1/c"
TOPIC = "长江流域生态保护联合协商"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def json_clients(clients: dict[str, Client]) -> dict[str, Client]:
    return {name: JsonClient(client) for name, client in clients.items()}  # type: ignore[misc]


def post(client: Client, url: str, data: Any) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


def invited_by_the_province(world: World, *, named: bool = False) -> JointInvitation:
    """The province invites the city to one of its consultations."""
    consultation = ConsultationFactory(
        council=world.cast.province, created_by=world.cast.upper, topic=TOPIC, place="省政协大会议室"
    )
    invitation = actions.invite_lower_council(
        consultation, lower=world.cast.city, actor=world.actor("upper", "province")
    )
    if named:
        actions.accept_joint(invitation, members=[world.cast.member_record], actor=world.actor("staff"))
    return invitation


def city_consultation(world: World, topic: str = TOPIC) -> Consultation:
    return ConsultationFactory(council=world.cast.city, created_by=world.cast.staff, topic=topic)


def invitations() -> list[tuple[int, int, str]]:
    return sorted(JointInvitation.objects.values_list("consultation_id", "lower_council_id", "status"))


# The upper council invites ------------------------------------------------------------


def test_who_may_invite_a_lower_council_and_nothing_changes_for_the_others(
    world: World, clients: dict[str, Client]
) -> None:
    consultation = city_consultation(world)
    person(world.cast.county, Role.STAFF, "county_staff")

    def reset() -> None:
        JointInvitation.objects.all().delete()
        Notification.objects.all().delete()

    run_permission_matrix(
        clients=json_clients(clients),
        method="post",
        url=f"{API}/city/consultations/{consultation.pk}/joint-invitations",
        data={"lower_council_id": world.cast.county.pk},
        snapshot=lambda: (invitations(), Notification.objects.count()),
        reset=reset,
        expectations={
            "admin": Expect(403),
            "staff": Expect(201, changes=True),
            "leader": Expect(403),
            "member": Expect(403),
            "liaison": Expect(403),
            "oversight": Expect(403),
            "platform": Expect(403),
            "upper": Expect(403),
            "outsider": Expect(404),
            "anonymous": Expect(401),
        },
    )


def test_the_lower_councils_staff_are_told_once_the_same_way_as_from_the_page(
    world: World, clients: dict[str, Client]
) -> None:
    by_page, by_api = city_consultation(world), city_consultation(world)
    Consultation.objects.filter(pk=by_api.pk).update(starts_at=by_page.starts_at, place=by_page.place)
    _client, county = person(world.cast.county, Role.STAFF, "county_staff")
    staff = clients["staff"]
    page = reverse("consultations:joint_invite", kwargs={"council_slug": "city", "pk": by_page.pk})
    assert staff.post(page, {"lower_council": world.cast.county.pk}).status_code == 302
    url = f"{API}/city/consultations/{by_api.pk}/joint-invitations"
    response = post(staff, url, {"lower_council_id": world.cast.county.pk})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["lower_council"], body["status"], body["participant_count"]) == (
        {"id": world.cast.county.pk, "name": world.cast.county.name},
        "invited",
        0,
    )
    again = post(staff, url, {"lower_council_id": world.cast.county.pk})
    assert again.status_code == 409 and world.cast.county.name in again.json()["detail"]

    told = Notification.objects.filter(recipient=county.user, kind="consultations.joint_invited")
    assert told.count() == 2
    messages = {row.url: (row.council, row.title, row.body, row.channels) for row in told.order_by("pk")}
    invitation = {i.consultation_id: i for i in JointInvitation.objects.all()}
    page_url = actions.joint_url(invitation[by_page.pk])
    api_url = actions.joint_url(invitation[by_api.pk])
    assert api_url.startswith("/c/county/") and set(messages) == {page_url, api_url}
    assert messages[page_url] == messages[api_url]
    assert messages[api_url][0] == world.cast.county
    assert not Notification.objects.exclude(recipient=county.user).exists()


def test_only_the_councils_own_lower_councils_may_be_invited(
    world: World, clients: dict[str, Client]
) -> None:
    consultation = city_consultation(world)
    url = f"{API}/city/consultations/{consultation.pk}/joint-invitations"
    answers = [
        post(clients["staff"], url, {"lower_council_id": council.pk})
        for council in (world.cast.other_city, world.cast.province, world.cast.city)
    ]
    missing = post(clients["staff"], url, {"lower_council_id": 999999})
    for answer in [*answers, missing]:
        assert answer.status_code == 400
        assert answer.json() == missing.json()
    assert list(missing.json()["errors"]) == ["lower_council_id"]
    world.cast.county.is_active = False
    world.cast.county.save(update_fields=["is_active"])
    assert post(clients["staff"], url, {"lower_council_id": world.cast.county.pk}).status_code == 400
    assert invitations() == [] and not Notification.objects.exists()


def test_another_councils_consultation_is_not_found_and_not_invited_to(
    world: World, clients: dict[str, Client]
) -> None:
    foreign = ConsultationFactory(council=world.cast.other_city, created_by=world.cast.outsider)
    staff = clients["staff"]
    assert_same_not_found(
        staff,
        f"{API}/city/consultations/{foreign.pk}/joint-invitations",
        f"{API}/city/consultations/999999/joint-invitations",
    )
    response = post(
        staff,
        f"{API}/city/consultations/{foreign.pk}/joint-invitations",
        {"lower_council_id": world.cast.county.pk},
    )
    assert response.status_code == 404
    assert invitations() == [] and not Notification.objects.exists()


def test_the_upper_council_sees_who_was_invited_and_who_accepted(
    world: World, clients: dict[str, Client]
) -> None:
    consultation = city_consultation(world)
    _client, county = person(world.cast.county, Role.STAFF, "county_staff")
    invitation = actions.invite_lower_council(
        consultation, lower=world.cast.county, actor=world.actor("staff")
    )
    url = f"{API}/city/consultations/{consultation.pk}/joint-invitations"
    [row] = clients["staff"].get(url).json()
    assert (row["id"], row["status"], row["accepted_at"], row["participant_count"]) == (
        invitation.pk,
        "invited",
        None,
        0,
    )
    term = TermFactory(council=world.cast.county)
    county_members = [
        MemberFactory(council=world.cast.county, term=term, full_name=n) for n in ("赵委员", "钱委员")
    ]
    actions.accept_joint(invitation, members=county_members, actor=county)
    [row] = clients["leader"].get(url).json()
    assert (row["lower_council"]["name"], row["status"], row["participant_count"]) == (
        world.cast.county.name,
        "accepted",
        2,
    )
    assert row["accepted_at"] is not None
    run_permission_matrix(
        clients=clients,
        method="get",
        url=url,
        snapshot=invitations,
        expectations={
            "admin": Expect(403),
            "staff": Expect(200),
            "leader": Expect(200),
            "member": Expect(403),
            "liaison": Expect(403),
            "oversight": Expect(403),
            "platform": Expect(403),
            "upper": Expect(403),
            "outsider": Expect(404),
            "anonymous": Expect(401),
        },
    )


# The lower council answers --------------------------------------------------------------


def test_the_lower_council_lists_its_invitations_by_scope(world: World, clients: dict[str, Client]) -> None:
    invitation = invited_by_the_province(world)
    listing = f"{API}/city/joint-invitations"

    def ids(name: str, scope: str = "all") -> list[int]:
        response = clients[name].get(listing, {"scope": scope})
        assert response.status_code == 200, (name, response.content)
        return [row["id"] for row in response.json()["items"]]

    assert ids("staff") == ids("leader") == ids("staff", "to_accept") == [invitation.pk]
    assert ids("member") == ids("member", "mine") == ids("leader", "to_accept") == []
    [row] = clients["staff"].get(listing).json()["items"]
    assert (row["upper_council"], row["topic"], row["place"], row["status"]) == (
        world.cast.province.name,
        TOPIC,
        "省政协大会议室",
        "invited",
    )

    actions.accept_joint(invitation, members=[world.cast.member_record], actor=world.actor("staff"))
    assert ids("member") == ids("member", "mine") == ids("member", "upcoming") == [invitation.pk]
    assert ids("staff", "to_accept") == []
    Consultation.objects.filter(pk=invitation.consultation_id).update(status="held")
    assert ids("member", "upcoming") == [] and ids("member") == [invitation.pk]
    unnamed, _actor = person(world.cast.city, Role.MEMBER, "unnamed", seated=True)
    assert unnamed.get(listing).json()["count"] == 0
    for name, status in {
        "admin": 403,
        "liaison": 403,
        "oversight": 403,
        "platform": 403,
        "upper": 403,
        "outsider": 404,
        "anonymous": 401,
    }.items():
        assert clients[name].get(listing).status_code == status, name


def test_the_list_of_invitations_takes_the_same_queries_however_long(
    world: World, clients: dict[str, Client], django_assert_num_queries: Any
) -> None:
    invited_by_the_province(world)
    staff = clients["staff"]
    staff.get(f"{API}/city/joint-invitations")
    with CaptureQueriesContext(connection) as one:
        staff.get(f"{API}/city/joint-invitations")
    for topic in ("第二次联合协商", "第三次联合协商"):
        consultation = ConsultationFactory(
            council=world.cast.province, created_by=world.cast.upper, topic=topic
        )
        actions.invite_lower_council(
            consultation, lower=world.cast.city, actor=world.actor("upper", "province")
        )
    with django_assert_num_queries(len(one.captured_queries)):
        assert staff.get(f"{API}/city/joint-invitations").json()["count"] == 3


def test_who_may_read_an_invitation_with_its_materials(world: World, clients: dict[str, Client]) -> None:
    invitation = invited_by_the_province(world, named=True)
    pdf = SimpleUploadedFile("议程.pdf", PDF, content_type="application/pdf")
    [material] = consultation_actions.add_materials(
        invitation.consultation, uploads=[pdf], actor=world.actor("upper", "province")
    )
    url = f"{API}/city/joint-invitations/{invitation.pk}"

    staff_view = clients["staff"].get(url).json()
    assert (staff_view["topic"], staff_view["upper_council"], staff_view["may_accept"]) == (
        TOPIC,
        world.cast.province.name,
        True,
    )
    assert staff_view["materials"] == [
        {
            "id": material.pk,
            "name": "议程.pdf",
            "content_type": "application/pdf",
            "size": len(PDF),
            "uploaded_at": staff_view["materials"][0]["uploaded_at"],
        }
    ]
    assert staff_view["participants"] == [
        {"id": world.cast.member_record.pk, "full_name": world.cast.member_record.full_name}
    ]
    member_view = clients["member"].get(url).json()
    assert (member_view["participants"], member_view["may_accept"], member_view["status"]) == (
        [],
        False,
        "accepted",
    )
    expectations = {
        "admin": Expect(404),
        "staff": Expect(200),
        "leader": Expect(200),
        "member": Expect(200),
        "liaison": Expect(404),
        "oversight": Expect(404),
        "platform": Expect(404),
        # The upper council's staff have no role in the city (every endpoint: 403).
        "upper": Expect(403),
        "outsider": Expect(404),
        "anonymous": Expect(401),
    }
    for target in (url, f"{url}/materials/{material.pk}"):
        run_permission_matrix(
            clients=clients, method="get", url=target, snapshot=invitations, expectations=expectations
        )
    download = clients["member"].get(f"{url}/materials/{material.pk}")
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert "attachment" in download["Content-Disposition"]
    assert_same_not_found(
        clients["member"],
        f"{url}/materials/{material.pk + 1000}",
        f"{API}/city/joint-invitations/999999/materials/1",
    )


def test_an_unnamed_member_and_another_council_get_not_found(
    world: World, clients: dict[str, Client]
) -> None:
    invitation = invited_by_the_province(world, named=True)
    pdf = SimpleUploadedFile("议程.pdf", PDF, content_type="application/pdf")
    [material] = consultation_actions.add_materials(
        invitation.consultation, uploads=[pdf], actor=world.actor("upper", "province")
    )
    unnamed, _actor = person(world.cast.city, Role.MEMBER, "unnamed", seated=True)
    far, _far = person(world.cast.other_city, Role.STAFF, "far_staff")
    for client, council in ((unnamed, "city"), (far, "othercity"), (clients["upper"], "province")):
        assert_same_not_found(
            client,
            f"{API}/{council}/joint-invitations/{invitation.pk}",
            f"{API}/{council}/joint-invitations/999999",
        )
        assert_same_not_found(
            client,
            f"{API}/{council}/joint-invitations/{invitation.pk}/materials/{material.pk}",
            f"{API}/{council}/joint-invitations/999999/materials/{material.pk}",
        )


def test_who_may_accept_and_nothing_changes_for_the_others(world: World, clients: dict[str, Client]) -> None:
    invitation = invited_by_the_province(world)

    def reset() -> None:
        JointInvitation.objects.filter(pk=invitation.pk).update(status="invited", accepted_at=None)
        invitation.members.clear()
        Notification.objects.filter(kind="consultations.joint_named").delete()

    run_permission_matrix(
        clients=json_clients(clients),
        method="post",
        url=f"{API}/city/joint-invitations/{invitation.pk}/accept",
        data={"member_ids": [world.cast.member_record.pk]},
        snapshot=snapshot_rows(invitation, JointInvitation.members.through, Notification),
        reset=reset,
        expectations=refused_except({"staff": Expect(200, changes=True)}, anonymous=401),
    )


def test_staff_accept_name_members_and_those_are_told_once(world: World, clients: dict[str, Client]) -> None:
    invitation = invited_by_the_province(world)
    colleague = world.colleague_record
    url = f"{API}/city/joint-invitations/{invitation.pk}/accept"
    body = {"member_ids": [world.cast.member_record.pk, colleague.pk, colleague.pk]}
    response = post(clients["staff"], url, body)
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["status"] == "accepted"
    assert sorted(p["id"] for p in answer["participants"]) == sorted(
        [world.cast.member_record.pk, colleague.pk]
    )
    assert post(clients["staff"], url, body).status_code == 200
    for user in (world.cast.member, world.colleague):
        [told] = Notification.objects.filter(recipient=user, kind="consultations.joint_named")
        assert told.council == world.cast.city and told.url == actions.joint_url(invitation)
    member_list = clients["member"].get(f"{API}/city/joint-invitations", {"scope": "mine"}).json()
    assert [row["id"] for row in member_list["items"]] == [invitation.pk]


def test_participants_must_be_the_councils_own_active_members(
    world: World, clients: dict[str, Client]
) -> None:
    invitation = invited_by_the_province(world)
    url = f"{API}/city/joint-invitations/{invitation.pk}/accept"
    county_member = MemberFactory(council=world.cast.county, full_name="县委员")
    retired = MemberFactory(
        council=world.cast.city, term=world.cast.term, full_name="退休委员", is_active=False
    )
    answers = [
        post(clients["staff"], url, {"member_ids": ids})
        for ids in ([county_member.pk], [world.cast.member_record.pk, 999999], [retired.pk])
    ]
    for answer in answers:
        assert answer.status_code == 400
        assert answer.json()["errors"] == answers[0].json()["errors"]
        assert list(answer.json()["errors"]) == ["member_ids"]
    empty = post(clients["staff"], url, {"member_ids": []})
    assert empty.status_code == 400 and list(empty.json()["errors"]) == ["member_ids"]
    assert post(clients["staff"], url, {"member_ids": "all"}).status_code == 422
    row = JointInvitation.objects.get(pk=invitation.pk)
    assert row.status == "invited" and not row.members.exists()
    assert not Notification.objects.filter(kind="consultations.joint_named").exists()
    assert Member.objects.filter(pk=retired.pk, is_active=False).exists()


def test_another_councils_staff_cannot_accept_through_their_own_space(world: World) -> None:
    invitation = invited_by_the_province(world)
    far, _far = person(world.cast.other_city, Role.STAFF, "far_staff")
    far_member = MemberFactory(council=world.cast.other_city, full_name="外市委员")
    for council in ("othercity", "city"):
        response = post(
            far, f"{API}/{council}/joint-invitations/{invitation.pk}/accept", {"member_ids": [far_member.pk]}
        )
        assert response.status_code == 404
    row = JointInvitation.objects.get(pk=invitation.pk)
    assert row.status == "invited" and not row.members.exists()


def test_the_api_docs_list_the_joint_and_theme_operations(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    base = "/api/v1/c/{council_slug}"
    assert {"get", "post"} <= set(paths[f"{base}/consultations/{{consultation_id}}/joint-invitations"])
    assert "get" in paths[f"{base}/joint-invitations"]
    assert "get" in paths[f"{base}/joint-invitations/{{invitation_id}}"]
    assert "get" in paths[f"{base}/joint-invitations/{{invitation_id}}/materials/{{material_id}}"]
    assert "post" in paths[f"{base}/joint-invitations/{{invitation_id}}/accept"]
    for kind in ("proposal", "opinion"):
        assert {"get", "post"} <= set(paths[f"{base}/theme-tags/{kind}/{{item_id}}"])
        assert "post" in paths[f"{base}/theme-tags/{kind}/{{item_id}}/{{tag_id}}/remove"]
    assert "get" in paths[f"{base}/themes"]
    assert client.get("/api/v1/docs").status_code == 200
