"""Supervision actions: what they write, what they refuse, and that a
refusal changes nothing. The bad input of the issue, one case each."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zlib

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from xieshang.core.attachments import attachments_of
from xieshang.core.errors import InvalidTransition
from xieshang.core.models import Attachment
from xieshang.core.testing import assert_nothing_changed
from xieshang.councils.actions.settings import change_setting
from xieshang.councils.models import MemberGroupKind
from xieshang.councils.tests.factories import MemberFactory, MemberGroupFactory
from xieshang.supervision.actions import (
    CampaignData,
    PostingData,
    ProblemData,
    TargetData,
    add_targets,
    answer_letter,
    create_campaign,
    post_group,
    record_activity,
    reply_recommendation,
    resolve_recommendation,
    return_letter,
    send_recommendation,
)
from xieshang.supervision.models import (
    Inspection,
    LetterReply,
    Problem,
    Recommendation,
    RecommendationLetter,
    RecommendationReply,
    ResidentSupervision,
    SupervisionTarget,
)
from xieshang.supervision.states import LetterStatus, ProblemStatus, RecommendationStatus
from xieshang.supervision.tests.conftest import TODAY, World, photo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, 0), tick=False):
        yield


def _exif_with_gps() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (30.0, 15.0, 0.0), 3: "E", 4: (120.0, 10.0, 0.0)}
    return exif


def _stored_exif(inspection: Inspection) -> Image.Exif:
    attachment = attachments_of(inspection).get()
    with default_storage.open(attachment.stored_name, "rb") as handle:
        return Image.open(io.BytesIO(handle.read())).getexif()


# ---------------------------------------------------------------- inspections


def test_member_of_the_assigned_group_records_an_unannounced_inspection(world: World) -> None:
    inspection = world.inspect(photos=[photo("一.jpg"), photo("二.png", fmt="PNG")])
    assert inspection.is_unannounced
    assert inspection.group == world.contact_group
    assert set(inspection.participants.all()) == {world.cast.member_record, world.second_member}
    assert [p.description for p in inspection.problems.all()] == ["排污口偷排"]
    assert attachments_of(inspection).count() == 2


def test_a_member_outside_the_assigned_groups_may_not_inspect(world: World) -> None:
    with assert_nothing_changed(Inspection, Problem), pytest.raises(PermissionDenied):
        world.inspect(target=world.creek)


def test_photo_loses_its_camera_data_and_its_location_by_default(world: World) -> None:
    inspection = world.inspect(photos=[photo(exif=_exif_with_gps())])
    exif = _stored_exif(inspection)
    assert 0x010F not in exif
    assert exif.get_ifd(ExifTags.IFD.GPSInfo) == {}


def test_photo_keeps_its_location_where_the_council_allows_it(world: World) -> None:
    change_setting(actor=world.actor("admin"), key="supervision_photo_keep_gps", raw_value=True)
    inspection = world.inspect(photos=[photo(exif=_exif_with_gps())])
    exif = _stored_exif(inspection)
    assert 0x010F not in exif
    assert exif.get_ifd(ExifTags.IFD.GPSInfo)[1] == "N"


def _bomb_png() -> bytes:
    """A PNG whose header declares 40,000 × 40,000 pixels."""
    header = struct.pack(">IIBBBBB", 40_000, 40_000, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    ihdr = struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    data = zlib.compress(b"\0" * 1000)
    idat = struct.pack(">I", len(data)) + b"IDAT" + data + struct.pack(">I", zlib.crc32(b"IDAT" + data))
    return (
        b"\x89PNG\r\n\x1a\n"
        + ihdr
        + idat
        + struct.pack(">I", 0)
        + b"IEND"
        + struct.pack(">I", zlib.crc32(b"IEND"))
    )


BAD_PHOTOS = {
    "not-an-image": (
        lambda: SimpleUploadedFile("现场.jpg", b"just some text, not a picture"),
        "is not a JPG",
    ),
    "over-the-limit": (
        lambda: SimpleUploadedFile("大.jpg", photo().read() + b"\0" * (2 * 1024 * 1024)),
        "files may be at most",
    ),
    "decompression-bomb": (lambda: SimpleUploadedFile("炸弹.png", _bomb_png()), "million pixels"),
}


@pytest.mark.parametrize("case", list(BAD_PHOTOS), ids=list(BAD_PHOTOS))
def test_bad_photo_is_refused_and_nothing_is_stored(world: World, case: str) -> None:
    change_setting(actor=world.actor("admin"), key="supervision_photo_max_mb", raw_value=1)
    make, words = BAD_PHOTOS[case]
    with assert_nothing_changed(Inspection, Problem, Attachment), pytest.raises(ValidationError) as error:
        world.inspect(photos=[photo(), make()])
    assert words in str(error.value.message_dict["photos"])


def test_inspection_of_a_target_outside_the_campaign_is_refused(world: World) -> None:
    other = create_campaign(
        actor=world.actor("staff"),
        data=CampaignData("市容市貌", 2026, dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
    )
    (elsewhere,) = add_targets(
        other,
        actor=world.actor("staff"),
        targets=[TargetData("JD-01", "人民路", "城东区", world.kind, world.unit)],
    )
    with assert_nothing_changed(Inspection, Problem), pytest.raises(ValidationError) as error:
        world.inspect("staff", target=elsewhere)
    assert "target of this campaign" in str(error.value.message_dict["target"])


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"inspected_on": TODAY + dt.timedelta(days=1)}, "inspected_on"),
        ({"participants": []}, "participants"),
        ({"findings": "   "}, "findings"),
        ({"problems": [ProblemData("无人负责", None)]}, "problem_1"),
    ],
    ids=["future-date", "no-participants", "no-findings", "problem-without-unit"],
)
def test_incomplete_inspection_is_refused(world: World, changes: dict, field: str) -> None:
    with assert_nothing_changed(Inspection, Problem), pytest.raises(ValidationError) as error:
        world.inspect(**changes)
    assert field in error.value.message_dict


def test_problem_of_another_councils_unit_is_refused(world: World) -> None:
    with assert_nothing_changed(Inspection, Problem), pytest.raises(ValidationError):
        world.inspect(problems=[ProblemData("外市单位", world.other_unit)])


def test_targets_are_added_all_or_none(world: World) -> None:
    rows = [
        TargetData("HC-03", "北湖", "城北区", world.kind, world.unit),
        TargetData("HC-01", "重复", "城北区", world.kind, world.unit),
    ]
    with assert_nothing_changed(SupervisionTarget), pytest.raises(ValidationError) as error:
        add_targets(world.campaign, actor=world.actor("staff"), targets=rows)
    assert "HC-01" in str(error.value)


# ---------------------------------------------------------------- recommendations


def test_recommendation_is_due_in_working_days_and_told_to_the_unit(world: World) -> None:
    row = world.recommendation()
    # 15 working days from Monday 15 June 2026, not counting the Dragon Boat
    # Festival on Friday 19 June, is Tuesday 7 July.
    assert row.due_on == dt.date(2026, 7, 7)
    assert row.problems.count() == 1
    assert world.cast.liaison.notifications.filter(kind="supervision.recommendation").exists()


def test_recommendation_to_another_councils_unit_is_refused(world: World) -> None:
    with assert_nothing_changed(Recommendation), pytest.raises(ValidationError) as error:
        send_recommendation(
            world.campaign,
            actor=world.actor("staff"),
            handling_unit=world.other_unit,
            title="建议",
            text="内容",
        )
    assert "handling_unit" in error.value.message_dict


def test_reply_then_resolution_resolves_the_problems(world: World) -> None:
    row = world.recommendation()
    reply_recommendation(row, actor=world.actor("liaison"), text="已封堵，正在清淤。")
    reply_recommendation(row, actor=world.actor("liaison"), text="清淤完成。")
    resolve_recommendation(row, actor=world.actor("staff"))
    row.refresh_from_db()
    assert row.status == RecommendationStatus.RESOLVED
    assert row.first_replied_on == TODAY
    assert set(row.problems.values_list("status", flat=True)) == {ProblemStatus.RESOLVED}


def test_reply_from_a_unit_it_was_not_sent_to_is_refused(world: World, cast) -> None:
    row = world.recommendation()
    outsider = cast.actor("liaison")
    object.__setattr__(outsider, "handling_unit_ids", frozenset({world.second_unit.pk}))
    with assert_nothing_changed(row, RecommendationReply), pytest.raises(PermissionDenied):
        reply_recommendation(row, actor=outsider, text="我们来答复。")


# ---------------------------------------------------------------- resident supervision


def test_letters_are_numbered_per_year_and_due_after_the_councils_days(world: World) -> None:
    first, second = world.letter(), world.letter()
    assert (first.year, first.number, second.number) == (2026, 1, 2)
    assert first.due_on == TODAY + dt.timedelta(days=30)


def test_reply_to_a_letter_from_another_unit_is_refused(world: World) -> None:
    letter = world.letter()
    actor = world.actor("liaison")
    object.__setattr__(actor, "handling_unit_ids", frozenset({world.second_unit.pk}))
    with assert_nothing_changed(letter, LetterReply), pytest.raises(PermissionDenied) as error:
        answer_letter(letter, actor=actor, text="答复")
    assert "unit the letter was sent to" in str(error.value)


def test_a_second_reply_after_the_final_one_is_refused(world: World) -> None:
    letter = world.letter()
    answer_letter(letter, actor=world.actor("liaison"), text="已落实。")
    return_letter(letter, actor=world.actor("staff"), reason="未写明时限。")
    answer_letter(letter, actor=world.actor("liaison"), text="六月底前落实。")
    letter.refresh_from_db()
    assert letter.status == LetterStatus.ANSWERED and letter.was_returned
    with assert_nothing_changed(letter, LetterReply), pytest.raises(InvalidTransition) as error:
        answer_letter(letter, actor=world.actor("liaison"), text="再补充一点。")
    assert "answered" in str(error.value)


def test_an_answer_is_sent_back_for_rework_only_once(world: World) -> None:
    letter = world.letter()
    answer_letter(letter, actor=world.actor("liaison"), text="已落实。")
    return_letter(letter, actor=world.actor("staff"), reason="未写明时限。")
    answer_letter(letter, actor=world.actor("liaison"), text="六月底前落实。")
    letter.refresh_from_db()
    with assert_nothing_changed(letter), pytest.raises(PermissionDenied):
        return_letter(letter, actor=world.actor("staff"), reason="还是不行。")


def test_posting_to_a_unit_of_another_council_is_refused(world: World) -> None:
    data = PostingData(
        world.supervisors, world.other_unit, world.cast.member_record, TODAY, dt.date(2027, 6, 1)
    )
    with assert_nothing_changed(ResidentSupervision), pytest.raises(ValidationError) as error:
        post_group(actor=world.actor("staff"), data=data)
    assert "handling_unit" in error.value.message_dict


@pytest.mark.parametrize("size", [1, 11], ids=["one-member", "eleven-members"])
def test_supervisor_group_of_the_wrong_size_is_refused(world: World, cast, size: int) -> None:
    group = MemberGroupFactory(council=cast.city, kind=MemberGroupKind.SUPERVISORS)
    members = [MemberFactory(council=cast.city, term=cast.term) for _ in range(size)]
    group.members.add(*members)
    data = PostingData(group, world.unit, members[0], TODAY, dt.date(2027, 6, 1))
    with assert_nothing_changed(ResidentSupervision), pytest.raises(ValidationError) as error:
        post_group(actor=world.actor("staff"), data=data)
    assert "2 to 10" in str(error.value.message_dict["group"])


def test_a_supervisor_records_the_groups_activity(world: World) -> None:
    activity = record_activity(
        world.posting,
        actor=world.actor("member"),
        kind="symposium",
        held_on=TODAY,
        participants=[world.cast.member_record, world.second_member],
        outcome="听取窗口服务改进情况。",
    )
    assert activity.participants.count() == 2


def test_a_member_outside_the_group_may_not_record_its_activity(world: World, cast) -> None:
    world.supervisors.members.remove(cast.member_record)
    with assert_nothing_changed(world.posting), pytest.raises(PermissionDenied):
        record_activity(
            world.posting,
            actor=world.actor("member"),
            kind="visit",
            held_on=TODAY,
            participants=[world.second_member],
            outcome="走访。",
        )


# ---------------------------------------------------------------- the sweep


def test_sweep_reminds_then_flags_overdue_once(world: World) -> None:
    from xieshang.supervision.actions import remind_and_flag

    letter = world.letter()
    recommendation = world.recommendation()
    run = remind_and_flag(today=recommendation.due_on - dt.timedelta(days=1))
    assert (run.reminded, run.overdue) == (1, 0)
    late = max(letter.due_on, recommendation.due_on) + dt.timedelta(days=1)
    assert remind_and_flag(today=late).overdue == 2
    assert remind_and_flag(today=late).overdue == 0
    letter.refresh_from_db()
    assert letter.overdue_since == late
    assert RecommendationLetter.objects.filter(overdue_since__isnull=False).count() == 1


@pytest.mark.parametrize(
    ("who", "kind"),
    [("member", "unit_feedback"), ("liaison", "group_report"), ("leader", "group_report")],
    ids=["member-writes-the-units-feedback", "unit-writes-the-groups-report", "leader-writes-the-report"],
)
def test_yearly_appraisal_by_the_wrong_hand_is_refused(world: World, who: str, kind: str) -> None:
    from xieshang.supervision.actions import record_appraisal
    from xieshang.supervision.models import SupervisionAppraisal

    with assert_nothing_changed(SupervisionAppraisal), pytest.raises(PermissionDenied):
        record_appraisal(world.posting, actor=world.actor(who), kind=kind, year=2026, text="评价")


def test_yearly_appraisal_is_recorded_once_a_year(world: World) -> None:
    from xieshang.supervision.actions import record_appraisal
    from xieshang.supervision.models import SupervisionAppraisal

    record_appraisal(
        world.posting, actor=world.actor("liaison"), kind="unit_feedback", year=2026, text="好。"
    )
    with assert_nothing_changed(SupervisionAppraisal), pytest.raises(ValidationError) as error:
        record_appraisal(
            world.posting, actor=world.actor("liaison"), kind="unit_feedback", year=2026, text="再写"
        )
    assert "already been recorded" in str(error.value)
