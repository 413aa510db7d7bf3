"""The actions called directly: filing limits, staff edits, decisions,
forwarding rules, instructions and the cross-council flow city → province."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from xieshang.core.errors import Conflict, InvalidTransition, StaleEdit
from xieshang.core.models import Notification
from xieshang.core.testing import assert_nothing_changed
from xieshang.councils.models import CouncilSetting
from xieshang.opinions.actions.filing import receive_converted_proposal, save_report_draft, submit_report
from xieshang.opinions.actions.forwarding import (
    adopt_received,
    forward_received,
    forward_report,
    record_instruction,
)
from xieshang.opinions.actions.review import adopt_report, decline_report, edit_report
from xieshang.opinions.models import Forwarding, OpinionReport, ReportInstruction
from xieshang.opinions.queries import QueueFilters, received_reports, staff_reports
from xieshang.opinions.tests.conftest import World

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)


def test_member_files_a_report_and_the_original_is_kept_as_version_one(world: World) -> None:
    report = world.filed()
    assert report.status == "submitted"
    assert report.member == world.cast.member_record
    version = report.versions.get()
    assert (version.number, version.problem) == (1, report.problem)


def test_over_long_report_is_refused_with_the_counts(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        world.filed(problem="问" * 800, analysis="析" * 500, suggestion="议" * 201)
    message = caught.value.message_dict["__all__"][0]
    assert "1500" in message and "1501" in message
    assert not OpinionReport.objects.exists()


def test_the_limit_follows_the_council_setting(world: World) -> None:
    CouncilSetting.objects.create(council=world.cast.city, key="opinion_report_max_chars", value=500)
    with pytest.raises(ValidationError):
        world.filed(problem="问" * 501)
    assert world.filed(problem="问" * 400).length <= 500


def test_draft_is_private_until_submitted(world: World) -> None:
    draft = save_report_draft(None, actor=world.actor("member"), content=world.content(suggestion=""))
    assert draft.status == "draft"
    assert not staff_reports(world.actor("staff"), QueueFilters(status="draft")).exists()
    with pytest.raises(ValidationError):
        submit_report(draft, actor=world.actor("member"))
    draft = save_report_draft(draft, actor=world.actor("member"), content=world.content())
    assert submit_report(draft, actor=world.actor("member")).status == "submitted"


def test_a_report_submitted_twice_is_a_conflict_naming_its_state(world: World) -> None:
    draft = save_report_draft(None, actor=world.actor("member"), content=world.content())
    submit_report(draft, actor=world.actor("member"))
    with pytest.raises(StaleEdit, match="«submitted»"):
        submit_report(draft, actor=world.actor("member"), expected_version=draft.version)
    with pytest.raises(InvalidTransition, match="«submitted»"):
        submit_report(draft, actor=world.actor("member"))
    with pytest.raises(InvalidTransition):
        save_report_draft(draft, actor=world.actor("member"), content=world.content(problem="改"))
    assert OpinionReport.objects.get(pk=draft.pk).versions.count() == 1


def test_member_cannot_file_for_a_body_they_do_not_belong_to(world: World) -> None:
    from xieshang.councils.tests.factories import SectorFactory

    other = SectorFactory(council=world.cast.city)
    with pytest.raises(ValidationError):
        world.filed(author_kind="sector", body_id=other.pk)
    world.cast.member_record.sector = other
    world.cast.member_record.save()
    assert world.filed(author_kind="sector", body_id=other.pk).author_name == other.name


def test_staff_cannot_file_in_their_own_name(world: World) -> None:
    with assert_nothing_changed(OpinionReport), pytest.raises(PermissionDenied):
        save_report_draft(None, actor=world.actor("staff"), content=world.content())


def test_staff_edit_keeps_each_version_and_tells_the_reporter(world: World) -> None:
    report = world.filed()
    edit_report(
        report, actor=world.actor("staff"), content=world.content(problem="改写后的问题。"), note="精简"
    )
    report.refresh_from_db()
    assert report.problem == "改写后的问题。"
    assert list(report.versions.values_list("number", "problem")) == [
        (1, "我市老旧小区加装电梯推进缓慢，居民意见较多。"),
        (2, "改写后的问题。"),
    ]
    assert Notification.objects.filter(recipient=world.cast.member, kind="opinion.edited").exists()


def test_decline_needs_a_reason(world: World) -> None:
    report = world.filed()
    with pytest.raises(ValidationError):
        decline_report(report, actor=world.actor("staff"), reason=" ")
    report = decline_report(report, actor=world.actor("staff"), reason="内容与已采用信息重复")
    assert (report.status, report.decline_reason) == ("declined", "内容与已采用信息重复")


def test_forwarding_a_report_that_was_not_adopted_is_refused(world: World) -> None:
    report = world.filed()
    with translation.override("en"), pytest.raises(InvalidTransition) as caught:
        forward_report(report, actor=world.actor("staff"), target="parent")
    assert "adopt" in str(caught.value)
    assert not Forwarding.objects.exists()


def test_forwarding_to_a_council_that_is_not_the_parent_is_refused(world: World) -> None:
    report = world.adopted()
    for wrong in (world.cast.other_city, world.cast.county, world.cast.city):
        with pytest.raises(ValidationError) as caught:
            forward_report(report, actor=world.actor("staff"), target="parent", to_council=wrong)
        assert world.cast.province.name in caught.value.message_dict["to_council"][0]
    assert not Forwarding.objects.exists()


def test_forwarding_twice_to_the_parent_is_a_conflict(world: World) -> None:
    report = world.adopted()
    forward_report(report, actor=world.actor("staff"), target="parent")
    with pytest.raises(Conflict):
        forward_report(report, actor=world.actor("staff"), target="parent")


def test_offices_of_another_council_are_refused(world: World) -> None:
    report = world.adopted()
    with pytest.raises(ValidationError):
        forward_report(
            report, actor=world.actor("staff"), target="oversight", offices=[world.province_office]
        )


def test_members_and_oversight_users_cannot_forward(world: World) -> None:
    report = world.adopted()
    for name in ("member", "oversight", "leader"):
        with assert_nothing_changed(report, Forwarding), pytest.raises(PermissionDenied):
            forward_report(report, actor=world.actor(name), target="parent")
    assert not Forwarding.objects.exists()


def test_an_instruction_needs_the_oversight_role_of_the_receiving_office(world: World) -> None:
    report = world.adopted()
    [sent] = forward_report(
        report, actor=world.actor("staff"), target="oversight", offices=[world.city_office]
    )
    for name in ("staff", "member", "leader"):
        with assert_nothing_changed(sent, ReportInstruction), pytest.raises(PermissionDenied):
            record_instruction(
                sent,
                actor=world.actor(name),
                leader_name="王书记",
                level="city",
                text="请研究",
                instructed_on=TODAY,
            )
    assert not ReportInstruction.objects.exists()


def test_instruction_input_is_checked(world: World) -> None:
    report = world.adopted()
    [sent] = forward_report(
        report, actor=world.actor("staff"), target="oversight", offices=[world.city_office]
    )
    with pytest.raises(ValidationError) as caught:
        record_instruction(
            sent,
            actor=world.actor("oversight"),
            leader_name="",
            level="galaxy",
            text="",
            instructed_on=dt.date(2999, 1, 1),
        )
    assert set(caught.value.message_dict) == {"leader_name", "level", "text", "instructed_on"}


def test_city_to_province_flow_with_tenant_rules(world: World) -> None:
    """The province sees the forwarded report and not the city's others; it
    adopts and forwards again; the original shows the level and every instruction."""
    other = world.filed(title="市里另一条未报送的信息")
    report = world.adopted()
    forward_report(report, actor=world.actor("staff"), target="oversight", offices=[world.city_office])
    [up] = forward_report(report, actor=world.actor("staff"), target="parent")
    assert up.council == world.cast.province

    upper = world.actor("upper", "province")
    assert list(received_reports(upper)) == [up]
    assert not staff_reports(upper, QueueFilters(status="submitted")).filter(pk=other.pk).exists()

    adopt_received(up, actor=upper)
    report.refresh_from_db()
    assert report.highest_level == "province"
    [onward] = forward_received(up, actor=upper, target="oversight", offices=[world.province_office])
    assert onward.via == up
    national = forward_received(up, actor=upper, target="national")
    assert national[0].target == "national"
    report.refresh_from_db()
    assert report.highest_level == "national"

    record_instruction(
        onward,
        actor=world.actor("province_oversight", "province"),
        leader_name="张省长",
        level="province",
        text="请省发改委研究落实。",
        instructed_on=TODAY,
    )
    assert list(report.instructions.values_list("leader_name", "level")) == [("张省长", "province")]
    kinds = set(Notification.objects.filter(recipient=world.cast.member).values_list("kind", flat=True))
    assert {"opinion.adopted", "opinion.forwarded", "opinion.adopted_upward", "opinion.instructed"} <= kinds


def test_province_cannot_forward_upward_to_a_parent_it_does_not_have(world: World) -> None:
    report = world.adopted()
    [up] = forward_report(report, actor=world.actor("staff"), target="parent")
    upper = world.actor("upper", "province")
    with pytest.raises(InvalidTransition):
        forward_received(up, actor=upper, target="national")
    adopt_received(up, actor=upper)
    with pytest.raises(ValidationError):
        forward_received(up, actor=upper, target="parent")


def test_city_cannot_send_to_the_national_committee_directly(world: World) -> None:
    with pytest.raises(ValidationError):
        forward_report(world.adopted(), actor=world.actor("staff"), target="national")


def test_another_city_cannot_decide_on_a_report_forwarded_to_the_province(world: World) -> None:
    [up] = forward_report(world.adopted(), actor=world.actor("staff"), target="parent")
    with pytest.raises(Forwarding.DoesNotExist):
        adopt_received(up, actor=world.actor("outsider", "other_city"))
    up.refresh_from_db()
    assert up.status == "received"


def test_converted_proposal_is_linked_and_never_scores_twice(world: World) -> None:
    from xieshang.councils.models import Term

    origin = Term.objects.get(council=world.cast.city)  # any object of the council stands in for a proposal
    report = receive_converted_proposal(
        origin,
        actor=world.actor("staff"),
        member=world.cast.member_record,
        title="关于完善社区养老服务的建议",
        problem="问" * 1200,
        analysis="析" * 600,
        suggestion="议",
        proposal_url="/c/city/proposals/1/",
    )
    # Scored once, as the report: duty skips converted proposals.
    assert (report.origin_kind, report.origin_id, report.counts_for_duty) == ("proposal", origin.pk, True)
    assert report.member == world.cast.member_record
    # Longer than a report may be: staff shorten it before adopting.
    with pytest.raises(ValidationError):
        adopt_report(report, actor=world.actor("staff"))
    edit_report(report, actor=world.actor("staff"), content=world.content())
    assert adopt_report(report, actor=world.actor("staff")).status == "adopted"


def test_staff_file_a_converted_proposal_for_a_body_of_this_council_only(world: World) -> None:
    from xieshang.councils.models import Term
    from xieshang.councils.tests.factories import SectorFactory

    origin = Term.objects.get(council=world.cast.city)
    mine, theirs = SectorFactory(council=world.cast.city), SectorFactory(council=world.cast.other_city)
    common = {
        "actor": world.actor("staff"),
        "title": "集体提案转来",
        "problem": "问题",
        "analysis": "",
        "suggestion": "建议",
    }
    with pytest.raises(ValidationError):
        receive_converted_proposal(origin, author_kind="sector", body_id=theirs.pk, **common)  # type: ignore[arg-type]
    report = receive_converted_proposal(origin, author_kind="sector", body_id=mine.pk, **common)  # type: ignore[arg-type]
    assert (report.author_name, report.member, report.origin_kind) == (mine.name, None, "proposal")
    with assert_nothing_changed(OpinionReport), pytest.raises(PermissionDenied):
        receive_converted_proposal(
            origin, **{**common, "actor": world.actor("leader")}, member=world.cast.member_record
        )  # type: ignore[arg-type]
