"""Follow-ups of B-category proposals (跟踪办理): opened when a proposal is
concluded with a reply in a category that needs one (B by default), due by
the end of the next year; the unit reports, staff close.

Who may do what:
  staff    – sees every follow-up of the council, closes reported ones
  leader   – sees every follow-up, changes nothing
  liaison  – sees and reports on their own unit's follow-ups only
  member, oversight, upper, platform – none of it (403)
  outsider – staff of another council: 404, as for a missing follow-up
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from xieshang.core.errors import InvalidTransition, StaleEdit
from xieshang.core.models import Event, Notification
from xieshang.core.testing import (
    Expect,
    assert_nothing_changed,
    assert_same_not_found,
    refused_except,
    run_permission_matrix,
    snapshot_rows,
)
from xieshang.councils.models import HandlingUnit, Role
from xieshang.councils.roles import Actor
from xieshang.councils.tests.factories import CouncilRoleFactory, HandlingUnitFactory, UserFactory
from xieshang.proposals.actions.followups import close_follow_up, open_follow_ups, report_follow_up
from xieshang.proposals.actions.handling import UnitRole, release_reply, save_reply
from xieshang.proposals.actions.reminders import remind_all
from xieshang.proposals.actions.review import conclude_proposal
from xieshang.proposals.models import Assignment, FollowUp, Proposal, Reply, ReplyCategory
from xieshang.proposals.states import AssignmentRole, EventType, FollowUpStatus
from xieshang.proposals.tests.conftest import RELEASED_ON, World
from xieshang.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db
F = FollowUpStatus


def url(name: str, **kwargs: Any) -> str:
    return reverse(f"proposals:{name}", kwargs={"council_slug": "city", **kwargs})


def _category(world: World, code: str) -> ReplyCategory:
    return ReplyCategory.objects.get(council=world.cast.city, code=code)


def _concluded(world: World, code: str = "B") -> Proposal:
    """A proposal whose one reply (category code) was rated, then concluded."""
    world.reply_category = _category(world, code)
    proposal = world.rated("satisfied")
    return conclude_proposal(proposal, actor=world.actor("staff"), today=RELEASED_ON)


def _events(proposal: Proposal, event_type: str) -> list[Event]:
    return list(Event.objects.filter(object_id=proposal.pk, type=event_type))


class TestOpening:
    def test_concluding_with_a_b_reply_opens_a_follow_up_due_by_the_end_of_next_year(
        self, world: World
    ) -> None:
        proposal = _concluded(world, "B")
        [follow_up] = FollowUp.objects.all()
        assert (follow_up.proposal, follow_up.unit, follow_up.status) == (proposal, world.unit, F.OPEN)
        assert follow_up.due_on == dt.date(2027, 12, 31)
        assert follow_up.reply == Reply.objects.get(assignment__proposal=proposal)
        [event] = _events(proposal, EventType.FOLLOW_UP_OPENED)
        assert event.data["category"] == "B" and event.data["due_on"] == "2027-12-31"

    @pytest.mark.parametrize("code", ["A", "C"])
    def test_other_categories_open_no_follow_up(self, world: World, code: str) -> None:
        proposal = _concluded(world, code)
        assert not FollowUp.objects.exists()
        assert _events(proposal, EventType.FOLLOW_UP_OPENED) == []

    def test_the_configured_category_decides_not_its_code(self, world: World) -> None:
        ReplyCategory.objects.filter(council=world.cast.city, code="C").update(needs_follow_up=True)
        ReplyCategory.objects.filter(council=world.cast.city, code="B").update(needs_follow_up=False)
        _concluded(world, "C")
        assert FollowUp.objects.count() == 1

    def test_opening_again_adds_nothing(self, world: World) -> None:
        proposal = _concluded(world, "B")
        assert open_follow_ups(proposal, actor=world.actor("staff"), today=RELEASED_ON) == []
        assert FollowUp.objects.count() == 1
        assert len(_events(proposal, EventType.FOLLOW_UP_OPENED)) == 1

    def test_split_units_each_get_their_own_only_for_a_b_reply(self, world: World) -> None:
        proposal = world.assigned(
            UnitRole(world.unit, AssignmentRole.SPLIT), UnitRole(world.other_unit, AssignmentRole.SPLIT)
        )
        for unit, code in ((world.unit, "B"), (world.other_unit, "A")):
            assignment = Assignment.objects.get(proposal=proposal, unit=unit)
            reply = save_reply(
                assignment,
                actor=_liaison_for(world, unit),
                content=world.reply_content(category=_category(world, code)),
                submit=True,
            )
            release_reply(reply, actor=world.actor("staff"), today=RELEASED_ON)
        conclude_proposal(proposal, actor=world.actor("staff"), today=dt.date(2026, 7, 1))
        assert list(FollowUp.objects.values_list("unit_id", flat=True)) == [world.unit.pk]


def _liaison_for(world: World, unit: HandlingUnit) -> Actor:
    """The world's liaison acts for its unit; another unit gets its own liaison."""
    if unit == world.unit:
        return world.actor("liaison")
    user = UserFactory(username=f"liaison-{unit.pk}")
    CouncilRoleFactory(user=user, council=world.cast.city, role=Role.UNIT_LIAISON, handling_unit=unit)
    return world.actor(user)


class TestReportAndClose:
    def test_unit_reports_then_staff_close_and_the_timeline_shows_both(self, world: World) -> None:
        proposal = _concluded(world)
        follow_up = FollowUp.objects.get()
        report_follow_up(follow_up, actor=world.actor("liaison"), result="已完成二期工程建设。")
        follow_up.refresh_from_db()
        assert (follow_up.status, follow_up.result, follow_up.reported_by) == (
            F.REPORTED,
            "已完成二期工程建设。",
            world.cast.liaison,
        )
        close_follow_up(follow_up, actor=world.actor("staff"), note="情况属实")
        follow_up.refresh_from_db()
        assert (follow_up.status, follow_up.closed_by, follow_up.close_note) == (
            F.CLOSED,
            world.cast.staff,
            "情况属实",
        )
        assert len(_events(proposal, EventType.FOLLOW_UP_REPORTED)) == 1
        assert len(_events(proposal, EventType.FOLLOW_UP_CLOSED)) == 1

    def test_staff_cannot_close_before_the_unit_reported(self, world: World) -> None:
        _concluded(world)
        with pytest.raises(InvalidTransition):
            close_follow_up(FollowUp.objects.get(), actor=world.actor("staff"))
        assert FollowUp.objects.get().status == F.OPEN

    def test_the_unit_may_correct_its_account_until_closed_but_not_after(self, world: World) -> None:
        _concluded(world)
        follow_up = FollowUp.objects.get()
        report_follow_up(follow_up, actor=world.actor("liaison"), result="第一稿")
        report_follow_up(follow_up, actor=world.actor("liaison"), result="已完成改造")
        close_follow_up(follow_up, actor=world.actor("staff"))
        with pytest.raises(InvalidTransition):
            report_follow_up(follow_up, actor=world.actor("liaison"), result="再补充")
        assert FollowUp.objects.get().result == "已完成改造"

    def test_an_empty_account_is_refused(self, world: World) -> None:
        _concluded(world)
        with pytest.raises(ValidationError):
            report_follow_up(FollowUp.objects.get(), actor=world.actor("liaison"), result="   ")
        assert FollowUp.objects.get().status == F.OPEN

    def test_another_units_liaison_cannot_report(self, world: World) -> None:
        _concluded(world)
        follow_up = FollowUp.objects.get()
        other_liaison = _liaison_for(world, world.other_unit)
        with assert_nothing_changed(follow_up), pytest.raises(PermissionDenied):
            report_follow_up(follow_up, actor=other_liaison, result="不是我们的")
        assert FollowUp.objects.get().status == F.OPEN

    def test_a_stale_form_overwrites_nothing(self, world: World) -> None:
        _concluded(world)
        follow_up = FollowUp.objects.get()
        report_follow_up(follow_up, actor=world.actor("liaison"), result="第一稿", expected_version=1)
        with pytest.raises(StaleEdit):
            report_follow_up(follow_up, actor=world.actor("liaison"), result="旧表单", expected_version=1)
        assert FollowUp.objects.get().result == "第一稿"


class TestHttp:
    def test_report_permission_matrix(self, world: World, clients: dict[str, Client]) -> None:
        _concluded(world)
        follow_up = FollowUp.objects.get()
        run_permission_matrix(
            clients=clients,
            method="post",
            url=url("follow_up_report", pk=follow_up.pk),
            data={"result": "已完成", "version": 1},
            expectations=refused_except({"liaison": Expect(302, changes=True)}),
            snapshot=snapshot_rows(FollowUp),
        )
        assert FollowUp.objects.get().status == F.REPORTED

    def test_close_permission_matrix(self, world: World, clients: dict[str, Client]) -> None:
        _concluded(world)
        follow_up = FollowUp.objects.get()
        report_follow_up(follow_up, actor=world.actor("liaison"), result="已完成")
        run_permission_matrix(
            clients=clients,
            method="post",
            url=url("follow_up_close", pk=follow_up.pk),
            data={"note": "", "version": 2},
            expectations=refused_except({"staff": Expect(302, changes=True)}),
            snapshot=snapshot_rows(FollowUp),
        )
        assert FollowUp.objects.get().status == F.CLOSED

    def test_detail_page_shows_the_form_each_may_use(self, world: World, clients: dict[str, Client]) -> None:
        _concluded(world)
        follow_up = FollowUp.objects.get()
        page = url("follow_up", pk=follow_up.pk)
        assert 'data-testid="report-form"' in clients["liaison"].get(page).content.decode()
        staff_page = clients["staff"].get(page).content.decode()
        assert 'data-testid="report-form"' not in staff_page and 'data-testid="close-form"' not in staff_page
        report_follow_up(follow_up, actor=world.actor("liaison"), result="已完成")
        assert 'data-testid="close-form"' in clients["staff"].get(page).content.decode()
        assert clients["leader"].get(page).status_code == 200
        assert clients["member"].get(page).status_code == 404

    def test_a_follow_up_of_another_council_is_the_same_404_as_a_missing_one(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        _concluded(world)
        follow_up = FollowUp.objects.get()
        assert_same_not_found(
            clients["outsider"],
            url("follow_up", pk=follow_up.pk).replace("/c/city/", "/c/othercity/"),
            url("follow_up", pk=follow_up.pk + 1000).replace("/c/city/", "/c/othercity/"),
        )

    def test_the_list_shows_this_years_follow_ups_and_filters(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        _concluded(world)  # due 2027
        response = clients["staff"].get(url("follow_ups"), {"year": 2027})
        assert response.status_code == 200 and 'data-testid="follow-ups"' in response.content.decode()
        assert (
            'data-testid="follow-ups"'
            not in clients["staff"]
            .get(url("follow_ups"), {"year": 2027, "status": "closed"})
            .content.decode()
        )
        assert (
            'data-testid="follow-ups"'
            not in clients["staff"].get(url("follow_ups"), {"year": 2026}).content.decode()
        )
        assert (
            'data-testid="follow-ups"'
            in clients["liaison"].get(url("follow_ups"), {"year": 2027}).content.decode()
        )
        assert clients["member"].get(url("follow_ups")).status_code == 403
        assert clients["outsider"].get(url("follow_ups")).status_code == 404

    def test_without_a_year_the_list_opens_on_the_first_year_with_work(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        proposal = _concluded(world)
        follow_up = FollowUp.objects.get(proposal=proposal)
        this_year = timezone.localdate().year
        assert follow_up.due_on.year > this_year
        response = clients["staff"].get(url("follow_ups"))
        assert response.context["year"] == follow_up.due_on.year
        assert 'data-testid="follow-ups"' in response.content.decode()
        FollowUp.objects.create(
            council=world.cast.city,
            proposal=proposal,
            reply=follow_up.reply,
            unit=world.other_unit,
            due_on=dt.date(this_year, 12, 31),
        )
        assert clients["staff"].get(url("follow_ups")).context["year"] == this_year

    def test_a_liaison_sees_only_their_units_follow_ups(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        proposal = _concluded(world)
        other = FollowUp.objects.create(
            council=world.cast.city,
            proposal=proposal,
            reply=Reply.objects.get(assignment__proposal=proposal),
            unit=world.other_unit,
            due_on=dt.date(2027, 12, 31),
        )
        listing = clients["liaison"].get(url("follow_ups"), {"year": 2027}).content.decode()
        assert world.other_unit.name not in listing
        assert clients["liaison"].get(url("follow_up", pk=other.pk)).status_code == 404
        inbox = clients["liaison"].get(url("inbox")).content.decode()
        assert 'data-testid="unit-follow-ups"' in inbox

    def test_list_query_count_does_not_grow_with_the_rows(
        self, world: World, clients: dict[str, Client], django_assert_num_queries: Any
    ) -> None:
        proposal = _concluded(world)
        reply = Reply.objects.get(assignment__proposal=proposal)

        def add() -> None:
            other = ProposalFactory(council=world.cast.city, term=world.cast.term, session=world.session)
            FollowUp.objects.create(
                council=world.cast.city,
                proposal=other,
                reply=reply,
                unit=HandlingUnitFactory(council=world.cast.city),
                due_on=dt.date(2027, 6, 30),
            )

        add()
        clients["staff"].get(url("follow_ups"), {"year": 2027})
        with CaptureQueriesContext(connection) as few:
            clients["staff"].get(url("follow_ups"), {"year": 2027})
        for _ in range(4):
            add()
        with django_assert_num_queries(len(few)):
            response = clients["staff"].get(url("follow_ups"), {"year": 2027})
        assert response.content.decode().count("/follow-ups/") >= 6


class TestHomePage:
    def home(self, world: World, name: str) -> str:
        # Log in at the travelled-to time: an idle session from "now" has expired.
        client = Client()
        client.force_login(world.cast.user(name))
        return client.get(reverse("dashboards:home", kwargs={"council_slug": "city"})).content.decode()

    def test_the_unit_sees_its_follow_up_in_the_year_it_is_due_and_staff_once_reported(
        self, world: World
    ) -> None:
        _concluded(world)  # due by 2027-12-31
        follow_up = FollowUp.objects.get()
        link = url("follow_up", pk=follow_up.pk)
        with time_machine.travel(dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC), tick=False):
            assert link not in self.home(world, "liaison")
        with time_machine.travel(dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC), tick=False):
            assert link in self.home(world, "liaison")
            assert "follow-ups reported by units" not in self.home(world, "staff")
            report_follow_up(follow_up, actor=world.actor("liaison"), result="已完成")
            assert link not in self.home(world, "liaison")
            assert "1 follow-ups reported by units" in self.home(world, "staff")


class TestReminders:
    def _sent(self, kind: str) -> list[tuple[str, str]]:
        return list(
            Notification.objects.filter(kind=kind)
            .order_by("id")
            .values_list("recipient__username", "dedupe_key")
        )

    def test_the_unit_is_reminded_before_the_due_date_and_told_once_when_overdue(self, world: World) -> None:
        proposal = _concluded(world)
        [follow_up] = FollowUp.objects.filter(proposal=proposal)
        assert follow_up.due_on == dt.date(2027, 12, 31)
        remind_all(today=dt.date(2027, 11, 1))  # 43 working days before: nothing yet
        assert self._sent("proposal.follow_up_reminder") == []
        for _ in range(2):  # a second run sends nothing again
            remind_all(today=dt.date(2027, 12, 20))  # 9 working days left: the 15-day reminder
        [(who, key)] = self._sent("proposal.follow_up_reminder")
        assert who == world.cast.liaison.username and key.endswith(":15")
        remind_all(today=dt.date(2027, 12, 27))  # 4 working days left: the 5-day one
        assert len(self._sent("proposal.follow_up_reminder")) == 2
        for _ in range(2):
            remind_all(today=dt.date(2028, 1, 3))
        overdue = self._sent("proposal.follow_up_overdue")
        assert sorted(who for who, _key in overdue) == sorted(
            [world.cast.liaison.username, world.cast.staff.username]
        )

    def test_a_unit_that_reported_is_not_reminded(self, world: World) -> None:
        proposal = _concluded(world)
        [follow_up] = FollowUp.objects.filter(proposal=proposal)
        report_follow_up(follow_up, actor=world.actor("liaison"), result="已列入2027年市级重点项目并开工建设")
        remind_all(today=dt.date(2027, 12, 20))
        remind_all(today=dt.date(2028, 1, 3))
        assert self._sent("proposal.follow_up_reminder") == []
        assert self._sent("proposal.follow_up_overdue") == []


def test_the_proposal_page_links_its_follow_ups_for_staff_and_the_unit_only(
    world: World, clients: dict[str, Client]
) -> None:
    proposal = _concluded(world)
    [follow_up] = FollowUp.objects.filter(proposal=proposal)
    page = reverse("proposals:detail", kwargs={"council_slug": "city", "pk": proposal.pk})
    link = reverse("proposals:follow_up", kwargs={"council_slug": "city", "pk": follow_up.pk})
    for name in ("staff", "liaison"):
        assert link in clients[name].get(page).content.decode(), name
    assert 'data-testid="proposal-follow-ups"' not in clients["member"].get(page).content.decode()
