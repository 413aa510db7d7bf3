"""The message that brings the minutes to the party-committee and government
offices opens for them: they read a consultation once its minutes were sent."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from xieshang.consultations.actions import consultations as actions
from xieshang.consultations.tests.conftest import World
from xieshang.consultations.tests.test_consultations import held
from xieshang.core.models import Notification

pytestmark = pytest.mark.django_db


def detail(pk: int) -> str:
    return reverse("consultations:detail", kwargs={"council_slug": "city", "pk": pk})


def test_an_office_opens_the_consultation_its_minutes_message_names(
    world: World, clients: dict[str, Client]
) -> None:
    consultation = held(world)
    # Before the minutes go out, the office has no way in.
    assert clients["oversight"].get(detail(consultation.pk)).status_code == 404
    actions.send_minutes(consultation, minutes="协商活动纪要：……", actor=world.actor("staff"))
    message = Notification.objects.get(kind="consultations.minutes", recipient=world.cast.oversight)
    assert message.url == detail(consultation.pk)
    page = clients["oversight"].get(message.url)
    assert page.status_code == 200
    assert consultation.topic in page.content.decode()


def test_a_member_not_invited_still_gets_no_consultation(world: World, clients: dict[str, Client]) -> None:
    consultation = held(world)
    actions.send_minutes(consultation, minutes="纪要", actor=world.actor("staff"))
    assert clients["liaison"].get(detail(consultation.pk)).status_code in (403, 404)
