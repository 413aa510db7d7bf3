"""Liaison pages over HTTP: permission matrices, tenant isolation, forms
that name the problem, the statistics and their export, constant queries."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from xieshang.core.testing import Expect, assert_same_not_found, run_permission_matrix
from xieshang.councils.tests.factories import MemberFactory
from xieshang.liaison.models import Concern, ConcernNote, Constituent, LiaisonVisit, PlannedVisit
from xieshang.liaison.tests.conftest import World
from xieshang.liaison.tests.factories import ConstituentFactory

pytestmark = pytest.mark.django_db
DENIED = Expect(403)
HIDDEN = Expect(404)
LOGIN = Expect(302)


def url(name: str, council: str = "city", **kwargs: object) -> str:
    return reverse(f"liaison:{name}", kwargs={"council_slug": council, **kwargs})


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, 0), tick=False):
        yield


def concern_state(concern: Concern) -> tuple[object, ...]:
    concern.refresh_from_db()
    return (concern.status, concern.resolution, concern.version, ConcernNote.objects.count())


def test_resolving_a_concern_permission_matrix(world: World, clients: dict[str, Client]) -> None:
    concern = world.concern()
    run_permission_matrix(
        clients=clients,
        method="post",
        url=url("concern_resolve", pk=concern.pk),
        data={"resolution": "已完成道路排水改造。"},
        expectations={
            "anonymous": LOGIN,
            # Members and leaders read the concern but do not work on it.
            "member": DENIED,
            "leader": DENIED,
            # Not this unit's office; cannot see it at all.
            "oversight": HIDDEN,
            "admin": HIDDEN,
            "upper": DENIED,
            "outsider": HIDDEN,
            "platform": HIDDEN,
            "liaison": Expect(302, changes=True),
        },
        snapshot=lambda: concern_state(concern),
    )
    assert concern.status == "resolved"


def test_closing_a_concern_is_for_staff_only(world: World, clients: dict[str, Client]) -> None:
    concern = world.concern()
    run_permission_matrix(
        clients=clients,
        method="post",
        url=url("concern_close", pk=concern.pk),
        data={"reason": "已并入全市排水改造项目。"},
        expectations={
            "anonymous": LOGIN,
            "member": DENIED,
            "leader": DENIED,
            "liaison": DENIED,
            "oversight": DENIED,
            "admin": DENIED,
            "upper": DENIED,
            "outsider": HIDDEN,
            "platform": DENIED,
            "staff": Expect(302, changes=True),
        },
        snapshot=lambda: concern_state(concern),
    )
    assert concern.status == "closed" and concern.close_reason == "已并入全市排水改造项目。"


def test_concern_page_permission_matrix(world: World, clients: dict[str, Client]) -> None:
    concern = world.concern()
    run_permission_matrix(
        clients=clients,
        method="get",
        url=url("concern", pk=concern.pk),
        expectations={
            "anonymous": LOGIN,
            "member": Expect(200),
            "staff": Expect(200),
            "leader": Expect(200),
            "liaison": Expect(200),
            "oversight": HIDDEN,
            "admin": HIDDEN,
            "upper": DENIED,
            "outsider": HIDDEN,
            "platform": HIDDEN,
        },
        snapshot=lambda: concern_state(concern),
    )


def test_the_side_panel_shows_only_what_this_user_may_do(world: World, clients: dict[str, Client]) -> None:
    concern = world.concern()
    panels = {
        name: clients[name].get(url("concern", pk=concern.pk)).content.decode()
        for name in ("member", "liaison", "staff", "leader")
    }
    assert (
        'data-testid="action-report"' in panels["member"]
        and 'data-testid="resolve-form"' not in panels["member"]
    )
    assert (
        'data-testid="resolve-form"' in panels["liaison"]
        and 'data-testid="close-form"' not in panels["liaison"]
    )
    assert (
        'data-testid="close-form"' in panels["staff"] and 'data-testid="action-report"' not in panels["staff"]
    )
    assert 'data-testid="resolve-form"' not in panels["leader"]


def test_another_councils_liaison_gets_the_same_404_and_changes_nothing(
    world: World, clients: dict[str, Client]
) -> None:
    concern = world.concern()
    other = Client()
    other.force_login(world.other_liaison, backend="xieshang.accounts.backends.UsernameOrMobileBackend")
    before = concern_state(concern)
    assert_same_not_found(
        other, url("concern", "othercity", pk=concern.pk), url("concern", "othercity", pk=999999)
    )
    response = other.post(url("concern_resolve", "othercity", pk=concern.pk), {"resolution": "已解决"})
    assert response.status_code == 404
    response = other.post(url("concern_note", "othercity", pk=concern.pk), {"text": "进展"})
    assert response.status_code == 404
    assert concern_state(concern) == before
    assert concern.pk not in [
        c.pk for c in other.get(url("concerns", "othercity")).context["page"].object_list
    ]


def test_recording_a_visit_to_another_councils_member_is_refused_and_nothing_saved(
    world: World, clients: dict[str, Client]
) -> None:
    response = clients["staff"].get(url("record") + f"?member={world.other_member.pk}")
    # The other council's member is not offered: the chooser says so.
    assert response.status_code == 200
    assert "record_member" in response.templates[0].name
    assert response.context["chooser"].errors["member"]
    response = clients["staff"].post(
        url("record") + f"?member={world.other_member.pk}",
        {"visited_on": "2026-06-15", "leaders": [world.cast.leader.pk], "discussion": "走访"},
    )
    assert response.status_code == 200
    assert not LiaisonVisit.objects.exists()


def test_recording_a_visit_over_http_with_a_concern(world: World, clients: dict[str, Client]) -> None:
    member = world.cast.member_record
    response = clients["leader"].post(
        url("record") + f"?member={member.pk}",
        {
            "visited_on": "2026-06-12",
            "leaders": [world.cast.leader.pk, world.vice_chair.pk],
            "constituents": [c.pk for c in world.constituents],
            "discussion": "座谈了解社区养老服务需求。",
            "concern-title": "社区缺少老年食堂",
            "concern-handling_unit": world.unit.pk,
            "concern-due_on": "2026-07-31",
        },
    )
    assert response.status_code == 302
    visit = LiaisonVisit.objects.get()
    assert visit.concerns.get().title == "社区缺少老年食堂"
    assert visit.constituents.count() == 2


def test_the_visit_form_names_the_problem_and_keeps_what_was_typed(
    world: World, clients: dict[str, Client]
) -> None:
    response = clients["staff"].post(
        url("record") + f"?member={world.cast.member_record.pk}",
        {
            "visited_on": "2026-07-01",
            "leaders": [world.cast.leader.pk],
            "discussion": "座谈内容很长的记录",
        },
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["visited_on"]
    assert "座谈内容很长的记录" in response.content.decode()
    assert not LiaisonVisit.objects.exists()


def test_record_visit_permission_matrix(world: World, clients: dict[str, Client]) -> None:
    member = world.cast.member_record

    def data() -> dict[str, object]:
        return {"visited_on": "2026-06-12", "leaders": [world.cast.leader.pk], "discussion": "走访座谈"}

    run_permission_matrix(
        clients=clients,
        method="post",
        url=url("record") + f"?member={member.pk}",
        data=data,
        expectations={
            "anonymous": LOGIN,
            "member": DENIED,
            "liaison": DENIED,
            "oversight": DENIED,
            "admin": DENIED,
            "upper": DENIED,
            "outsider": HIDDEN,
            "platform": DENIED,
            "staff": Expect(302, changes=True),
            "leader": Expect(302, changes=True),
        },
        snapshot=lambda: LiaisonVisit.objects.count(),
    )
    assert LiaisonVisit.objects.count() == 2


def test_plan_edit_permission_matrix(world: World, clients: dict[str, Client]) -> None:
    target = url("plan_edit", leader_id=world.vice_chair.pk, year=2026)
    run_permission_matrix(
        clients=clients,
        method="post",
        url=target,
        data={"m1_1": world.cast.member_record.pk},
        expectations={
            "anonymous": LOGIN,
            "member": DENIED,
            # A leader plans their own visits, not another leader's.
            "leader": DENIED,
            "liaison": DENIED,
            "oversight": DENIED,
            "admin": DENIED,
            "upper": DENIED,
            "outsider": HIDDEN,
            "platform": DENIED,
            "staff": Expect(302, changes=True),
        },
        snapshot=lambda: list(PlannedVisit.objects.values_list("month", "member_id")),
    )
    assert list(PlannedVisit.objects.values_list("month", "member_id")) == [(1, world.cast.member_record.pk)]


def test_plans_page_shows_each_leader_month_by_month(world: World, clients: dict[str, Client]) -> None:
    clients["leader"].post(
        url("plan_edit", leader_id=world.cast.leader.pk, year=2026), {"m3_1": world.cast.member_record.pk}
    )
    body = clients["staff"].get(url("plans") + "?year=2026").content.decode()
    assert "李委员" in body and "副主席" in body


def test_constituents_are_the_members_own_and_phones_masked_for_others(
    world: World, clients: dict[str, Client]
) -> None:
    own = clients["member"].get(url("constituents")).content.decode()
    assert "张大爷" in own and world.constituents[0].phone in own
    # Another member's constituent is out of reach by id.
    stranger = ConstituentFactory(
        council=world.cast.city, member=MemberFactory(council=world.cast.city, term=world.cast.term)
    )
    assert clients["member"].get(url("constituent_edit", pk=stranger.pk)).status_code == 404
    for name in ("staff", "leader", "liaison"):
        assert clients[name].get(url("constituents")).status_code == 403
    # Leaders see constituents' names on the visit, never their phones.
    visit = world.visit(concerns=0)
    page = clients["leader"].get(url("visit", pk=visit.pk)).content.decode()
    assert "张大爷" in page and world.constituents[0].phone not in page


def test_a_member_adds_a_constituent_on_the_phone_form(world: World, clients: dict[str, Client]) -> None:
    response = clients["member"].post(
        url("constituent_create"),
        {
            "name": "城西农贸市场商户协会",
            "kind": "organisation",
            "sector_area": "农贸市场",
            "phone": "0571-8888888",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Constituent.objects.filter(name="城西农贸市场商户协会", member=world.cast.member_record).exists()
    bad = clients["member"].post(
        url("constituent_create"), {"name": "王某", "kind": "person", "phone": "abc"}
    )
    assert bad.status_code == 200 and list(bad.context["form"].errors) == ["phone"]


def test_converting_a_concern_over_http_links_both_pages(world: World, clients: dict[str, Client]) -> None:
    concern = world.concern()
    response = clients["member"].post(
        url("concern_to_report", pk=concern.pk),
        {
            "title": "关于解决城东社区道路积水问题的建议",
            "problem": "道路积水严重。",
            "analysis": "管网老化。",
            "suggestion": "纳入改造计划。",
        },
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert response["Location"].endswith(f"/opinions/{concern.opinion_report_id}/")
    report_page = clients["member"].get(response["Location"]).content.decode()
    assert url("concern", pk=concern.pk) in report_page
    concern_page = clients["member"].get(url("concern", pk=concern.pk)).content.decode()
    assert 'data-testid="report-link"' in concern_page and 'data-testid="action-report"' not in concern_page
    response = clients["member"].post(
        url("concern_to_proposal", pk=concern.pk),
        {"title": "关于加快排水管网改造的提案", "situation": "积水。"},
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.proposal_id is not None
    assert (
        'data-testid="proposal-link"' in clients["member"].get(url("concern", pk=concern.pk)).content.decode()
    )


def test_statistics_count_members_constituents_and_concerns_per_leader(
    world: World, clients: dict[str, Client]
) -> None:
    world.visit(concerns=2)
    concern = Concern.objects.first()
    assert concern is not None
    clients["liaison"].post(url("concern_resolve", pk=concern.pk), {"resolution": "已解决。"})
    response = clients["leader"].get(url("statistics") + "?year=2026")
    figures = response.context["figures"]
    assert figures.overall.members_visited == 1
    assert figures.overall.constituents_reached == 2
    assert (
        figures.overall.concerns_raised,
        figures.overall.concerns_resolved,
        figures.overall.concerns_open,
    ) == (2, 1, 1)
    by_name = {row.name: row for row in figures.by_leader}
    assert by_name[world.cast.leader.display_name].visits == 1
    assert by_name[world.vice_chair.display_name].visits == 0
    assert 'data-chart="liaison-chart"' in response.content.decode()


def test_statistics_export_is_an_excel_file_with_the_same_numbers(
    world: World, clients: dict[str, Client]
) -> None:
    world.visit(concerns=1)
    response = clients["staff"].get(url("statistics_export") + "?year=2026")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[-1][2:] == (1, 1, 2, 1, 0, 1)
    assert clients["member"].get(url("statistics_export")).status_code == 403


def test_concern_list_queries_do_not_grow_with_concerns(world: World, clients: dict[str, Client]) -> None:
    world.visit(concerns=2)
    client = clients["staff"]
    client.get(url("concerns"))
    with CaptureQueriesContext(connection) as few:
        client.get(url("concerns"))
    world.visit(concerns=8, handling_unit=None, oversight_office=world.office)
    with CaptureQueriesContext(connection) as many:
        client.get(url("concerns"))
    assert len(many) == len(few)


def test_visit_list_queries_do_not_grow_with_visits(
    world: World, clients: dict[str, Client], django_assert_num_queries: object
) -> None:
    world.visit(concerns=0)
    client = clients["staff"]
    client.get(url("visits"))  # the first request after logging in records the activity (a write)
    with CaptureQueriesContext(connection) as few:
        client.get(url("visits"))
    for _ in range(5):
        world.visit(concerns=0)
    with CaptureQueriesContext(connection) as many:
        client.get(url("visits"))
    assert len(many) == len(few)


def test_the_unit_liaison_finds_the_concern_on_the_home_page(
    world: World, clients: dict[str, Client]
) -> None:
    world.concern()
    body = (
        clients["liaison"].get(reverse("dashboards:home", kwargs={"council_slug": "city"})).content.decode()
    )
    assert "小区门口道路积水严重" in body


def test_the_proposal_page_names_the_concern_it_came_from(world: World, clients: dict[str, Client]) -> None:
    concern = world.concern()
    clients["member"].post(
        url("concern_to_proposal", pk=concern.pk),
        {"title": "关于加快排水管网改造的提案", "situation": "积水。"},
    )
    concern.refresh_from_db()
    page = (
        clients["member"]
        .get(reverse("proposals:detail", kwargs={"council_slug": "city", "pk": concern.proposal_id}))
        .content.decode()
    )
    assert 'data-testid="liaison-origin"' in page and url("concern", pk=concern.pk) in page
