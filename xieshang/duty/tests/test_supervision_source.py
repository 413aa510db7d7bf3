"""Democratic supervision in the duty records: inspections, resident
supervisors' activities and their group's letters, one fact each, with the
weight the council's rule gives."""

from __future__ import annotations

import pytest
import time_machine

from xieshang.duty.actions import rebuild_duty_records
from xieshang.duty.models import DutyRecord
from xieshang.duty.states import DutyKind
from xieshang.supervision.actions import record_activity
from xieshang.supervision.tests.conftest import TODAY, World, world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def test_inspections_activities_and_letters_become_supervision_facts(world: World) -> None:  # noqa: F811
    with time_machine.travel(TODAY):
        world.inspect()
        record_activity(
            world.posting,
            actor=world.actor("member"),
            kind="visit",
            held_on=TODAY,
            participants=[world.cast.member_record],
            outcome="走访窗口。",
        )
        world.letter()
        rebuild_duty_records(world.cast.city, 2026)
        rebuild_duty_records(world.cast.city, 2026)
    mine = DutyRecord.objects.filter(member=world.cast.member_record, kind=DutyKind.SUPERVISION)
    # An inspection, an activity and a letter of the member's group, once each.
    assert mine.count() == 3
    assert {r.points for r in mine} == {2}
    assert DutyRecord.objects.filter(member=world.second_member, kind=DutyKind.SUPERVISION).count() == 2


def test_the_units_feedback_and_the_groups_report_count_for_every_supervisor(world: World) -> None:  # noqa: F811
    from xieshang.supervision.actions import record_appraisal

    with time_machine.travel(TODAY):
        record_appraisal(
            world.posting,
            actor=world.actor("liaison"),
            kind="unit_feedback",
            year=2026,
            text="监督员认真负责。",
        )
        record_appraisal(
            world.posting,
            actor=world.actor("member"),
            kind="group_report",
            year=2026,
            text="全年开展活动六次。",
        )
        rebuild_duty_records(world.cast.city, 2026)
    for member in world.supervisors.members.all():
        assert DutyRecord.objects.filter(member=member, kind=DutyKind.SUPERVISION).count() == 2
