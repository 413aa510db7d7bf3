"""Rebuilding the automatic records from the proposals' tables."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command

from xieshang.consultations.models import Activity, Speech
from xieshang.consultations.states import ActivityKind, ConsultationStatus, SpeechKind
from xieshang.consultations.tests.factories import ConsultationFactory
from xieshang.councils.tests.factories import MemberFactory, OversightOfficeFactory
from xieshang.duty.actions import rebuild_duty_records
from xieshang.duty.models import DutyRecord
from xieshang.duty.rebuild import open_years
from xieshang.duty.states import DutyKind, SourceRole
from xieshang.duty.tasks import rebuild_all_duty_records
from xieshang.duty.tests.conftest import YEAR, DutyWorld, close_meeting, file_proposal, moment
from xieshang.duty.tests.factories import ManualRecordFactory
from xieshang.liaison.models import LiaisonVisit
from xieshang.meetings.states import AttendanceStatus as A
from xieshang.meetings.states import MeetingKind as M
from xieshang.opinions.models import Forwarding, ReportInstruction
from xieshang.opinions.states import ForwardTarget, OriginKind, ReportStatus
from xieshang.opinions.tests.factories import OpinionReportFactory
from xieshang.proposals.models import Proposal
from xieshang.proposals.states import ProposalStatus


def snapshot() -> list[tuple[object, ...]]:
    return list(
        DutyRecord.objects.order_by("id").values_list(
            "id", "member_id", "year", "kind", "points", "source_type_id", "source_id", "role", "occurred_on"
        )
    )


def test_rebuild_twice_gives_identical_rows_and_no_duplicates(world: DutyWorld) -> None:
    file_proposal(world.member, when=moment(6, 1), status=ProposalStatus.SUBMITTED)
    first = rebuild_duty_records(world.cast.city, YEAR)
    rows = snapshot()
    second = rebuild_duty_records(world.cast.city, YEAR)
    assert snapshot() == rows
    assert (second.created, second.updated, second.removed) == (0, 0, 0)
    assert first.created == len(rows) == second.total == 5


def test_lead_and_confirmed_cosigner_get_filed_and_accepted_records_citing_the_proposal(
    world: DutyWorld,
) -> None:
    rebuild_duty_records(world.cast.city, YEAR)
    proposal_type = ContentType.objects.get_for_model(Proposal)
    rows = set(
        DutyRecord.objects.values_list("member_id", "kind", "role", "points", "source_type_id", "source_id")
    )
    assert rows == {
        (world.member.pk, DutyKind.PROPOSAL_FILED, SourceRole.LEAD, 10, proposal_type.pk, world.proposal.pk),
        (
            world.member.pk,
            DutyKind.PROPOSAL_ACCEPTED,
            SourceRole.LEAD,
            15,
            proposal_type.pk,
            world.proposal.pk,
        ),
        (
            world.cosigner.pk,
            DutyKind.PROPOSAL_FILED,
            SourceRole.COSIGNER,
            5,
            proposal_type.pk,
            world.proposal.pk,
        ),
        (
            world.cosigner.pk,
            DutyKind.PROPOSAL_ACCEPTED,
            SourceRole.COSIGNER,
            5,
            proposal_type.pk,
            world.proposal.pk,
        ),
    }


def test_a_proposal_converted_to_an_opinion_report_scores_nothing_as_a_proposal(world: DutyWorld) -> None:
    converted = file_proposal(world.idle, when=moment(4, 1), status=ProposalStatus.CONVERTED)
    rebuild_duty_records(world.cast.city, YEAR)
    assert not DutyRecord.objects.filter(source_id=converted.pk, member=world.idle).exists()


def test_records_follow_their_source_and_vanish_with_it(world: DutyWorld) -> None:
    rebuild_duty_records(world.cast.city, YEAR)
    Proposal.objects.filter(pk=world.proposal.pk).update(is_outstanding=True, title="关于改进的建议")
    result = rebuild_duty_records(world.cast.city, YEAR)
    assert result.created == 2  # outstanding, for the lead and the cosigner
    assert result.updated == 4  # the title changed in every description
    Proposal.objects.filter(pk=world.proposal.pk).update(status=ProposalStatus.CONVERTED)
    result = rebuild_duty_records(world.cast.city, YEAR)
    assert result.removed == 6
    assert not DutyRecord.objects.exists()


def test_rebuild_keeps_manual_records_and_other_councils_and_years(world: DutyWorld) -> None:
    manual = ManualRecordFactory(council=world.cast.city, member=world.member)
    elsewhere = MemberFactory(council=world.cast.other_city)
    file_proposal(elsewhere, when=moment(3, 1))
    file_proposal(world.member, when=moment(3, 1, year=2025))
    rebuild_duty_records(world.cast.city, YEAR)
    assert DutyRecord.objects.filter(pk=manual.pk).exists()
    assert not DutyRecord.objects.filter(member=elsewhere).exists()
    assert set(DutyRecord.objects.values_list("year", flat=True)) == {YEAR}


def test_a_proposal_refiled_in_a_later_year_moves_and_counts_once(world: DutyWorld) -> None:
    rebuild_duty_records(world.cast.city, YEAR)
    Proposal.objects.filter(pk=world.proposal.pk).update(submitted_at=moment(1, 5, year=YEAR + 1))
    rebuild_duty_records(world.cast.city, YEAR + 1)
    assert set(DutyRecord.objects.values_list("year", flat=True)) == {YEAR + 1}
    assert DutyRecord.objects.count() == 4


def test_attendance_of_closed_meetings_becomes_records_by_meeting_kind(world: DutyWorld) -> None:
    city, term, staff = world.cast.city, world.cast.term, world.cast.staff
    close_meeting(
        city,
        term,
        M.PLENARY,
        {world.member: A.PRESENT, world.cosigner: A.EXCUSED, world.idle: A.PARTIAL},
        when=moment(1, 10),
        by=staff,
    )
    close_meeting(city, term, M.STANDING_COMMITTEE, {world.member: A.PRESENT}, when=moment(4, 10), by=staff)
    close_meeting(
        city, term, M.TRAINING, {world.member: A.PRESENT, world.idle: A.ABSENT}, when=moment(5, 10), by=staff
    )
    close_meeting(city, term, M.CHAIR_MEETING, {world.member: A.PRESENT}, when=moment(6, 10), by=staff)
    close_meeting(
        city, term, M.PLENARY, {world.member: A.PRESENT}, when=moment(1, 10, year=YEAR - 1), by=staff
    )
    rebuild_duty_records(city, YEAR)
    kinds = set(DutyRecord.objects.exclude(kind__startswith="proposal").values_list("member_id", "kind"))
    assert kinds == {
        (world.member.pk, DutyKind.PLENARY_PRESENT),
        (world.cosigner.pk, DutyKind.PLENARY_EXCUSED),
        (world.idle.pk, DutyKind.PLENARY_ABSENT),
        (world.member.pk, DutyKind.STANDING_COMMITTEE_MEETING),
        (world.member.pk, DutyKind.ACTIVITY),
    }
    rows = snapshot()
    rebuild_duty_records(city, YEAR)
    assert snapshot() == rows


def test_the_nightly_task_rebuilds_open_years_and_a_second_run_changes_nothing(world: DutyWorld) -> None:
    first = rebuild_all_duty_records.call()
    assert first["created"] == 4
    second = rebuild_all_duty_records.call()
    assert (second["created"], second["updated"], second["removed"]) == (0, 0, 0)
    assert open_years(world.cast.city, YEAR) == [YEAR - 1, YEAR]


def test_the_command_rebuilds_one_council_and_refuses_an_unknown_one(world: DutyWorld) -> None:
    out = io.StringIO()
    call_command("rebuild_duty_records", "--council", "city", "--year", str(YEAR), stdout=out)
    assert "4 added" in out.getvalue()
    out = io.StringIO()
    call_command("rebuild_duty_records", "--council", "city", "--year", str(YEAR), stdout=out)
    assert "0 added, 0 updated, 0 removed" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("rebuild_duty_records", "--council", "nowhere")


def test_opinion_reports_count_as_filed_adopted_and_instructed_once(world: DutyWorld) -> None:
    city, staff = world.cast.city, world.cast.staff
    adopted = OpinionReportFactory(
        council=city,
        member=world.member,
        filed_by=staff,
        status=ReportStatus.PUBLISHED,
        submitted_at=moment(3, 1),
    )
    # Filed without a recorded time (older data): dated at the start of its year.
    OpinionReportFactory(council=city, member=world.cosigner, filed_by=staff, status=ReportStatus.DECLINED)
    OpinionReportFactory(council=city, member=world.idle, filed_by=staff, status=ReportStatus.DRAFT)
    OpinionReportFactory(council=city, member=world.idle, filed_by=staff, counts_for_duty=False)
    OpinionReportFactory(council=city, member=world.idle, filed_by=staff, year=YEAR - 1)
    forwarding = Forwarding.objects.create(
        council=city,
        report=adopted,
        from_council=city,
        target=ForwardTarget.PARENT,
        forwarded_by=staff,
        forwarded_at=moment(4, 1),
    )
    office = OversightOfficeFactory(council=city)
    for day in (5, 9):
        ReportInstruction.objects.create(
            council=city,
            office=office,
            report=adopted,
            forwarding=forwarding,
            leader_name="张市长",
            level="city",
            text="请相关部门研究落实。",
            instructed_on=dt.date(YEAR, 4, day),
            recorded_by=staff,
        )
    rebuild_duty_records(city, YEAR)
    rows = sorted(
        DutyRecord.objects.filter(kind__startswith="opinion").values_list("member_id", "kind", "occurred_on")
    )
    assert rows == sorted(
        [
            (world.member.pk, DutyKind.OPINION_REPORT, dt.date(YEAR, 3, 1)),
            (world.member.pk, DutyKind.OPINION_ADOPTED, dt.date(YEAR, 3, 1)),
            (world.member.pk, DutyKind.OPINION_INSTRUCTED, dt.date(YEAR, 4, 5)),
            (world.cosigner.pk, DutyKind.OPINION_REPORT, dt.date(YEAR, 1, 1)),
        ]
    )


def test_a_converted_proposal_scores_once_as_its_report(world: DutyWorld) -> None:
    converted = file_proposal(world.idle, when=moment(4, 1), status=ProposalStatus.CONVERTED)
    OpinionReportFactory(
        council=world.cast.city,
        member=world.idle,
        filed_by=world.cast.staff,
        submitted_at=moment(4, 2),
        origin_kind=OriginKind.PROPOSAL,
        origin_type=ContentType.objects.get_for_model(Proposal),
        origin_id=converted.pk,
    )
    rebuild_duty_records(world.cast.city, YEAR)
    kinds = list(DutyRecord.objects.filter(member=world.idle).values_list("kind", flat=True))
    assert kinds == [DutyKind.OPINION_REPORT]


def test_speeches_and_research_of_consultations_that_took_place_count(world: DutyWorld) -> None:
    city, staff = world.cast.city, world.cast.staff
    held = ConsultationFactory(
        council=city, created_by=staff, status=ConsultationStatus.HELD, held_on=dt.date(YEAR, 9, 30)
    )
    cancelled = ConsultationFactory(council=city, created_by=staff, status=ConsultationStatus.CANCELLED)
    for consultation in (held, cancelled):
        Speech.objects.create(
            council=city,
            consultation=consultation,
            member=world.member,
            kind=SpeechKind.BOOKED,
            title="关于优化营商环境的发言",
            allotted_seconds=300,
        )
        research = Activity.objects.create(
            council=city,
            consultation=consultation,
            kind=ActivityKind.RESEARCH,
            title="营商环境专题调研",
            held_on=dt.date(YEAR, 8, 15),
            recorded_by=staff,
        )
        research.members.add(world.member, world.cosigner)
    rebuild_duty_records(city, YEAR)
    rows = sorted(
        DutyRecord.objects.filter(kind__in=[DutyKind.SPEECH, DutyKind.ACTIVITY]).values_list(
            "member_id", "kind", "occurred_on"
        )
    )
    assert rows == sorted(
        [
            (world.member.pk, DutyKind.SPEECH, dt.date(YEAR, 9, 30)),
            (world.member.pk, DutyKind.ACTIVITY, dt.date(YEAR, 8, 15)),
            (world.cosigner.pk, DutyKind.ACTIVITY, dt.date(YEAR, 8, 15)),
        ]
    )
    rows_before = snapshot()
    rebuild_duty_records(city, YEAR)
    assert snapshot() == rows_before


def test_a_liaison_visit_counts_as_an_activity_of_the_visited_member_in_its_year(world: DutyWorld) -> None:
    city, chair = world.cast.city, world.cast.leader
    visits = []
    for visited_on in (dt.date(YEAR, 5, 12), dt.date(YEAR + 1, 1, 3)):
        visit = LiaisonVisit.objects.create(
            council=city,
            visited_on=visited_on,
            year=visited_on.year,
            member=world.member,
            discussion="走访委员并听取社区居民关于老旧小区加装电梯的意见",
            recorded_by=chair,
        )
        visit.leaders.add(chair)
        visits.append(visit)
    rebuild_duty_records(city, YEAR)
    visit_type = ContentType.objects.get_for_model(LiaisonVisit)
    rows = list(
        DutyRecord.objects.filter(source_type=visit_type).values_list(
            "member_id", "kind", "source_id", "role", "points", "occurred_on", "description"
        )
    )
    assert rows == [
        (
            world.member.pk,
            DutyKind.ACTIVITY,
            visits[0].pk,
            SourceRole.PARTICIPANT,
            2,
            dt.date(YEAR, 5, 12),
            "Liaison visit: 走访委员并听取社区居民关于老旧小区加装电梯的意见",
        )
    ]
    rows_before = snapshot()
    rebuild_duty_records(city, YEAR)
    assert snapshot() == rows_before
    visits[0].delete()
    rebuild_duty_records(city, YEAR)
    assert not DutyRecord.objects.filter(source_type=visit_type).exists()
