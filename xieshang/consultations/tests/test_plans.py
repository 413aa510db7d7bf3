"""The yearly plan through its actions: drafting, the offices' comments and
proposed changes, approval by the chair meeting, issue, amendments after
issue (which need a reason), and "consult before deciding" flags."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from xieshang.consultations.actions import plans as actions
from xieshang.consultations.actions.sweeps import sweep
from xieshang.consultations.models import ConsultationPlan, PlanAmendment, PlanItem, PlanSuggestion
from xieshang.consultations.queries import undecided_items
from xieshang.consultations.states import ConsultationStatus, PlanStatus, SuggestionStatus
from xieshang.consultations.tests.conftest import World
from xieshang.consultations.tests.factories import ConsultationFactory
from xieshang.core.errors import Conflict, InvalidTransition
from xieshang.core.models import Notification
from xieshang.core.testing import assert_nothing_changed
from xieshang.themes.models import Theme

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def values(**changes: object) -> actions.ItemValues:
    base: dict[str, object] = {
        "topic": "推进城乡融合发展",
        "kind": "topic",
        "quarter": 3,
        "decision_expected_on": dt.date(2026, 11, 30),
        "themes": ["乡村振兴", "城乡融合"],
    }
    base.update(changes)
    return actions.ItemValues(**base)  # type: ignore[arg-type]


def drafted(world: World) -> tuple[ConsultationPlan, PlanItem]:
    staff = world.actor("staff")
    plan = actions.create_plan(year=2026, title="", actor=staff)
    item = actions.save_plan_item(plan, values=values(), actor=staff)
    return plan, item


def issued(world: World) -> tuple[ConsultationPlan, PlanItem]:
    plan, item = drafted(world)
    actions.send_plan_for_revision(plan, actor=world.actor("staff"))
    actions.approve_plan(
        plan, approved_on=dt.date(2026, 8, 28), note="第12次主席会议", actor=world.actor("leader")
    )
    actions.issue_plan(
        plan, issued_on=dt.date(2026, 9, 1), document_number="市委办发〔2026〕9号", actor=world.actor("staff")
    )
    plan.refresh_from_db()
    return plan, item


def test_staff_draft_a_plan_with_items_and_themes(world: World) -> None:
    plan, item = drafted(world)
    assert plan.status == PlanStatus.DRAFT
    assert plan.title == "2026年度协商计划" or "2026" in plan.title
    assert item.position == 1
    assert sorted(Theme.objects.filter(council=world.cast.city).values_list("name", flat=True)) == [
        "乡村振兴",
        "城乡融合",
    ]


def test_a_second_plan_for_the_same_year_is_refused(world: World) -> None:
    drafted(world)
    with pytest.raises(Conflict):
        actions.create_plan(year=2026, title="again", actor=world.actor("staff"))


@pytest.mark.parametrize("name", ["leader", "member", "oversight", "liaison"])
def test_only_staff_draft_plans(world: World, name: str) -> None:
    with assert_nothing_changed(ConsultationPlan), pytest.raises(PermissionDenied):
        actions.create_plan(year=2027, title="", actor=world.actor(name))
    assert not ConsultationPlan.objects.exists()


def test_the_offices_are_asked_for_comments_when_the_plan_goes_to_revision(world: World) -> None:
    plan, _item = drafted(world)
    actions.send_plan_for_revision(plan, actor=world.actor("staff"))
    recipients = set(
        Notification.objects.filter(kind="consultations.plan_revision").values_list(
            "recipient__username", flat=True
        )
    )
    assert recipients == {"oversight", "gov"}


def test_an_accepted_proposed_change_is_applied_to_the_item(world: World) -> None:
    plan, item = drafted(world)
    actions.send_plan_for_revision(plan, actor=world.actor("staff"))
    suggestion = actions.suggest_plan_change(
        plan, item=item, text="建议提前到二季度", proposed={"quarter": "2"}, actor=world.actor("gov")
    )
    assert suggestion.office == world.gov_office
    actions.decide_plan_suggestion(suggestion, accept=True, note="采纳", actor=world.actor("staff"))
    item.refresh_from_db()
    suggestion.refresh_from_db()
    assert item.quarter == 2
    assert suggestion.status == SuggestionStatus.ACCEPTED
    assert Notification.objects.filter(
        recipient=world.gov, kind="consultations.plan_suggestion_decided"
    ).exists()


def test_an_accepted_new_item_is_added_to_the_plan(world: World) -> None:
    plan, _item = drafted(world)
    actions.send_plan_for_revision(plan, actor=world.actor("staff"))
    suggestion = actions.suggest_plan_change(
        plan,
        text="建议增加一项",
        proposed={"topic": "优化营商环境", "kind": "biweekly"},
        actor=world.actor("oversight"),
    )
    actions.decide_plan_suggestion(suggestion, accept=True, note="", actor=world.actor("staff"))
    assert list(plan.items.order_by("position").values_list("topic", "kind")) == [
        ("推进城乡融合发展", "topic"),
        ("优化营商环境", "biweekly"),
    ]


def test_a_rejection_needs_a_reason_and_changes_nothing(world: World) -> None:
    plan, item = drafted(world)
    actions.send_plan_for_revision(plan, actor=world.actor("staff"))
    suggestion = actions.suggest_plan_change(
        plan, item=item, text="改题目", proposed={"topic": "新题目"}, actor=world.actor("oversight")
    )
    with pytest.raises(ValidationError) as error:
        actions.decide_plan_suggestion(suggestion, accept=False, note=" ", actor=world.actor("staff"))
    assert "note" in error.value.message_dict
    actions.decide_plan_suggestion(
        suggestion, accept=False, note="与年度重点不符", actor=world.actor("staff")
    )
    item.refresh_from_db()
    assert item.topic == "推进城乡融合发展"


def test_offices_cannot_comment_on_a_draft_or_an_issued_plan(world: World) -> None:
    plan, item = drafted(world)
    with assert_nothing_changed(plan, item, PlanSuggestion), pytest.raises(PermissionDenied):
        actions.suggest_plan_change(plan, item=item, text="意见", actor=world.actor("oversight"))
    plan, item = issued_plan_of_next_year(world)
    with assert_nothing_changed(plan, item, PlanSuggestion), pytest.raises(PermissionDenied):
        actions.suggest_plan_change(plan, item=item, text="意见", actor=world.actor("oversight"))


def issued_plan_of_next_year(world: World) -> tuple[ConsultationPlan, PlanItem]:
    staff = world.actor("staff")
    plan = actions.create_plan(year=2027, title="", actor=staff)
    item = actions.save_plan_item(plan, values=values(), actor=staff)
    actions.send_plan_for_revision(plan, actor=staff)
    actions.approve_plan(plan, approved_on=dt.date(2026, 8, 31), note="", actor=world.actor("leader"))
    actions.issue_plan(plan, issued_on=dt.date(2026, 9, 1), document_number="", actor=staff)
    plan.refresh_from_db()
    return plan, item


def test_approval_waits_for_every_open_comment(world: World) -> None:
    plan, item = drafted(world)
    actions.send_plan_for_revision(plan, actor=world.actor("staff"))
    actions.suggest_plan_change(plan, item=item, text="意见", actor=world.actor("oversight"))
    with pytest.raises(Conflict):
        actions.approve_plan(plan, approved_on=dt.date(2026, 8, 28), note="", actor=world.actor("leader"))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.IN_REVISION


def test_approval_is_recorded_by_leaders_with_a_date_not_in_the_future(world: World) -> None:
    plan, _item = drafted(world)
    actions.send_plan_for_revision(plan, actor=world.actor("staff"))
    with assert_nothing_changed(plan), pytest.raises(PermissionDenied):
        actions.approve_plan(plan, approved_on=dt.date(2026, 8, 28), note="", actor=world.actor("staff"))
    with pytest.raises(ValidationError):
        actions.approve_plan(plan, approved_on=dt.date(2026, 9, 2), note="", actor=world.actor("leader"))
    actions.approve_plan(
        plan, approved_on=dt.date(2026, 8, 28), note="第12次主席会议", actor=world.actor("leader")
    )
    plan.refresh_from_db()
    assert (plan.status, plan.approved_on, plan.approval_note) == (
        "approved",
        dt.date(2026, 8, 28),
        "第12次主席会议",
    )


def test_a_plan_cannot_be_issued_before_approval(world: World) -> None:
    plan, _item = drafted(world)
    with assert_nothing_changed(plan), pytest.raises(InvalidTransition, match="«draft»"):
        actions.issue_plan(
            plan, issued_on=dt.date(2026, 9, 1), document_number="", actor=world.actor("staff")
        )


def test_editing_an_issued_plan_without_a_reason_is_refused_and_changes_nothing(world: World) -> None:
    plan, item = issued(world)
    staff = world.actor("staff")
    for call in (
        lambda: actions.save_plan_item(
            plan, item=item, values=values(topic="改过的题目"), reason="", actor=staff
        ),
        lambda: actions.save_plan_item(plan, values=values(topic="新增"), reason="  ", actor=staff),
        lambda: actions.remove_plan_item(plan, item=item, reason="", actor=staff),
    ):
        with pytest.raises(ValidationError) as error:
            call()
        assert "reason" in error.value.message_dict
    item.refresh_from_db()
    assert item.topic == "推进城乡融合发展"
    assert not item.is_withdrawn
    assert plan.items.count() == 1
    assert not PlanAmendment.objects.exists()


def test_changes_after_issue_are_recorded_with_their_reason(world: World) -> None:
    plan, item = issued(world)
    staff = world.actor("staff")
    actions.save_plan_item(
        plan, item=item, values=values(quarter=4), reason="市政府决策时间调整", actor=staff
    )
    added = actions.save_plan_item(plan, values=values(topic="新增议题"), reason="市委新部署", actor=staff)
    actions.remove_plan_item(plan, item=added, reason="并入其他议题", actor=staff)
    rows = list(PlanAmendment.objects.order_by("id").values_list("kind", "reason"))
    assert rows == [("changed", "市政府决策时间调整"), ("added", "市委新部署"), ("withdrawn", "并入其他议题")]
    assert PlanAmendment.objects.first().changes == {"quarter": [3, 4]}  # type: ignore[union-attr]
    added.refresh_from_db()
    assert added.is_withdrawn


def test_an_approved_plan_is_not_edited_until_reopened(world: World) -> None:
    plan, item = drafted(world)
    actions.send_plan_for_revision(plan, actor=world.actor("staff"))
    actions.approve_plan(plan, approved_on=dt.date(2026, 8, 28), note="", actor=world.actor("leader"))
    with assert_nothing_changed(plan, item), pytest.raises(PermissionDenied):
        actions.save_plan_item(plan, item=item, values=values(quarter=1), actor=world.actor("staff"))
    actions.reopen_plan(plan, actor=world.actor("staff"))
    actions.save_plan_item(plan, item=item, values=values(quarter=1), actor=world.actor("staff"))
    item.refresh_from_db()
    assert item.quarter == 1


def test_bad_item_values_name_the_field(world: World) -> None:
    plan, _item = drafted(world)
    with pytest.raises(ValidationError) as error:
        actions.save_plan_item(
            plan, values=values(topic=" ", kind="party", quarter=5), actor=world.actor("staff")
        )
    assert set(error.value.message_dict) == {"topic", "kind", "quarter"}


def test_items_past_their_decision_date_without_consultation_are_flagged_once(world: World) -> None:
    plan, item = issued(world)
    held_item = actions.save_plan_item(
        plan,
        values=values(topic="已协商", decision_expected_on=dt.date(2026, 9, 10)),
        reason="补充",
        actor=world.actor("staff"),
    )
    PlanItem.objects.filter(pk=item.pk).update(decision_expected_on=dt.date(2026, 9, 10))
    ConsultationFactory(
        council=world.cast.city,
        plan_item=held_item,
        created_by=world.cast.staff,
        status=ConsultationStatus.HELD,
    )
    assert not undecided_items(world.cast.city, dt.date(2026, 9, 10)).exists()
    today = dt.date(2026, 9, 11)
    assert list(undecided_items(world.cast.city, today)) == [item]
    sweep(today)
    sweep(today)
    flagged = Notification.objects.filter(kind="consultations.undecided")
    assert sorted(flagged.values_list("recipient__username", flat=True)) == ["leader", "staff"]
