from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from xieshang.core.errors import Conflict
from xieshang.core.testing import assert_nothing_changed, parse_html
from xieshang.councils.tests.expectations import in_english
from xieshang.councils.tests.factories import AffiliationFactory, MemberGroupFactory, SectorFactory
from xieshang.proposals.actions.feedback import rate_reply
from xieshang.proposals.actions.filing import authorise_collective_filer, save_draft, submit_proposal
from xieshang.proposals.actions.handling import UnitRole, assign_proposal, release_reply, save_reply
from xieshang.proposals.actions.review import accept_proposal
from xieshang.proposals.models import CollectiveFiler, Proposal, Reply
from xieshang.proposals.states import AssignmentRole, ProposalStatus
from xieshang.proposals.tests.conftest import ASSIGNED_ON, RELEASED_ON, World

pytestmark = pytest.mark.django_db
S = ProposalStatus


def _url(name: str, **kwargs: object) -> str:
    return reverse(f"proposals:{name}", kwargs={"council_slug": "city", **kwargs})


def test_authorised_member_files_in_the_bodys_name_and_rates_the_reply(world: World) -> None:
    party = AffiliationFactory(council=world.cast.city, name="民进市委会")
    authorise_collective_filer(actor=world.actor("staff"), user=world.cast.member, body=party)
    member = world.actor("member")
    proposal = save_draft(None, actor=member, content=world.content(), collective_author=party)
    assert (proposal.lead_proposer, proposal.author_affiliation, proposal.author_name) == (
        None,
        party,
        "民进市委会",
    )
    proposal = submit_proposal(proposal, actor=member)
    proposal = accept_proposal(proposal, actor=world.actor("staff"))
    assign_proposal(
        proposal,
        actor=world.actor("staff"),
        units=[UnitRole(world.unit, AssignmentRole.LEAD)],
        assigned_on=ASSIGNED_ON,
    )
    reply = save_reply(
        world.assignment(proposal), actor=world.actor("liaison"), content=world.reply_content(), submit=True
    )
    release_reply(reply, actor=world.actor("staff"), today=RELEASED_ON)
    rate_reply(Reply.objects.get(), actor=member, satisfaction="satisfied", comment="", today=RELEASED_ON)
    assert Proposal.objects.get(pk=proposal.pk).status == S.RATED


def test_member_not_authorised_cannot_file_for_the_body(world: World) -> None:
    group = MemberGroupFactory(council=world.cast.city)
    with assert_nothing_changed(Proposal), pytest.raises(PermissionDenied):
        save_draft(None, actor=world.actor("member"), content=world.content(), collective_author=group)


# (who authorises, whom, a body of which council) -> the error
REFUSED_AUTHORISATIONS: dict[str, tuple[str, str, str, type[Exception]]] = {
    "a member may not authorise": ("member", "member", "city", PermissionDenied),
    "a body of another council": ("staff", "member", "other_city", ValidationError),
    "a user who is not a member": ("staff", "staff", "city", ValidationError),
}


@pytest.mark.parametrize(
    ("actor", "user", "council", "error"), REFUSED_AUTHORISATIONS.values(), ids=REFUSED_AUTHORISATIONS
)
def test_an_authorisation_is_refused_and_changes_nothing(
    world: World, actor: str, user: str, council: str, error: type[Exception]
) -> None:
    body = AffiliationFactory(council=getattr(world.cast, council))
    with assert_nothing_changed(CollectiveFiler), pytest.raises(error):
        authorise_collective_filer(actor=world.actor(actor), user=getattr(world.cast, user), body=body)


def test_staff_authorise_a_member_for_a_body_of_their_council_once(world: World) -> None:
    party = AffiliationFactory(council=world.cast.city)
    authorise_collective_filer(actor=world.actor("staff"), user=world.cast.member, body=party)
    assert list(CollectiveFiler.objects.values_list("user", "body_affiliation")) == [
        (world.cast.member.pk, party.pk)
    ]
    with assert_nothing_changed(CollectiveFiler), pytest.raises(Conflict):
        authorise_collective_filer(actor=world.actor("staff"), user=world.cast.member, body=party)


def test_collective_filing_over_http(world: World, clients: dict[str, Client]) -> None:
    party = AffiliationFactory(council=world.cast.city, name="九三学社市委会")
    response = clients["staff"].post(
        _url("collective"), {"user": world.cast.member.pk, "body": f"affiliation:{party.pk}"}
    )
    assert response.status_code == 302
    form_page = clients["member"].get(_url("create")).content.decode()
    assert "九三学社市委会" in form_page
    response = clients["member"].post(
        _url("create"),
        {
            "title": "关于加强科普阵地建设的建议",
            "category": world.category.pk,
            "window": "session",
            "situation": "情况",
            "suggestions": "建议",
            "file_as": f"affiliation:{party.pk}",
            "save": "1",
        },
    )
    assert response.status_code == 302
    assert Proposal.objects.get().author_affiliation == party
    assert clients["member"].get(_url("mine")).content.decode().count("关于加强科普阵地建设的建议") == 1


def test_an_affiliation_and_a_sector_of_the_same_name_read_apart_as_choices(
    world: World, clients: dict[str, Client]
) -> None:
    party = AffiliationFactory(council=world.cast.city, name="中国共产党")
    sector = SectorFactory(council=world.cast.city, name="中国共产党")
    for body in (party, sector):
        authorise_collective_filer(actor=world.actor("staff"), user=world.cast.member, body=body)
    page = parse_html(in_english(clients["member"]).get(_url("create")).content)
    labels = [option.text for option in page.one("select", name="file_as").find_all("option")][1:]
    assert sorted(labels) == ["中国共产党 (affiliation)", "中国共产党 (sector)"]
    staff_page = parse_html(in_english(clients["staff"]).get(_url("collective")).content)
    choices = [option.text for option in staff_page.one("select", name="body").find_all("option")]
    assert "中国共产党 (affiliation)" in choices and "中国共产党 (sector)" in choices
