"""The proposal page's side panel names what the viewer must do now: the
proposer rates a released reply, the unit writes its reply, staff check a
reply, an invited member answers the invitation to co-sign. Only when
nothing waits does it say so."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from xieshang.core.testing import HtmlElement, parse_html
from xieshang.councils.tests.expectations import in_english
from xieshang.proposals.actions.filing import invite_cosigners
from xieshang.proposals.actions.handling import record_handling_note
from xieshang.proposals.models import Assignment, Cosigner, Reply
from xieshang.proposals.states import NoteKind
from xieshang.proposals.tests.conftest import ASSIGNED_ON, RELEASED_ON, World

pytestmark = pytest.mark.django_db


def url(name: str, **kwargs: Any) -> str:
    return reverse(f"proposals:{name}", kwargs={"council_slug": "city", **kwargs})


def panel(client: Client, proposal_id: int) -> HtmlElement:
    response = client.get(url("detail", pk=proposal_id))
    assert response.status_code == 200
    return parse_html(response.content).one(data_testid="side-panel")


def test_the_proposer_is_asked_to_rate_a_released_reply(world: World, clients: dict[str, Client]) -> None:
    proposal = world.released()
    reply = Reply.objects.get(assignment__proposal=proposal)
    with time_machine.travel(RELEASED_ON, tick=False):
        side = panel(clients["member"], proposal.pk)
    assert side.one("a", data_testid="task-rate").attrs["href"] == url("rate", pk=reply.pk)
    assert side.find_all(data_testid="no-actions") == []


def test_the_unit_is_asked_to_write_its_reply(world: World, clients: dict[str, Client]) -> None:
    proposal = world.assigned()
    assignment = world.assignment(proposal)
    side = panel(in_english(clients["liaison"]), proposal.pk)
    link = side.one("a", data_testid="task-handle")
    assert link.attrs["href"] == url("assignment", pk=assignment.pk)
    assert link.text == "Write the reply"
    assert side.find_all(data_testid="no-actions") == []
    # On a phone the panel comes first when something waits.
    assert "order-first" in side.attrs["class"].split()


def test_staff_are_asked_to_check_a_submitted_reply(world: World, clients: dict[str, Client]) -> None:
    proposal = world.replied()
    reply = Reply.objects.get(assignment__proposal=proposal)
    side = panel(clients["staff"], proposal.pk)
    assert side.one("a", data_testid="task-check").attrs["href"] == url("check_reply", pk=reply.pk)


def test_an_invited_member_answers_the_invitation_from_the_page(world: World) -> None:
    proposal = world.draft()
    invite_cosigners(proposal, actor=world.actor("member"), members=[world.cosigner])
    row = Cosigner.objects.get(proposal=proposal)
    cosigner = Client()
    cosigner.force_login(world.cosigner_user)
    side = panel(cosigner, proposal.pk)
    form = side.one("form", data_testid="task-cosign")
    assert form.attrs["action"] == url("cosign_answer", pk=row.pk)
    assert [b.attrs["value"] for b in form.find_all("button")] == ["confirm", "refuse"]
    assert side.find_all(data_testid="no-actions") == []


def test_with_nothing_waiting_the_panel_says_so(world: World, clients: dict[str, Client]) -> None:
    proposal = world.released()
    # The rating window has closed: nothing is left for the proposer to do.
    side = panel(clients["member"], proposal.pk)
    assert side.find_all(data_testid="task-rate") == []
    assert len(side.find_all(data_testid="no-actions")) == 1
    assert "order-first" not in side.attrs["class"].split()


def test_the_page_has_no_two_sections_of_the_same_name(world: World, clients: dict[str, Client]) -> None:
    """The unit's handling records and the history of the proposal are
    different sections, and read differently in Chinese too."""
    proposal = world.assigned()
    record_handling_note(
        Assignment.objects.get(proposal=proposal),
        actor=world.actor("liaison"),
        kind=NoteKind.PRE_HANDLING_CONTACT,
        happened_on=ASSIGNED_ON,
        text="已电话联系提案人。",
        today=ASSIGNED_ON,
    )
    for language, records in (("zh-hans", "办理记录"), ("en", "Handling records")):
        client = clients["staff"]
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        page = parse_html(client.get(url("detail", pk=proposal.pk)).content)
        headings = [h.text for h in page.find_all("h2")]
        assert headings.count(records) == 1
        assert len(headings) == len(set(headings)), headings
