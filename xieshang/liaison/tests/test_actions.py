"""Liaison actions: plans, visits, constituents, concern work, conversions
and the reminder sweep."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from xieshang.core.crypto import is_encrypted
from xieshang.core.errors import Conflict
from xieshang.core.events import timeline
from xieshang.core.models import Notification
from xieshang.core.testing import assert_nothing_changed
from xieshang.councils.models import CouncilSetting
from xieshang.councils.tests.factories import MemberFactory
from xieshang.liaison.actions import (
    ConstituentData,
    convert_concern_to_proposal,
    convert_concern_to_report,
    note_progress,
    record_visit,
    remind_concerns,
    resolve_concern,
    save_constituent,
    set_visit_plan,
    start_concern,
)
from xieshang.liaison.models import Concern, Constituent, LiaisonVisit, PlannedVisit, VisitPlan
from xieshang.liaison.states import ConcernStatus, EventType
from xieshang.liaison.tests.conftest import TODAY
from xieshang.liaison.tests.factories import ConstituentFactory
from xieshang.opinions.states import OriginKind

# Plans ---------------------------------------------------------------------


def test_staff_set_a_leaders_plan_of_one_member_a_month(world):
    members = [
        world.cast.member_record,
        *MemberFactory.create_batch(11, council=world.cast.city, term=world.cast.term),
    ]
    plan = set_visit_plan(
        actor=world.actor("staff"),
        leader=world.cast.leader,
        year=2026,
        rows=[(month, members[month - 1]) for month in range(1, 13)],
    )
    assert list(plan.rows.values_list("month", flat=True)) == list(range(1, 13))
    assert plan.chosen_by == world.cast.staff


def test_setting_a_plan_again_replaces_its_rows(world):
    other = MemberFactory(council=world.cast.city, term=world.cast.term)
    set_visit_plan(actor=world.actor("leader"), leader=world.cast.leader, year=2026, rows=[(1, other)])
    set_visit_plan(
        actor=world.actor("leader"), leader=world.cast.leader, year=2026, rows=[(2, world.cast.member_record)]
    )
    assert list(PlannedVisit.objects.values_list("month", "member_id")) == [(2, world.cast.member_record.pk)]


def test_a_plan_with_a_member_of_another_council_is_refused_and_nothing_saved(world):
    with pytest.raises(ValidationError) as error:
        set_visit_plan(
            actor=world.actor("staff"),
            leader=world.cast.leader,
            year=2026,
            rows=[(1, world.cast.member_record), (2, world.other_member)],
        )
    assert "month_2" in error.value.message_dict
    assert "外市委员" in error.value.message_dict["month_2"][0]
    assert not VisitPlan.objects.exists() and not PlannedVisit.objects.exists()


def test_a_month_may_not_have_more_visits_than_the_setting(world):
    second = MemberFactory(council=world.cast.city, term=world.cast.term)
    rows = [(3, world.cast.member_record), (3, second)]
    with pytest.raises(ValidationError) as error:
        set_visit_plan(actor=world.actor("staff"), leader=world.cast.leader, year=2026, rows=rows)
    assert "month_3" in error.value.message_dict
    CouncilSetting.objects.create(council=world.cast.city, key="liaison_visits_per_month", value=2)
    plan = set_visit_plan(actor=world.actor("staff"), leader=world.cast.leader, year=2026, rows=rows)
    assert plan.rows.count() == 2


def test_a_leader_sets_only_their_own_plan(world):
    with assert_nothing_changed(VisitPlan), pytest.raises(PermissionDenied):
        set_visit_plan(
            actor=world.actor("leader"),
            leader=world.vice_chair,
            year=2026,
            rows=[(1, world.cast.member_record)],
        )
    assert not VisitPlan.objects.exists()


def test_a_plan_is_only_for_a_leader_of_the_council(world):
    with pytest.raises(ValidationError):
        set_visit_plan(actor=world.actor("staff"), leader=world.cast.staff, year=2026, rows=[])


@pytest.mark.parametrize("name", ["member", "liaison", "oversight"])
def test_others_cannot_plan_visits(world, name):
    with assert_nothing_changed(VisitPlan), pytest.raises(PermissionDenied):
        set_visit_plan(actor=world.actor(name), leader=world.cast.leader, year=2026, rows=[])


# Visits --------------------------------------------------------------------


def test_recording_a_visit_keeps_leaders_constituents_concerns_and_the_plan_row(world):
    set_visit_plan(
        actor=world.actor("staff"), leader=world.cast.leader, year=2026, rows=[(6, world.cast.member_record)]
    )
    with time_machine.travel(TODAY):
        visit = world.visit(concerns=2)
    assert set(visit.leaders.all()) == {world.cast.leader}
    assert set(visit.constituents.all()) == set(world.constituents)
    assert visit.planned is not None and visit.planned.month == 6
    assert visit.concerns.count() == 2
    assert [e.type for e in timeline(visit)] == [EventType.VISIT_RECORDED]
    # The unit's liaison hears of each concern.
    assert Notification.objects.filter(recipient=world.cast.liaison, kind="liaison.concern").count() == 2


def test_a_visit_to_a_member_of_another_council_is_refused_and_nothing_saved(world):
    with pytest.raises(ValidationError) as error:
        record_visit(
            actor=world.actor("staff"),
            member=world.other_member,
            visited_on=TODAY,
            leaders=[world.cast.leader],
            discussion="走访",
            concerns=[world.concern_data()],
            today=TODAY,
        )
    assert list(error.value.message_dict) == ["member"]
    assert not LiaisonVisit.objects.exists() and not Concern.objects.exists()


def test_a_visit_cannot_list_constituents_of_another_member(world):
    stranger = ConstituentFactory(
        council=world.cast.city, member=MemberFactory(council=world.cast.city, term=world.cast.term)
    )
    with pytest.raises(ValidationError) as error:
        record_visit(
            actor=world.actor("staff"),
            member=world.cast.member_record,
            visited_on=TODAY,
            leaders=[world.cast.leader],
            constituents=[stranger],
            discussion="走访",
            today=TODAY,
        )
    assert "constituents" in error.value.message_dict
    assert not LiaisonVisit.objects.exists()


def test_a_visit_in_the_future_or_without_leaders_is_refused(world):
    with pytest.raises(ValidationError) as error:
        record_visit(
            actor=world.actor("staff"),
            member=world.cast.member_record,
            visited_on=TODAY + dt.timedelta(days=1),
            leaders=[],
            discussion="",
            today=TODAY,
        )
    assert {"visited_on", "leaders", "discussion"} <= set(error.value.message_dict)


def test_a_concern_needs_exactly_one_responsible_body_of_this_council(world):
    for changes in (
        {"handling_unit": None},
        {"oversight_office": world.office},
        {"handling_unit": world.other_unit},
    ):
        with pytest.raises(ValidationError), time_machine.travel(TODAY):
            world.visit(**changes)
    assert not LiaisonVisit.objects.exists()


def test_a_leader_records_only_visits_they_went_on(world):
    with assert_nothing_changed(LiaisonVisit), pytest.raises(PermissionDenied):
        record_visit(
            actor=world.actor("leader"),
            member=world.cast.member_record,
            visited_on=TODAY,
            leaders=[world.vice_chair],
            discussion="走访",
            today=TODAY,
        )


# Constituents --------------------------------------------------------------


def test_a_member_keeps_their_list_with_the_phone_encrypted_at_rest(world):
    row = save_constituent(
        None,
        actor=world.actor("member"),
        data=ConstituentData(name="刘师傅", sector_area="个体工商户", phone="138-0013-8000"),
    )
    assert row.phone == "13800138000"
    assert row.masked_phone.startswith("138") and "0013" not in row.masked_phone
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM liaison_constituent WHERE id = %s", [row.pk])
        stored = cursor.fetchone()[0]
    assert is_encrypted(stored) and "13800138000" not in stored


def test_a_member_cannot_change_another_members_constituent(world):
    stranger = ConstituentFactory(
        council=world.cast.city, member=MemberFactory(council=world.cast.city, term=world.cast.term)
    )
    with assert_nothing_changed(stranger), pytest.raises(PermissionDenied):
        save_constituent(stranger, actor=world.actor("member"), data=ConstituentData(name="改名"))
    assert Constituent.objects.get(pk=stranger.pk).name != "改名"


def test_a_malformed_phone_is_refused(world):
    with pytest.raises(ValidationError) as error:
        save_constituent(None, actor=world.actor("member"), data=ConstituentData(name="刘", phone="打电话"))
    assert "phone" in error.value.message_dict


# Concern work --------------------------------------------------------------


def test_the_units_liaison_notes_progress_and_resolves_and_the_member_is_told(world):
    with time_machine.travel(TODAY):
        concern = world.concern()
        note_progress(concern, actor=world.actor("liaison"), text="已派人现场勘查。")
        concern.refresh_from_db()
        assert concern.status == ConcernStatus.IN_PROGRESS
        resolve_concern(concern, actor=world.actor("liaison"), resolution="已完成排水管网改造。")
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.RESOLVED and concern.finished_on == TODAY
    assert Notification.objects.filter(recipient=world.cast.member, kind="liaison.resolved").exists()


def test_a_liaison_of_another_unit_cannot_work_on_the_concern(world):
    with time_machine.travel(TODAY):
        concern = world.concern(handling_unit=None, oversight_office=world.office)
        with assert_nothing_changed(concern), pytest.raises(PermissionDenied):
            start_concern(concern, actor=world.actor("liaison"))
        start_concern(concern, actor=world.actor("oversight"))
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.IN_PROGRESS


# Conversions ---------------------------------------------------------------


def test_a_concern_becomes_an_opinion_report_linked_both_ways(world):
    with time_machine.travel(TODAY):
        concern = world.concern()
        report = convert_concern_to_report(
            concern,
            actor=world.actor("member"),
            title="关于解决城东社区道路积水问题的建议",
            problem="城东社区门口道路每逢大雨积水严重。",
            analysis="排水管网老化，管径偏小。",
            suggestion="建议将该路段纳入今年排水管网改造计划。",
        )
    concern.refresh_from_db()
    assert concern.opinion_report == report
    assert report.origin_kind == OriginKind.CONCERN and report.origin_id == concern.pk
    assert report.origin_url.endswith(f"/liaison/concerns/{concern.pk}/")
    assert report.counts_for_duty
    with pytest.raises(Conflict):
        convert_concern_to_report(
            concern, actor=world.actor("member"), title="再次", problem="a", analysis="b", suggestion="c"
        )


def test_a_concern_becomes_a_proposal_draft_linked_both_ways(world):
    with time_machine.travel(TODAY):
        concern = world.concern()
        proposal = convert_concern_to_proposal(
            concern,
            actor=world.actor("member"),
            title="关于加快老旧排水管网改造的提案",
            situation="积水严重。",
        )
    concern.refresh_from_db()
    assert concern.proposal == proposal
    assert proposal.status == "draft" and proposal.lead_proposer == world.cast.member_record
    assert list(proposal.liaison_concerns.all()) == [concern]


@pytest.mark.parametrize("name", ["staff", "leader", "liaison"])
def test_only_the_member_of_the_concern_converts_it(world, name):
    with time_machine.travel(TODAY):
        concern = world.concern()
        with assert_nothing_changed(concern), pytest.raises(PermissionDenied):
            convert_concern_to_proposal(concern, actor=world.actor(name), title="提案", situation="情况")
    concern.refresh_from_db()
    assert concern.proposal is None


# The sweep -----------------------------------------------------------------


def test_the_sweep_reminds_before_the_due_date_once_however_often_it_runs(world):
    with time_machine.travel(TODAY):
        concern = world.concern(due_on=TODAY + dt.timedelta(days=30))
    due_soon = concern.due_on - dt.timedelta(days=2)
    with time_machine.travel(due_soon):
        remind_concerns(today=due_soon)
        remind_concerns(today=due_soon)
    rows = Notification.objects.filter(recipient=world.cast.liaison, kind="liaison.due_soon")
    assert rows.count() == 1


def test_the_sweep_does_not_remind_far_from_the_due_date(world):
    with time_machine.travel(TODAY):
        world.concern(due_on=TODAY + dt.timedelta(days=30))
        remind_concerns(today=TODAY)
    assert not Notification.objects.filter(kind="liaison.due_soon").exists()


def test_an_overdue_concern_is_flagged_and_told_once_when_the_sweep_runs_twice(world):
    with time_machine.travel(TODAY):
        concern = world.concern(due_on=TODAY + dt.timedelta(days=5))
    later = concern.due_on + dt.timedelta(days=1)
    with time_machine.travel(later):
        first = remind_concerns(today=later)
        second = remind_concerns(today=later)
    assert (first.overdue, second.overdue) == (1, 0)
    concern.refresh_from_db()
    assert concern.overdue_since == later
    for user in (world.cast.liaison, world.cast.staff, world.cast.member):
        assert Notification.objects.filter(recipient=user, kind="liaison.overdue").count() == 1
    assert [e.type for e in timeline(concern)].count(EventType.CONCERN_OVERDUE) == 1


def test_resolved_concerns_are_not_swept(world):
    with time_machine.travel(TODAY):
        concern = world.concern(due_on=TODAY + dt.timedelta(days=1))
        resolve_concern(concern, actor=world.actor("staff"), resolution="已解决。")
    later = TODAY + dt.timedelta(days=10)
    run = remind_concerns(today=later)
    assert run.checked == 0
    assert not Notification.objects.filter(kind__in=["liaison.overdue", "liaison.due_soon"]).exists()
