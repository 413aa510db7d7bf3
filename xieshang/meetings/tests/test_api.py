"""The meetings API: same permissions and refusals as the pages."""

from __future__ import annotations

import datetime as dt
import json

import time_machine
from django.test import Client

from xieshang.meetings.codes import code_for
from xieshang.meetings.models import CheckIn, LeaveRequest
from xieshang.meetings.tests.conftest import BEFORE, World
from xieshang.meetings.tests.factories import START, MeetingFactory

DURING = START + dt.timedelta(minutes=5)


def api(path: str, council: str = "city") -> str:
    return f"/api/v1/c/{council}/meetings{path}"


def post(client: Client, path: str, body: dict[str, object]):  # type: ignore[no-untyped-def]
    return client.post(path, json.dumps(body), content_type="application/json")


@time_machine.travel(BEFORE, tick=False)
def test_lists_show_what_each_role_may_see(world: World, clients: dict[str, Client]) -> None:
    MeetingFactory(council=world.cast.city, term=world.cast.term, title="未邀请的会议")
    staff = clients["staff"].get(api("")).json()
    member = clients["member"].get(api("")).json()
    assert staff["count"] == 2 and member["count"] == 1
    assert member["items"][0]["title"] == world.meeting.title
    mine = clients["member"].get(api("/mine")).json()
    assert [m["id"] for m in mine["items"]] == [world.meeting.pk]
    assert clients["staff"].get(api("/mine")).status_code == 403
    assert clients["outsider"].get(api("")).status_code == 404


@time_machine.travel(BEFORE, tick=False)
def test_detail_hides_meetings_like_missing_ones(world: World, clients: dict[str, Client]) -> None:
    other = MeetingFactory(council=world.cast.city, term=world.cast.term)
    assert clients["member"].get(api(f"/{world.meeting.pk}")).json()["sittings"][0]["number"] == 1
    assert clients["member"].get(api(f"/{other.pk}")).status_code == 404
    assert clients["staff"].get(api(f"/{other.pk}")).json()["invited"] == 0
    assert clients["outsider"].get(api(f"/{world.meeting.pk}", council="othercity")).status_code == 404


def test_leave_over_the_api(world: World, clients: dict[str, Client]) -> None:
    path = api(f"/{world.meeting.pk}/leave")
    with time_machine.travel(BEFORE, tick=False):
        for name, status in [("staff", 403), ("leader", 403), ("outsider", 404), ("anonymous", 401)]:
            assert post(clients[name], path, {"reason": "出差"}).status_code == status
        assert not LeaveRequest.objects.exists()
        answer = post(clients["member"], path, {"reason": "出差"})
        assert answer.status_code == 201 and answer.json()["status"] == "pending"
        assert post(clients["member"], path, {"reason": "出差"}).status_code == 400
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        late = post(login(world), path, {"reason": "临时有事"})
        assert late.status_code == 400 and "reason" in late.json()["errors"]
    assert LeaveRequest.objects.count() == 1


def login(world: World) -> Client:
    client = Client()
    client.force_login(world.colleague, backend="xieshang.accounts.backends.UsernameOrMobileBackend")
    return client


@time_machine.travel(BEFORE, tick=False)
def test_leave_decisions_over_the_api(world: World, clients: dict[str, Client]) -> None:
    leave_id = post(clients["member"], api(f"/{world.meeting.pk}/leave"), {"reason": "出差"}).json()["id"]
    path = api(f"/leave/{leave_id}/decision")
    for name, status in [("member", 403), ("liaison", 403), ("outsider", 404), ("anonymous", 401)]:
        assert post(clients[name], path, {"approve": True}).status_code == status
    assert LeaveRequest.objects.get().status == "pending"
    assert post(clients["leader"], path, {"approve": False}).status_code == 400  # a refusal needs a note
    answer = post(clients["leader"], path, {"approve": False, "note": "请务必出席"})
    assert answer.status_code == 200 and answer.json()["status"] == "refused"
    assert post(clients["staff"], path, {"approve": True}).status_code in (403, 409)


@time_machine.travel(DURING, tick=False)
def test_check_in_over_the_api(world: World, clients: dict[str, Client]) -> None:
    code = code_for(world.sitting.pk, DURING)
    path = api(f"/{world.meeting.pk}/check-in")
    for name, status in [("staff", 403), ("leader", 403), ("outsider", 404), ("anonymous", 401)]:
        assert post(clients[name], path, {"code": code}).status_code == status
    assert not CheckIn.objects.exists()
    answer = post(clients["member"], path, {"code": code})
    assert answer.status_code == 201 and answer.json()["sitting_number"] == 1
    assert post(clients["member"], path, {"code": code}).status_code == 400  # already checked in
    other = MeetingFactory(council=world.cast.city, term=world.cast.term)
    wrong = post(clients["member"], api(f"/{other.pk}/check-in"), {"code": code})
    assert wrong.status_code == 400
    expired = post(login(world), path, {"code": code_for(world.sitting.pk, DURING - dt.timedelta(minutes=2))})
    assert expired.status_code == 400
    assert CheckIn.objects.count() == 1
