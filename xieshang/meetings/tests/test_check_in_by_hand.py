"""Checking members in by hand from the attendance sheet: several at once
through the person picker; one who cannot go in is named, the others go in;
only staff who take attendance may, and a refusal changes nothing."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from xieshang.core.testing import assert_nothing_changed, parse_html
from xieshang.meetings.models import CheckIn
from xieshang.meetings.tests.conftest import World

pytestmark = pytest.mark.django_db


def post(world: World, client: Client, *member_ids: int) -> object:
    address = reverse(
        "meetings:manual_check_in", kwargs={"council_slug": "city", "sitting_id": world.sitting.pk}
    )
    with time_machine.travel(world.sitting.starts_at, tick=False):
        return client.post(address, {"members": [str(pk) for pk in member_ids]}, follow=True)


def checked_in(world: World) -> set[int]:
    return set(CheckIn.objects.filter(sitting=world.sitting).values_list("member_id", flat=True))


def test_staff_check_in_several_members_at_once(world: World, clients: dict[str, Client]) -> None:
    post(world, clients["staff"], world.cast.member_record.pk, world.colleague_record.pk)
    assert checked_in(world) == {world.cast.member_record.pk, world.colleague_record.pk}


def test_one_not_invited_is_named_and_the_others_go_in(world: World, clients: dict[str, Client]) -> None:
    response = post(world, clients["staff"], world.colleague_record.pk, world.bystander_record.pk)
    assert checked_in(world) == {world.colleague_record.pk}
    alerts = [a.text for a in parse_html(response.content).find_all("div", class_="alert")]  # type: ignore[attr-defined]
    assert any("赵委员" in text for text in alerts)
    assert any("王委员" in text for text in alerts)


def test_the_sheet_offers_the_picker_not_every_member(world: World, clients: dict[str, Client]) -> None:
    sheet = reverse("meetings:sheet", kwargs={"council_slug": "city", "pk": world.meeting.pk})
    with time_machine.travel(world.sitting.starts_at, tick=False):
        page = parse_html(clients["staff"].get(sheet).content)
    select = page.one("select", name="members")
    assert select.attrs["data-person-picker"].startswith("/c/city/members/pick/")
    assert select.find_all("option") == []


@pytest.mark.parametrize("who", ["member", "liaison", "upper"])
def test_others_may_not_check_members_in(world: World, clients: dict[str, Client], who: str) -> None:
    with assert_nothing_changed(CheckIn, denied=True):
        response = post(world, clients[who], world.colleague_record.pk)
    assert response.status_code == 403  # type: ignore[attr-defined]
