"""Duty actions called directly: permissions, tenant isolation, the
assessment's state table, and what refuses to change once published."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from xieshang.core.errors import Conflict, InvalidTransition
from xieshang.core.models import AuditEntry
from xieshang.core.states import all_pairs
from xieshang.core.testing import assert_nothing_changed
from xieshang.councils.actions.settings import change_setting
from xieshang.councils.models import Role
from xieshang.councils.tests.factories import CouncilRoleFactory, MemberFactory, UserFactory
from xieshang.duty import actions
from xieshang.duty.models import DutyAssessment, DutyRecord, DutyScore, ScoringRule
from xieshang.duty.queries import rules_for
from xieshang.duty.scoring import DEFAULT_RULES
from xieshang.duty.states import ALLOWED_TRANSITIONS, AssessmentStatus, DutyKind
from xieshang.duty.tests.conftest import YEAR, DutyWorld
from xieshang.duty.tests.factories import ManualRecordFactory


@pytest.mark.parametrize(
    ("current", "target", "allowed"), all_pairs(ALLOWED_TRANSITIONS, list(AssessmentStatus.values))
)
def test_assessment_state_table(current: str, target: str, allowed: bool) -> None:
    assert (target in ALLOWED_TRANSITIONS[current]) is allowed
    assert allowed == (current == AssessmentStatus.DRAFT and target == AssessmentStatus.PUBLISHED)


def add(world: DutyWorld, actor_name: str, **overrides: object) -> DutyRecord:
    values: dict[str, object] = {
        "kind": DutyKind.OFFLINE,
        "points": 2,
        "occurred_on": dt.date(YEAR, 4, 1),
        "description": "参加调研",
        "reviewer": world.cast.leader,
    }
    values.update(overrides)
    return actions.add_manual_record(world.member, actor=world.actor(actor_name), **values)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["admin", "leader", "member", "liaison", "oversight"])
def test_only_staff_add_manual_records(world: DutyWorld, name: str) -> None:
    with assert_nothing_changed(DutyRecord), pytest.raises(PermissionDenied):
        add(world, name)
    assert not DutyRecord.objects.exists()


def test_a_manual_record_is_audited_and_a_reviewer_from_another_council_is_refused(world: DutyWorld) -> None:
    record = add(world, "staff")
    assert AuditEntry.objects.filter(action="duty.record_added", object_id=str(record.pk)).exists()
    with pytest.raises(ValidationError) as error:
        add(world, "staff", reviewer=world.cast.outsider)
    assert "reviewer" in error.value.message_dict
    with pytest.raises(ValidationError):
        add(world, "staff", kind=DutyKind.BASE)


def test_staff_cannot_record_work_of_another_councils_member(world: DutyWorld) -> None:
    stranger = MemberFactory(council=world.cast.other_city)
    with assert_nothing_changed(stranger, DutyRecord), pytest.raises(PermissionDenied):
        actions.add_manual_record(
            stranger,
            actor=world.actor("staff"),
            kind=DutyKind.OFFLINE,
            points=1,
            occurred_on=dt.date(YEAR, 1, 1),
            description="x",
            reviewer=world.cast.leader,
        )
    assert not DutyRecord.objects.exists()


def test_removing_needs_a_reason_and_automatic_records_stay(world: DutyWorld) -> None:
    record = add(world, "staff")
    with pytest.raises(ValidationError):
        actions.remove_manual_record(record, actor=world.actor("staff"), reason=" ")
    actions.rebuild_duty_records(world.cast.city, YEAR)
    automatic = DutyRecord.objects.filter(is_manual=False).first()
    assert automatic is not None
    with pytest.raises(Conflict):
        actions.remove_manual_record(automatic, actor=world.actor("staff"), reason="录入错误")
    actions.remove_manual_record(record, actor=world.actor("staff"), reason="录入错误")
    assert not DutyRecord.objects.filter(pk=record.pk).exists()


def test_saving_rules_rescores_an_open_draft_and_keeps_adjustments(world: DutyWorld) -> None:
    staff, admin = world.actor("staff"), world.actor("admin")
    assessment = actions.open_assessment(actor=staff, year=YEAR)
    line = DutyScore.objects.get(assessment=assessment, member=world.member)
    actions.adjust_score(line, actor=staff, adjustment=-5, reason="迟交履职报告")
    rules = [replace(r, points=70) if r.kind == DutyKind.BASE else r for r in DEFAULT_RULES]
    actions.save_rules(actor=admin, year=YEAR, rules=rules)
    line.refresh_from_db()
    assert (line.computed, line.adjustment, line.score) == (95, -5, 90)
    with assert_nothing_changed(ScoringRule, DutyScore), pytest.raises(PermissionDenied):
        actions.save_rules(actor=staff, year=YEAR, rules=rules)


def test_after_publishing_nothing_about_the_year_changes(world: DutyWorld) -> None:
    staff, admin = world.actor("staff"), world.actor("admin")
    assessment = actions.open_assessment(actor=staff, year=YEAR)
    actions.publish_assessment(assessment, actor=staff)
    line = DutyScore.objects.get(assessment=assessment, member=world.member)
    with pytest.raises(Conflict):
        actions.adjust_score(line, actor=staff, adjustment=1, reason="x")
    with pytest.raises(Conflict):
        actions.open_assessment(actor=staff, year=YEAR)
    with pytest.raises(Conflict):
        actions.save_rules(actor=admin, year=YEAR, rules=DEFAULT_RULES)
    with pytest.raises(InvalidTransition):
        actions.publish_assessment(assessment, actor=staff)
    assert not ScoringRule.objects.exists()


def test_an_assessment_covers_only_the_councils_seated_members(world: DutyWorld) -> None:
    MemberFactory(council=world.cast.other_city)
    MemberFactory(council=world.cast.city, term=world.cast.term, is_active=False)
    assessment = actions.open_assessment(actor=world.actor("staff"), year=YEAR)
    covered = set(
        DutyScore.objects.filter(assessment=assessment).values_list("member__council_id", "member__is_active")
    )
    assert covered == {(world.cast.city.pk, True)}
    other_staff = UserFactory()
    CouncilRoleFactory(user=other_staff, council=world.cast.other_city, role=Role.STAFF)
    outsider = world.actor(other_staff, "other_city")
    with assert_nothing_changed(assessment), pytest.raises(PermissionDenied):
        actions.publish_assessment(assessment, actor=outsider)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT


def test_a_year_out_of_range_is_refused(world: DutyWorld) -> None:
    with pytest.raises(ValidationError):
        actions.open_assessment(actor=world.actor("staff"), year=1990)
    with pytest.raises(ValidationError):
        actions.rebuild_year(actor=world.actor("staff"), year=YEAR + 5)
    assert not DutyAssessment.objects.exists()


def test_the_database_refuses_a_second_record_of_the_same_fact(world: DutyWorld) -> None:
    actions.rebuild_duty_records(world.cast.city, YEAR)
    record = DutyRecord.objects.filter(is_manual=False).first()
    assert record is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        DutyRecord.objects.create(
            council=record.council,
            member=record.member,
            year=record.year,
            kind=record.kind,
            source_type=record.source_type,
            source_id=record.source_id,
            occurred_on=record.occurred_on,
            description="duplicate",
        )
    assert ManualRecordFactory(council=world.cast.city, member=world.member).pk


def test_a_councils_grade_bands_for_the_year_decide_the_grades(world: DutyWorld) -> None:
    admin, staff = world.actor("admin"), world.actor("staff")
    change_setting(actor=admin, key="duty_grade_bands", raw_value="85, 70, 50", year=YEAR)
    assert rules_for(world.cast.city, YEAR).bands == (85, 70, 50)
    assert rules_for(world.cast.city, YEAR - 1).bands == (90, 80, 60)
    assessment = actions.open_assessment(actor=staff, year=YEAR)
    grades = dict(DutyScore.objects.filter(assessment=assessment).values_list("member_id", "grade"))
    # 李 85 excellent (not good), 王 70 good (not competent), 赵 60 competent.
    assert grades == {world.member.pk: "excellent", world.cosigner.pk: "good", world.idle.pk: "competent"}
    line = DutyScore.objects.get(assessment=assessment, member=world.idle)
    actions.adjust_score(line, actor=staff, adjustment=-11, reason="全年未参加任何活动")
    line.refresh_from_db()
    assert line.grade == "not_competent"


def test_grade_bands_that_do_not_name_three_scores_fall_back_to_the_defaults(world: DutyWorld) -> None:
    change_setting(actor=world.actor("admin"), key="duty_grade_bands", raw_value="85, 85, 70", year=YEAR)
    assert rules_for(world.cast.city, YEAR).bands == (90, 80, 60)
