from __future__ import annotations

import time_machine
from django.urls import reverse

from xieshang.meetings.tests.conftest import BEFORE, World


def url(name: str, **kwargs: object) -> str:
    return reverse(f"meetings:{name}", kwargs={"council_slug": "city", **kwargs})


@time_machine.travel(BEFORE, tick=False)
def test_staff_and_member_pages_render(world: World, clients) -> None:
    m = world.meeting
    for name, path in [
        ("staff", url("list")),
        ("staff", url("create")),
        ("staff", url("edit", pk=m.pk)),
        ("staff", url("detail", pk=m.pk)),
        ("staff", url("invitees", pk=m.pk)),
        ("staff", url("sheet", pk=m.pk)),
        ("staff", url("leave_queue")),
        ("staff", url("flags")),
        ("staff", url("code_screen", sitting_id=world.sitting.pk)),
        ("staff", url("member_record", member_id=world.cast.member_record.pk)),
        ("member", url("mine")),
        ("member", url("detail", pk=m.pk)),
        ("leader", url("list")),
    ]:
        response = clients[name].get(path)
        assert response.status_code == 200, (name, path, response.status_code)
