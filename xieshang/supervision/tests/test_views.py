"""Supervision pages over HTTP: permission matrices for every persona, the
tenant rule (another council's id answers as a missing one), the campaign
page's states and figures, escaped text, and constant queries."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xieshang.core.testing import Expect, assert_same_not_found, parse_html, run_permission_matrix
from xieshang.supervision.actions import CampaignData, TargetData, add_targets, create_campaign
from xieshang.supervision.models import (
    Inspection,
    LetterReply,
    RecommendationLetter,
    RecommendationReply,
    SupervisionCampaign,
)
from xieshang.supervision.tests.conftest import World, photo

pytestmark = pytest.mark.django_db
DENIED = Expect(403)
HIDDEN = Expect(404)
LOGIN = Expect(302)
OK = Expect(200)


def url(name: str, council: str = "city", **kwargs: object) -> str:
    return reverse(f"supervision:{name}", kwargs={"council_slug": council, **kwargs})


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, 0), tick=False):
        yield


def test_campaign_page_permission_matrix(world: World, clients: dict[str, Client]) -> None:
    run_permission_matrix(
        clients=clients,
        method="get",
        url=url("campaign", pk=world.campaign.pk),
        expectations={
            "anonymous": LOGIN,
            "staff": OK,
            "leader": OK,
            "member": OK,
            "admin": DENIED,
            "liaison": DENIED,
            "oversight": DENIED,
            # The upper council sees the figures, never the records.
            "upper": DENIED,
            "outsider": HIDDEN,
            "platform": DENIED,
        },
        snapshot=lambda: SupervisionCampaign.objects.count(),
    )


def _inspection_post() -> dict[str, object]:
    return {
        "target": "",
        "inspected_on": "2026-06-15",
        "is_unannounced": "on",
        "findings": "河面漂浮垃圾较多。",
        "problem_1": "排污口偷排",
    }


def test_recording_an_inspection_permission_matrix(world: World, clients: dict[str, Client]) -> None:
    def data() -> dict[str, object]:
        return {
            **_inspection_post(),
            "target": world.river.pk,
            "participants": [world.cast.member_record.pk],
            "problem_1_unit": world.unit.pk,
        }

    run_permission_matrix(
        clients=clients,
        method="post",
        url=url("inspect", pk=world.campaign.pk),
        data=data,
        expectations={
            "anonymous": LOGIN,
            # The leader reads the campaign but inspects nothing: the form
            # offers no target, so nothing is recorded.
            "leader": OK,
            "admin": DENIED,
            "liaison": DENIED,
            "oversight": DENIED,
            "upper": DENIED,
            "outsider": HIDDEN,
            "platform": DENIED,
            "member": Expect(302, changes=True),
            "staff": Expect(302, changes=True),
        },
        snapshot=lambda: Inspection.objects.count(),
    )
    assert Inspection.objects.filter(is_unannounced=True).count() == 2


def test_member_records_an_inspection_with_two_photos(world: World, clients: dict[str, Client]) -> None:
    response = clients["member"].post(
        url("inspect", pk=world.campaign.pk),
        {
            **_inspection_post(),
            "target": world.river.pk,
            "participants": [world.cast.member_record.pk, world.second_member.pk],
            "problem_1_unit": world.unit.pk,
            "photos": [photo("一.jpg"), photo("二.jpg")],
        },
    )
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    assert response["Location"].startswith(url("inspection", pk=inspection.pk))
    page = parse_html(clients["member"].get(response["Location"]).content)
    assert len(page.one("div", data_testid="photos").find_all("img")) == 2
    photo_url = page.one("div", data_testid="photos").find_all("img")[0].attrs["src"]
    assert clients["member"].get(photo_url)["Content-Type"] == "image/jpeg"
    assert clients["liaison"].get(photo_url).status_code == 403


def test_campaign_page_shows_each_targets_state(world: World, clients: dict[str, Client]) -> None:
    page = parse_html(clients["staff"].get(url("campaign", pk=world.campaign.pk)).content)
    states = {
        row.attrs["data-testid"]: row.one("span", data_testid="target-state").attrs["data-state"]
        for row in page.one("table", data_testid="targets").find_all("tr")[1:]
    }
    assert states == {"target-HC-01": "not_inspected", "target-HC-02": "not_inspected"}
    recommendation = world.recommendation()
    page = parse_html(clients["staff"].get(url("campaign", pk=world.campaign.pk)).content)
    assert (
        page.one("tr", data_testid="target-HC-01").one("span", data_testid="target-state").attrs["data-state"]
        == "problems_open"
    )
    assert "1 / 1" in page.one("p", data_testid="unannounced-share").text
    clients["liaison"].post(url("recommendation_reply", pk=recommendation.pk), {"text": "已封堵。"})
    clients["staff"].post(url("recommendation_resolve", pk=recommendation.pk), {"version": 2})
    page = parse_html(clients["staff"].get(url("campaign", pk=world.campaign.pk)).content)
    assert (
        page.one("tr", data_testid="target-HC-01").one("span", data_testid="target-state").attrs["data-state"]
        == "resolved"
    )


def test_each_figure_opens_its_rows(world: World, clients: dict[str, Client]) -> None:
    world.inspect()
    page = parse_html(
        clients["staff"].get(url("campaign_rows", pk=world.campaign.pk) + "?unannounced=1").content
    )
    assert len(page.one("ul", data_testid="rows-inspections").find_all("li")) == 1
    page = parse_html(
        clients["staff"].get(url("campaign_rows", pk=world.campaign.pk) + "?state=not_inspected").content
    )
    assert "西沙涌" in page.one("ul", data_testid="rows-targets").text


def test_campaign_page_queries_do_not_grow_with_the_targets(world: World, clients: dict[str, Client]) -> None:
    world.inspect()
    client = clients["staff"]
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("campaign", pk=world.campaign.pk)).status_code == 200
    add_targets(
        world.campaign,
        actor=world.actor("staff"),
        targets=[TargetData(f"X-{n}", f"河{n}", "城北区", world.kind, world.unit) for n in range(30)],
    )
    world.inspect(target=world.river)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url("campaign", pk=world.campaign.pk)).status_code == 200
    assert len(many) == len(few)


def test_script_in_findings_is_stored_as_typed_and_shown_escaped(
    world: World, clients: dict[str, Client]
) -> None:
    inspection = world.inspect(findings="<script>alert(1)</script>")
    assert inspection.findings == "<script>alert(1)</script>"
    body = clients["staff"].get(url("inspection", pk=inspection.pk)).content
    assert b"<script>alert(1)</script>" not in body
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_another_councils_campaign_answers_as_a_missing_one(
    world: World, clients: dict[str, Client], cast
) -> None:
    theirs = create_campaign(
        actor=cast.actor("outsider", "other_city"),
        data=CampaignData("外市专项", 2026, dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
    )
    assert_same_not_found(
        clients["staff"], url("campaign", pk=theirs.pk), url("campaign", pk=theirs.pk + 1000)
    )
    assert_same_not_found(clients["staff"], url("inspect", pk=theirs.pk), url("inspect", pk=theirs.pk + 1000))


def test_replying_to_a_recommendation_permission_matrix(world: World, clients: dict[str, Client]) -> None:
    row = world.recommendation()
    run_permission_matrix(
        clients=clients,
        method="post",
        url=url("recommendation_reply", pk=row.pk),
        data={"text": "已封堵排污口。"},
        expectations={
            "anonymous": LOGIN,
            "staff": DENIED,
            "leader": DENIED,
            "member": DENIED,
            "admin": HIDDEN,
            "oversight": HIDDEN,
            # The upper council's staff only ever reach the figures.
            "upper": DENIED,
            "outsider": HIDDEN,
            "platform": HIDDEN,
            "liaison": Expect(302, changes=True),
        },
        snapshot=lambda: RecommendationReply.objects.count(),
    )


def test_answering_a_letter_permission_matrix(world: World, clients: dict[str, Client]) -> None:
    letter = world.letter()
    run_permission_matrix(
        clients=clients,
        method="post",
        url=url("letter_answer", pk=letter.pk),
        data={"text": "已延长午间办事时间。"},
        expectations={
            "anonymous": LOGIN,
            "staff": DENIED,
            "leader": DENIED,
            "member": DENIED,
            "admin": HIDDEN,
            "oversight": HIDDEN,
            # The upper council's staff only ever reach the figures.
            "upper": DENIED,
            "outsider": HIDDEN,
            "platform": HIDDEN,
            "liaison": Expect(302, changes=True),
        },
        snapshot=lambda: LetterReply.objects.count(),
    )


def test_returning_an_answer_is_for_staff(world: World, clients: dict[str, Client]) -> None:
    letter = world.letter()
    clients["liaison"].post(url("letter_answer", pk=letter.pk), {"text": "已落实。"})
    run_permission_matrix(
        clients=clients,
        method="post",
        url=url("letter_return", pk=letter.pk),
        data={"reason": "未写明时限。"},
        expectations={
            "anonymous": LOGIN,
            "leader": DENIED,
            "member": DENIED,
            "liaison": DENIED,
            "admin": DENIED,
            "oversight": DENIED,
            "upper": DENIED,
            "outsider": HIDDEN,
            "platform": DENIED,
            "staff": Expect(302, changes=True),
        },
        snapshot=lambda: RecommendationLetter.objects.values_list("status", "was_returned").get(),
    )


def test_statistics_permission_matrix(world: World, clients: dict[str, Client]) -> None:
    run_permission_matrix(
        clients=clients,
        method="get",
        url=url("statistics"),
        expectations={
            "anonymous": LOGIN,
            # Whoever reads the council's figures, the upper council too.
            "staff": OK,
            "leader": OK,
            "upper": OK,
            "admin": OK,
            "oversight": OK,
            "member": DENIED,
            "liaison": DENIED,
            "platform": OK,
            "outsider": HIDDEN,
        },
        snapshot=lambda: 0,
    )


def test_statistics_give_numerators_and_denominators(world: World, clients: dict[str, Client]) -> None:
    world.inspect()
    world.inspect(is_unannounced=False)
    letter = world.letter()
    world.letter()
    clients["liaison"].post(url("letter_answer", pk=letter.pk), {"text": "已落实。"})
    page = parse_html(clients["upper"].get(url("statistics") + "?year=2026").content)
    assert page.one("td", data_testid="inspections").text == "2"
    assert page.one("td", data_testid="unannounced").text.startswith("1 / 2")
    assert page.one("td", data_testid="letters-answered").text.startswith("1 / 2")
    assert page.one("td", data_testid="supervisors").text == "3"
    assert "民主监督员第一小组" in page.one("table", data_testid="by-group").text


def test_unit_liaison_sees_the_group_posted_to_it(world: World, clients: dict[str, Client]) -> None:
    page = parse_html(clients["liaison"].get(url("postings")).content)
    assert "民主监督员第一小组" in page.one("ul", data_testid="posting-list").text
    assert clients["liaison"].get(url("posting", pk=world.posting.pk)).status_code == 200
    other = Client()
    other.force_login(world.other_liaison, backend="xieshang.accounts.backends.UsernameOrMobileBackend")
    assert other.get(url("posting", council="othercity", pk=world.posting.pk)).status_code == 404


def test_the_unit_records_its_yearly_feedback_on_the_posting_page(
    world: World, clients: dict[str, Client]
) -> None:
    from xieshang.supervision.models import SupervisionAppraisal

    response = clients["liaison"].post(
        url("appraisal_add", pk=world.posting.pk),
        {"kind": "unit_feedback", "year": 2026, "text": "<b>认真</b>"},
    )
    assert response.status_code == 302
    assert SupervisionAppraisal.objects.get().text == "<b>认真</b>"
    page = clients["staff"].get(url("posting", pk=world.posting.pk)).content
    assert b"&lt;b&gt;" in page
    refused = clients["member"].post(
        url("appraisal_add", pk=world.posting.pk), {"kind": "unit_feedback", "year": 2026, "text": "冒充单位"}
    )
    assert refused.status_code == 403
    assert SupervisionAppraisal.objects.count() == 1
