"""The assignment form starts with the units the member suggested; the unit
inbox lists what is in hand by due date (after extensions), the overdue
first, and keeps closed proposals in a tab of their own."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from xieshang.core.testing import parse_html
from xieshang.councils.tests.factories import HandlingUnitFactory
from xieshang.proposals.actions.filing import save_draft, submit_proposal
from xieshang.proposals.actions.review import accept_proposal
from xieshang.proposals.models import Assignment, Proposal
from xieshang.proposals.tests.conftest import World
from xieshang.proposals.tests.test_views import url

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)


def accepted_with(world: World, *units: Any) -> Proposal:
    draft = save_draft(None, actor=world.actor("member"), content=world.content(suggested_units=units))
    return accept_proposal(submit_proposal(draft, actor=world.actor("member")), actor=world.actor("staff"))


def selected(page: Any, name: str) -> list[str]:
    select = page.one("select", name=name)
    return [o.attrs["value"] for o in select.find_all("option") if "selected" in o.attrs]


class TestAssignFormStartsWithTheSuggestedUnits:
    def test_lead_is_the_first_suggested_and_helpers_the_rest(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        world.unit.sort_order, world.other_unit.sort_order = 2, 1
        world.unit.save()
        world.other_unit.save()
        third = HandlingUnitFactory(council=world.cast.city, name="市民政局", sort_order=3)
        proposal = accepted_with(world, third, world.unit, world.other_unit)
        page = parse_html(clients["staff"].get(url("assign", pk=proposal.pk)).content)
        assert selected(page, "lead_unit") == [str(world.other_unit.pk)]
        assert selected(page, "helper_units") == [str(world.unit.pk), str(third.pk)]

    def test_nothing_is_chosen_when_nothing_was_suggested(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        proposal = accepted_with(world)
        page = parse_html(clients["staff"].get(url("assign", pk=proposal.pk)).content)
        assert selected(page, "lead_unit") in ([], [""])
        assert selected(page, "helper_units") == []

    def test_an_inactive_suggested_unit_is_left_out(self, world: World, clients: dict[str, Client]) -> None:
        proposal = accepted_with(world, world.other_unit, world.unit)
        world.other_unit.is_active = False
        world.other_unit.save()
        page = parse_html(clients["staff"].get(url("assign", pk=proposal.pk)).content)
        assert selected(page, "lead_unit") == [str(world.unit.pk)]
        assert selected(page, "helper_units") == []


def in_hand(world: World, *, due: dt.date, extended: dt.date | None = None) -> Assignment:
    row = world.assignment(world.assigned())
    Assignment.objects.filter(pk=row.pk).update(due_on=due, extended_due_on=extended)
    return row


def rows(client: Client, testid: str, query: str = "") -> list[int]:
    page = parse_html(client.get(url("inbox") + query).content)
    table = page.one("table", data_testid=testid)
    links = [tr.one("a").attrs["href"] for tr in table.find_all("tr", data_testid="unit-inbox-row")]
    return [int(href.rstrip("/").rsplit("/", 1)[1]) for href in links]


class TestUnitInbox:
    @pytest.fixture(autouse=True)
    def today(self) -> Any:
        with time_machine.travel(dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC), tick=False):
            yield

    def test_in_hand_by_due_date_after_extension_overdue_first(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        later = in_hand(world, due=dt.date(2026, 6, 20))
        extended = in_hand(world, due=dt.date(2026, 5, 10), extended=dt.date(2026, 7, 1))
        overdue = in_hand(world, due=dt.date(2026, 5, 20))
        soon = in_hand(world, due=dt.date(2026, 6, 5))
        assert rows(clients["liaison"], "unit-inbox") == [overdue.pk, soon.pk, later.pk, extended.pk]
        page = parse_html(clients["liaison"].get(url("inbox")).content)
        assert "1" in page.one(data_testid="unit-inbox-overdue").text

    def test_closed_proposals_are_apart(self, world: World, clients: dict[str, Client]) -> None:
        open_row = in_hand(world, due=dt.date(2026, 6, 20))
        closed_row = world.assignment(world.replied())
        assert rows(clients["liaison"], "unit-inbox") == [open_row.pk]
        assert rows(clients["liaison"], "unit-inbox-closed", "?tab=closed") == [closed_row.pk]
        tabs = parse_html(clients["liaison"].get(url("inbox")).content).one(data_testid="unit-inbox-tabs")
        assert [badge.text for badge in tabs.find_all("span", class_="badge")] == ["1", "1"]

    @pytest.mark.parametrize("tab", ["", "?tab=closed"], ids=["in-hand", "closed"])
    def test_query_count_is_pinned(
        self, world: World, clients: dict[str, Client], django_assert_num_queries: Any, tab: str
    ) -> None:
        for _ in range(2):
            in_hand(world, due=dt.date(2026, 5, 20))
            world.replied()
        client = clients["liaison"]
        client.get(url("inbox") + tab)
        with django_assert_num_queries(QUERIES[tab]):
            client.get(url("inbox") + tab)
        for _ in range(3):
            in_hand(world, due=dt.date(2026, 6, 20))
            world.replied()
        with django_assert_num_queries(QUERIES[tab]):
            client.get(url("inbox") + tab)


# The page frame, the tab's page and both tabs' counts, the overdue count,
# the deadline chips' calendar (in hand only), the follow-ups.
QUERIES = {"": 12, "?tab=closed": 11}
