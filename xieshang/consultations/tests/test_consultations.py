"""Preparing and holding a consultation through its actions: working-day due
dates across the 2026 National Day holidays, invitations to people without
accounts, notice, materials, research, the speakers list and its timing,
minutes, and what the duty app reads."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xieshang.consultations.actions import consultations as actions
from xieshang.consultations.actions import speeches as speech_actions
from xieshang.consultations.actions.sweeps import sweep
from xieshang.consultations.models import Consultation, Participant, Speech
from xieshang.consultations.queries import (
    activity_participations_per_member,
    deadline_checks,
    speeches_per_member,
)
from xieshang.consultations.states import ConsultationStatus, ParticipantCategory, SpeechKind
from xieshang.consultations.tests.conftest import World
from xieshang.consultations.tests.factories import START
from xieshang.core.errors import Conflict, InvalidTransition
from xieshang.core.models import CalendarOverride, Notification
from xieshang.core.sms import MemorySmsBackend
from xieshang.core.testing import assert_nothing_changed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def details(**changes: object) -> actions.ConsultationDetails:
    base: dict[str, object] = {
        "kind": "topic",
        "topic": "推进城乡融合发展",
        "starts_at": START,
        "place": "市政协常委会议室",
    }
    base.update(changes)
    return actions.ConsultationDetails(**base)  # type: ignore[arg-type]


def set_up(world: World) -> Consultation:
    staff = world.actor("staff")
    consultation = actions.create_consultation(details=details(), actor=staff)
    for member in (world.cast.member_record, world.colleague_record):
        actions.add_participant(consultation, category=ParticipantCategory.MEMBER, member=member, actor=staff)
    return consultation


def notified(world: World) -> Consultation:
    consultation = set_up(world)
    return actions.send_notice(consultation, actor=world.actor("staff"))


def held(world: World, day: dt.date = dt.date(2026, 9, 30)) -> Consultation:
    consultation = notified(world)
    Consultation.objects.filter(pk=consultation.pk).update(
        starts_at=timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    )
    consultation.refresh_from_db()
    with time_machine.travel(timezone.make_aware(dt.datetime.combine(day, dt.time(18))), tick=False):
        return actions.mark_held(consultation, held_on=day, actor=world.actor("staff"))


def test_due_dates_count_working_days_back_across_the_national_day_holidays(world: World) -> None:
    consultation = set_up(world)
    # 19 Oct 2026 is a Monday; 1–7 Oct and 25 Sep are holidays, 10 Oct is worked.
    assert consultation.materials_due_on == dt.date(2026, 9, 29)
    assert consultation.notice_due_on == dt.date(2026, 9, 21)


def test_due_dates_follow_the_councils_settings_and_calendar_overrides(world: World) -> None:
    from xieshang.councils.models import CouncilSetting

    CouncilSetting.objects.create(
        council=world.cast.city, key="consultation_notice_working_days", value=5, changed_by=world.cast.admin
    )
    CalendarOverride.objects.create(council=world.cast.city, date=dt.date(2026, 10, 16), is_working_day=False)
    consultation = actions.create_consultation(details=details(), actor=world.actor("staff"))
    # 5 working days back from 19 Oct, skipping the local day off on the 16th: 15, 14, 13, 12, 10.
    assert consultation.notice_due_on == dt.date(2026, 10, 10)


def test_moving_the_day_moves_the_due_dates(world: World) -> None:
    consultation = set_up(world)
    moved = actions.update_consultation(
        consultation, details=details(starts_at=START + dt.timedelta(days=7)), actor=world.actor("staff")
    )
    assert (moved.notice_due_on, moved.materials_due_on) == (dt.date(2026, 9, 29), dt.date(2026, 10, 12))


def test_the_page_shows_what_is_late_as_time_passes(world: World) -> None:
    consultation = set_up(world)
    with time_machine.travel(timezone.make_aware(dt.datetime(2026, 9, 21, 17)), tick=False):
        checks = deadline_checks(consultation, timezone.localdate())
        assert [c.is_late for c in checks] == [False, False]
    with time_machine.travel(timezone.make_aware(dt.datetime(2026, 9, 22, 9)), tick=False):
        actions.send_notice(consultation, actor=world.actor("staff"))
        consultation.refresh_from_db()
        checks = deadline_checks(consultation, timezone.localdate())
        assert [(c.is_done, c.is_late) for c in checks] == [(True, True), (False, False)]
    with time_machine.travel(timezone.make_aware(dt.datetime(2026, 9, 30, 9)), tick=False):
        checks = deadline_checks(consultation, timezone.localdate())
        assert [(c.is_done, c.is_late) for c in checks] == [(True, True), (False, True)]


def test_minutes_fall_due_seven_working_days_after_the_day_across_holidays(world: World) -> None:
    consultation = held(world, dt.date(2026, 9, 30))
    # 8, 9, 10 (worked Saturday), 12, 13, 14, 15 October.
    assert consultation.minutes_due_on == dt.date(2026, 10, 15)
    with time_machine.travel(timezone.make_aware(dt.datetime(2026, 10, 15, 17)), tick=False):
        assert not sweep(timezone.localdate()).late_minutes
    with time_machine.travel(timezone.make_aware(dt.datetime(2026, 10, 16, 9)), tick=False):
        assert sweep(timezone.localdate()).late_minutes == 1
        sweep(timezone.localdate())
        assert Notification.objects.filter(kind="consultations.minutes_late").count() == 1
        actions.send_minutes(consultation, minutes="会议纪要……", actor=world.actor("staff"))
        consultation.refresh_from_db()
        minutes_check = deadline_checks(consultation, timezone.localdate())[-1]
        assert minutes_check.is_done and minutes_check.is_late


def test_minutes_go_to_both_offices(world: World) -> None:
    consultation = held(world)
    with pytest.raises(ValidationError):
        actions.send_minutes(consultation, minutes=" ", actor=world.actor("staff"))
    actions.send_minutes(consultation, minutes="纪要", actor=world.actor("staff"))
    recipients = Notification.objects.filter(kind="consultations.minutes").values_list(
        "recipient__username", flat=True
    )
    assert sorted(recipients) == ["gov", "oversight"]


def test_people_without_accounts_are_invited_by_sms_and_email_once(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    MemorySmsBackend.outbox.clear()
    consultation = set_up(world)
    staff = world.actor("staff")
    actions.add_participant(
        consultation,
        category=ParticipantCategory.EXPERT,
        name="周教授",
        organisation="某大学",
        phone="138 0000 1111",
        email="zhou@example.edu.cn",
        actor=staff,
    )
    with pytest.raises(ValidationError) as error:
        actions.add_participant(consultation, category=ParticipantCategory.CITIZEN, name="", actor=staff)
    assert "name" in error.value.message_dict
    with django_capture_on_commit_callbacks(execute=True):
        actions.send_notice(consultation, actor=staff)
    assert [m.to for m in MemorySmsBackend.outbox] == ["13800001111"]
    assert "推进城乡融合发展" in MemorySmsBackend.outbox[0].text
    assert [m.to for m in mail.outbox] == [["zhou@example.edu.cn"]]
    assert Participant.objects.get(name="周教授").invited_at is not None
    # Members got the notice in their inbox.
    assert Notification.objects.filter(kind="consultations.notice").count() == 2
    # A participant added after the notice is invited at once; nobody twice.
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_participant(
            consultation,
            category=ParticipantCategory.GRASSROOTS,
            name="社区书记",
            phone="13900002222",
            actor=staff,
        )
    assert [m.to for m in MemorySmsBackend.outbox] == ["13800001111", "13900002222"]


def test_a_member_is_added_only_once(world: World) -> None:
    consultation = set_up(world)
    with pytest.raises(Conflict):
        actions.add_participant(
            consultation,
            category=ParticipantCategory.MEMBER,
            member=world.cast.member_record,
            actor=world.actor("staff"),
        )


def test_the_notice_needs_participants_and_is_sent_once(world: World) -> None:
    consultation = actions.create_consultation(details=details(), actor=world.actor("staff"))
    with pytest.raises(ValidationError):
        actions.send_notice(consultation, actor=world.actor("staff"))
    consultation = notified(world)
    # Sent twice (a double click, a colleague): a conflict naming the state, not a refusal.
    with (
        assert_nothing_changed(consultation, Notification),
        pytest.raises(InvalidTransition, match="«notice sent»"),
    ):
        actions.send_notice(consultation, actor=world.actor("staff"))


def test_materials_are_sent_only_once_they_exist(world: World) -> None:
    consultation = notified(world)
    staff = world.actor("staff")
    with pytest.raises(ValidationError):
        actions.send_materials(consultation, actor=staff)
    actions.add_materials(
        consultation,
        uploads=[SimpleUploadedFile("背景材料.pdf", PDF, content_type="application/pdf")],
        actor=staff,
    )
    actions.send_materials(consultation, actor=staff)
    consultation.refresh_from_db()
    assert consultation.materials_sent_at is not None
    assert Notification.objects.filter(kind="consultations.materials").count() == 2


def test_research_counts_for_each_member_who_took_part(world: World) -> None:
    consultation = set_up(world)
    staff = world.actor("staff")
    actions.record_activity(
        consultation,
        kind="research",
        title="赴三个区县调研",
        held_on=dt.date(2026, 8, 20),
        members=[world.cast.member_record, world.colleague_record],
        report="调研报告……",
        actor=staff,
    )
    actions.record_activity(
        consultation,
        kind="inspection",
        title="视察",
        held_on=dt.date(2026, 8, 25),
        members=[world.cast.member_record],
        actor=staff,
    )
    with pytest.raises(ValidationError):
        actions.record_activity(
            consultation, kind="research", title="未来", held_on=dt.date(2026, 9, 2), members=[], actor=staff
        )
    counts = activity_participations_per_member(world.cast.city, 2026)
    assert counts == {world.cast.member_record.pk: 2, world.colleague_record.pk: 1}
    assert activity_participations_per_member(world.cast.city, 2025) == {}


def test_staff_set_the_order_of_speakers(world: World) -> None:
    consultation = notified(world)
    staff = world.actor("staff")
    first = speech_actions.add_speech(
        consultation,
        member=world.cast.member_record,
        kind=SpeechKind.BOOKED,
        title="发言一",
        text="……",
        actor=staff,
    )
    second = speech_actions.add_speech(
        consultation, member=world.colleague_record, kind=SpeechKind.IMPROMPTU, title="发言二", actor=staff
    )
    assert (first.allotted_seconds, second.allotted_seconds) == (480, 300)
    speech_actions.move_speech(second, up=True, actor=staff)
    assert list(consultation.speeches.order_by("position").values_list("title", flat=True)) == [
        "发言二",
        "发言一",
    ]
    speech_actions.move_speech(second, up=True, actor=staff)  # already first: nothing moves
    assert list(consultation.speeches.order_by("position").values_list("title", flat=True)) == [
        "发言二",
        "发言一",
    ]


def test_members_book_their_own_speech_with_its_text(world: World) -> None:
    consultation = notified(world)
    member = world.actor("member")
    with pytest.raises(ValidationError) as error:
        speech_actions.add_speech(
            consultation,
            member=world.cast.member_record,
            kind=SpeechKind.BOOKED,
            title="题目",
            text="",
            actor=member,
        )
    assert "text" in error.value.message_dict
    speech_actions.add_speech(
        consultation,
        member=world.cast.member_record,
        kind=SpeechKind.BOOKED,
        title="题目",
        text="全文",
        actor=member,
    )
    with assert_nothing_changed(consultation, Speech), pytest.raises(PermissionDenied):
        speech_actions.add_speech(
            consultation,
            member=world.colleague_record,
            kind=SpeechKind.BOOKED,
            title="代别人",
            text="x",
            actor=member,
        )
    assert consultation.speeches.count() == 1


def test_a_speech_over_its_time_is_recorded_with_its_duration_and_flagged(world: World) -> None:
    consultation = notified(world)
    staff = world.actor("staff")
    booked = speech_actions.add_speech(
        consultation, member=world.cast.member_record, kind=SpeechKind.BOOKED, title="一", actor=staff
    )
    impromptu = speech_actions.add_speech(
        consultation, member=world.colleague_record, kind=SpeechKind.IMPROMPTU, title="二", actor=staff
    )
    on_time = speech_actions.record_speech_duration(booked, duration_seconds=480, actor=staff)
    over = speech_actions.record_speech_duration(impromptu, duration_seconds=301, actor=staff)
    assert (on_time.is_over_time, on_time.duration_seconds) == (False, 480)
    assert (over.is_over_time, over.duration_seconds) == (True, 301)
    for bad in (0, 4 * 3600 + 1):
        with pytest.raises(ValidationError):
            speech_actions.record_speech_duration(booked, duration_seconds=bad, actor=staff)
    booked.refresh_from_db()
    assert booked.duration_seconds == 480


def test_speeches_count_for_duty_once_the_consultation_is_held(world: World) -> None:
    consultation = notified(world)
    staff = world.actor("staff")
    speech_actions.add_speech(
        consultation, member=world.cast.member_record, kind=SpeechKind.BOOKED, title="一", actor=staff
    )
    speech_actions.add_speech(
        consultation, member=world.cast.member_record, kind=SpeechKind.IMPROMPTU, title="二", actor=staff
    )
    assert speeches_per_member(world.cast.city, 2026) == {}
    with time_machine.travel(timezone.make_aware(dt.datetime(2026, 10, 19, 18)), tick=False):
        actions.mark_held(consultation, held_on=dt.date(2026, 10, 19), actor=staff)
    assert speeches_per_member(world.cast.city, 2026) == {world.cast.member_record.pk: 2}


def test_a_consultation_cannot_be_recorded_as_held_before_its_day_or_twice(world: World) -> None:
    consultation = notified(world)
    with assert_nothing_changed(consultation), pytest.raises(PermissionDenied):
        actions.mark_held(consultation, held_on=dt.date(2026, 9, 1), actor=world.actor("staff"))
    with time_machine.travel(timezone.make_aware(dt.datetime(2026, 10, 20, 9)), tick=False):
        for day in (dt.date(2026, 10, 18), dt.date(2026, 10, 21)):
            with pytest.raises(ValidationError):
                actions.mark_held(consultation, held_on=day, actor=world.actor("staff"))
    consultation = held(world)
    with assert_nothing_changed(consultation), pytest.raises(InvalidTransition, match="«held»"):
        actions.mark_held(consultation, held_on=dt.date(2026, 9, 30), actor=world.actor("staff"))


def test_closing_needs_the_minutes_sent(world: World) -> None:
    consultation = held(world)
    with assert_nothing_changed(consultation), pytest.raises(PermissionDenied):
        actions.close_consultation(consultation, actor=world.actor("staff"))
    actions.send_minutes(consultation, minutes="纪要", actor=world.actor("staff"))
    closed = actions.close_consultation(consultation, actor=world.actor("staff"))
    assert closed.status == ConsultationStatus.CLOSED


def test_cancelling_needs_a_reason_and_tells_invited_members(world: World) -> None:
    consultation = notified(world)
    with pytest.raises(ValidationError):
        actions.cancel_consultation(consultation, reason="", actor=world.actor("staff"))
    actions.cancel_consultation(consultation, reason="市政府决策提前", actor=world.actor("staff"))
    assert Notification.objects.filter(kind="consultations.cancelled").count() == 2
    consultation.refresh_from_db()
    with pytest.raises(InvalidTransition):
        from xieshang.consultations.states import ensure_consultation_transition

        ensure_consultation_transition(consultation.status, ConsultationStatus.HELD)


@pytest.mark.parametrize("name", ["leader", "member", "oversight", "liaison"])
def test_only_staff_prepare_consultations(world: World, name: str) -> None:
    consultation = set_up(world)
    actor = world.actor(name)
    with assert_nothing_changed(consultation, Consultation, Participant, Speech, Notification):
        with pytest.raises(PermissionDenied):
            actions.create_consultation(details=details(), actor=actor)
        with pytest.raises(PermissionDenied):
            actions.send_notice(consultation, actor=actor)
        with pytest.raises(PermissionDenied):
            speech_actions.add_speech(
                consultation, member=world.cast.member_record, kind="impromptu", title="x", actor=actor
            )
