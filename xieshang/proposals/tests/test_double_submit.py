"""A proposal sent twice — a double click, a second tab, a colleague who got
there first — is a conflict that names what happened (409), not a refusal:
the second request changes nothing and is not logged as a permission denial.
"""

from __future__ import annotations

import pytest
from django.test import Client

from xieshang.accounts.tokens import create_token
from xieshang.core.errors import InvalidTransition, StaleEdit
from xieshang.core.models import AuditEntry, Event
from xieshang.proposals.actions.filing import invite_cosigners, save_draft, submit_proposal
from xieshang.proposals.actions.review import accept_proposal
from xieshang.proposals.models import Proposal
from xieshang.proposals.tests.conftest import World

pytestmark = pytest.mark.django_db


def denials() -> int:
    return AuditEntry.objects.filter(outcome="denied").count()


def submissions(proposal: Proposal) -> int:
    return Event.objects.filter(object_id=str(proposal.pk), type="proposal.submitted").count()


def test_the_second_submit_on_the_page_is_a_conflict_naming_the_state_not_a_denial(
    world: World, clients: dict[str, Client]
) -> None:
    proposal = world.draft()
    url = f"/c/city/proposals/{proposal.pk}/submit/"
    first = clients["member"].post(url, {"version": proposal.version})
    assert first.status_code == 302
    second = clients["member"].post(url, {"version": proposal.version})
    assert second.status_code == 409
    assert "submitted" in second.content.decode()
    assert denials() == 0
    assert submissions(proposal) == 1


def test_the_second_submit_through_the_api_is_a_409_without_a_denial(world: World) -> None:
    proposal = world.draft()
    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(user=world.cast.member, name='测试')[1]}")
    url = f"/api/v1/c/city/proposals/{proposal.pk}/submit"
    assert client.post(url, "{}", content_type="application/json").status_code == 200
    second = client.post(url, "{}", content_type="application/json")
    assert second.status_code == 409
    assert "«submitted»" in second.json()["detail"]
    assert denials() == 0
    assert submissions(proposal) == 1


def test_the_loser_of_a_race_holding_the_copy_it_read_gets_a_conflict(world: World) -> None:
    # Both requests read the draft; the first commits its submission; the
    # second acts on the copy it read before.
    read_by_second = Proposal.objects.get(pk=world.draft().pk)
    submit_proposal(Proposal.objects.get(pk=read_by_second.pk), actor=world.actor("member"))
    with pytest.raises(StaleEdit, match="«submitted»"):
        submit_proposal(read_by_second, actor=world.actor("member"), expected_version=read_by_second.version)
    with pytest.raises(InvalidTransition, match="«submitted»"):
        submit_proposal(read_by_second, actor=world.actor("member"))
    assert submissions(read_by_second) == 1


def test_editing_or_inviting_on_a_proposal_submitted_meanwhile_is_a_conflict(world: World) -> None:
    proposal = world.submitted()
    with pytest.raises(InvalidTransition):
        save_draft(proposal, actor=world.actor("member"), content=world.content(title="改"))
    with pytest.raises(InvalidTransition):
        invite_cosigners(proposal, actor=world.actor("member"), members=[world.cosigner])
    assert Proposal.objects.get(pk=proposal.pk).title == world.content().title


def test_a_second_acceptance_by_another_staff_member_is_a_conflict(world: World) -> None:
    proposal = world.submitted()
    accept_proposal(proposal, actor=world.actor("staff"))
    with pytest.raises(InvalidTransition, match="«accepted»"):
        accept_proposal(proposal, actor=world.actor("staff"))
