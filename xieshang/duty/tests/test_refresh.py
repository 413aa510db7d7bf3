"""Duty records follow the work within a minute: an event that may change a
member's facts refreshes that member's records after it commits, once for a
burst, touching nobody else's records."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
from django.tasks import default_task_backend
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from xieshang.core.testing import parse_html
from xieshang.duty.actions import open_assessment
from xieshang.duty.models import DutyFreshness, DutyRecord
from xieshang.duty.rebuild import rebuild_duty_records
from xieshang.duty.refresh import concerned_members
from xieshang.duty.states import DutyKind
from xieshang.duty.tasks import refresh_duty_records
from xieshang.duty.tests.conftest import YEAR, DutyWorld, close_meeting, moment
from xieshang.meetings.actions.check_in import check_in_by_staff
from xieshang.meetings.actions.meetings import close_meeting as close_meeting_action
from xieshang.meetings.models import Attendance, Meeting
from xieshang.meetings.states import AttendanceStatus, MeetingKind
from xieshang.meetings.tests.factories import InvitationFactory, MeetingFactory
from xieshang.opinions.actions.filing import ReportContent, file_opinion_report
from xieshang.opinions.models import OpinionReport
from xieshang.opinions.tests.factories import OpinionReportFactory
from xieshang.proposals.models import Proposal

CONTENT = ReportContent(
    title="关于加强老旧小区加装电梯工作的建议",
    problem="我市老旧小区加装电梯推进缓慢。",
    analysis="审批流程繁琐。",
    suggestion="建议简化审批流程。",
)
DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def records_of(member_id: int) -> set[tuple[str, int | None]]:
    return set(DutyRecord.objects.filter(member_id=member_id).values_list("kind", "source_id"))


def mine(client: Client, world: DutyWorld) -> Any:
    response = client.get(reverse("duty:mine", kwargs={"council_slug": world.cast.city.slug}))
    assert response.status_code == 200
    return parse_html(response.content)


def test_a_filed_report_shows_on_the_members_duty_page_without_the_nightly_rebuild(
    world: DutyWorld, clients: dict[str, Client], django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report = file_opinion_report(actor=world.actor("member"), content=CONTENT)
    page = mine(clients["member"], world)
    rows = page.one("table", data_testid="duty-records").text
    assert report.title in rows
    assert (DutyKind.OPINION_REPORT, report.pk) in records_of(world.member.pk)
    assert "Last brought up to date: " in page.one("p", data_testid="records-freshness").text


def test_before_any_rebuild_the_page_says_the_records_were_not_brought_up_to_date(
    world: DutyWorld, clients: dict[str, Client]
) -> None:
    text = mine(clients["member"], world).one("p", data_testid="records-freshness").text
    assert "Not brought up to date yet." in text
    assert "within about a minute" in text


def test_without_the_commit_nothing_is_refreshed(world: DutyWorld) -> None:
    """The refresh runs after the action's transaction commits, never inside it."""
    file_opinion_report(actor=world.actor("member"), content=CONTENT)
    assert not DutyRecord.objects.exists()
    assert not DutyFreshness.objects.exists()


def test_refreshing_one_member_touches_only_that_members_records(
    world: DutyWorld, django_assert_num_queries: Callable[..., Any]
) -> None:
    rebuild_duty_records(world.cast.city, YEAR)
    # Work that reached the tables without events, for two members.
    city, filer = world.cast.city, world.cast.member
    mine_report = OpinionReportFactory(council=city, member=world.member, filed_by=filer)
    OpinionReportFactory(council=city, member=world.cosigner, filed_by=filer)
    others = list(DutyRecord.objects.exclude(member=world.member).order_by("id").values())
    freshness = DutyFreshness.objects.exclude(member=world.member).order_by("id")
    others_freshness = list(freshness.values())
    # One query per duty source and open year (democratic supervision brings
    # four sources), none per record.
    with django_assert_num_queries(42):
        assert refresh_duty_records.call(member_ids=[world.member.pk]) == 1
    assert (DutyKind.OPINION_REPORT, mine_report.pk) in records_of(world.member.pk)
    assert list(DutyRecord.objects.exclude(member=world.member).order_by("id").values()) == others
    assert list(freshness.values()) == others_freshness


def test_refreshing_again_changes_nothing(world: DutyWorld) -> None:
    refresh_duty_records.call(member_ids=[world.member.pk])
    before = list(DutyRecord.objects.order_by("id").values())
    refresh_duty_records.call(member_ids=[world.member.pk])
    assert list(DutyRecord.objects.order_by("id").values()) == before


def test_a_refresh_removes_a_fact_that_went_away(world: DutyWorld) -> None:
    report = OpinionReportFactory(council=world.cast.city, member=world.member, filed_by=world.cast.member)
    refresh_duty_records.call(member_ids=[world.member.pk])
    OpinionReport.objects.filter(pk=report.pk).update(status="draft")
    refresh_duty_records.call(member_ids=[world.member.pk])
    assert (DutyKind.OPINION_REPORT, report.pk) not in records_of(world.member.pk)


@pytest.fixture
def queued() -> Iterator[list[Any]]:
    """Tasks are kept, not run: the list of what was enqueued."""
    with override_settings(TASKS=DUMMY_TASKS):
        default_task_backend.clear()  # type: ignore[attr-defined]
        yield default_task_backend.results  # type: ignore[attr-defined]


def test_a_burst_of_events_enqueues_one_refresh_per_member(
    world: DutyWorld, queued: list[Any], django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            file_opinion_report(actor=world.actor("member"), content=replace(CONTENT, title=f"第{n}份"))
    assert [result.kwargs for result in queued] == [{"member_ids": [world.member.pk]}]


def test_work_after_the_refresh_began_asks_for_another(
    world: DutyWorld, queued: list[Any], django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        file_opinion_report(actor=world.actor("member"), content=CONTENT)
    refresh_duty_records.call(**queued[0].kwargs)
    with django_capture_on_commit_callbacks(execute=True):
        file_opinion_report(actor=world.actor("member"), content=replace(CONTENT, title="第二份"))
    assert len(queued) == 2


def test_an_event_that_counts_for_no_duty_fact_enqueues_nothing(
    world: DutyWorld, queued: list[Any], django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        open_assessment(actor=world.actor("staff"), year=YEAR)
    assert queued == []
    assert callbacks == []


def test_an_event_on_a_proposal_concerns_its_lead_and_every_cosigner(world: DutyWorld) -> None:

    assert concerned_members(Proposal, world.proposal.pk, {}) == sorted([world.member.pk, world.cosigner.pk])


def test_a_check_in_concerns_its_member_and_a_closing_everyone_who_attended(world: DutyWorld) -> None:

    meeting = close_meeting(
        world.cast.city,
        world.cast.term,
        MeetingKind.PLENARY,
        {world.member: AttendanceStatus.PRESENT, world.idle: AttendanceStatus.ABSENT},
        when=moment(3, 1),
        by=world.cast.staff,
    )
    assert concerned_members(Meeting, meeting.pk, {"member_id": world.cosigner.pk}) == [world.cosigner.pk]
    assert concerned_members(Meeting, meeting.pk, {"members": 2}) == sorted([world.member.pk, world.idle.pk])


def test_while_a_refresh_waits_the_page_says_recent_work_is_being_added(
    world: DutyWorld, clients: dict[str, Client]
) -> None:
    DutyFreshness.objects.create(
        council=world.cast.city, member=world.member, refresh_requested_at=timezone.now()
    )
    text = mine(clients["member"], world).one("p", data_testid="records-freshness").text
    assert "Recent work is being added to these records now." in text


def test_a_check_in_recorded_after_the_meeting_closed_shows_on_the_duty_page(
    world: DutyWorld, clients: dict[str, Client], django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    """Staff close a plenary the member missed on the sheet, then check them
    in (they came without a phone): the member's record follows at once."""
    meeting = MeetingFactory(
        council=world.cast.city, term=world.cast.term, kind=MeetingKind.PLENARY, created_by=world.cast.staff
    )
    InvitationFactory(meeting=meeting, member=world.member)
    staff = world.actor("staff")
    with django_capture_on_commit_callbacks(execute=True):
        close_meeting_action(meeting, actor=staff, now=meeting.ends_at)
    assert (DutyKind.PLENARY_ABSENT, Attendance.objects.get(member=world.member).pk) in records_of(
        world.member.pk
    )
    with django_capture_on_commit_callbacks(execute=True):
        check_in_by_staff(meeting.sittings.get(), actor=staff, member=world.member, now=meeting.ends_at)
    attendance = Attendance.objects.get(member=world.member)
    assert attendance.status == AttendanceStatus.PRESENT
    kinds = {kind for kind, _source in records_of(world.member.pk)}
    assert DutyKind.PLENARY_PRESENT in kinds and DutyKind.PLENARY_ABSENT not in kinds
    rows = mine(clients["member"], world).one("table", data_testid="duty-records").text
    assert meeting.title in rows
