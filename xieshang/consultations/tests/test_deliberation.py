"""Online deliberation: verification of public participants by SMS code,
one identity per mobile number, rate limits, blocked words and script in
comments, supports, moderation and the summary."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from xieshang.consultations.actions import deliberation as actions
from xieshang.consultations.models import (
    Deliberation,
    DeliberationComment,
    DeliberationCommentSupport,
    PublicIdentity,
    VerificationCode,
)
from xieshang.consultations.tests.conftest import NOW, World
from xieshang.consultations.tests.factories import ConsultationFactory
from xieshang.core.errors import Conflict
from xieshang.core.events import timeline
from xieshang.core.sms import MemorySmsBackend
from xieshang.core.testing import assert_nothing_changed

pytestmark = pytest.mark.usefixtures("clock")


def open_one(world: World, *, public: bool = True, blocked: str = "") -> Deliberation:
    consultation = ConsultationFactory(council=world.cast.city, created_by=world.cast.staff)
    return actions.open_deliberation(
        consultation,
        topic="如何推进老旧小区改造",
        background="全市有老旧小区三百余个。",
        questions="加装电梯的费用如何分担？",
        opens_at=NOW - dt.timedelta(days=1),
        closes_at=NOW + dt.timedelta(days=14),
        public_enabled=public,
        blocked_words=blocked,
        actor=world.actor("staff"),
    )


def code_sent_to(mobile: str) -> str:
    texts = [m.text for m in MemorySmsBackend.outbox if m.to == mobile]
    match = re.search(r"\d{6}", texts[-1])
    assert match
    return match.group(0)


def verified(world: World, mobile: str, nickname: str, capture: Any) -> PublicIdentity:
    with capture(execute=True):
        actions.request_code(council=world.cast.city, mobile=mobile, ip="10.0.0.1")
    return actions.verify_code(
        council=world.cast.city, mobile=mobile, code=code_sent_to(mobile), nickname=nickname
    )


@pytest.fixture(autouse=True)
def _empty_outbox_and_english() -> Iterator[None]:
    MemorySmsBackend.outbox.clear()
    with translation.override("en"):
        yield


def test_the_code_is_sent_by_sms_after_commit_and_stored_only_hashed(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        row = actions.request_code(council=world.cast.city, mobile="138 0013 8000", ip="10.0.0.1")
    assert MemorySmsBackend.outbox == []
    for callback in callbacks:
        callback()
    code = code_sent_to("13800138000")
    assert code not in row.code_hash and "13800138000" not in row.mobile_index


def test_a_second_identity_on_the_same_number_is_refused_with_a_clear_message(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    first = verified(world, "13800138000", "老街坊", django_capture_on_commit_callbacks)
    with pytest.raises(Conflict) as error:
        verified(world, "13800138000", "新马甲", django_capture_on_commit_callbacks)
    assert "老街坊" in error.value.message and "One number has one identity" in error.value.message
    again = verified(world, "13800138000", "", django_capture_on_commit_callbacks)
    assert again == first
    assert PublicIdentity.objects.count() == 1


def test_the_same_number_is_a_separate_identity_in_another_council(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    verified(world, "13800138000", "老街坊", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        actions.request_code(council=world.cast.other_city, mobile="13800138000", ip=None)
    other = actions.verify_code(
        council=world.cast.other_city, mobile="13800138000", code=code_sent_to("13800138000"), nickname="路人"
    )
    assert other.council == world.cast.other_city


def test_a_code_expires_after_ten_minutes(world: World, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        actions.request_code(council=world.cast.city, mobile="13800138000", ip=None)
    code = code_sent_to("13800138000")
    late = time_machine.travel(NOW + dt.timedelta(minutes=10, seconds=1), tick=False)
    with late, pytest.raises(ValidationError, match="expired"):
        actions.verify_code(council=world.cast.city, mobile="13800138000", code=code, nickname="甲")
    with time_machine.travel(NOW + dt.timedelta(minutes=9, seconds=59), tick=False):
        assert actions.verify_code(council=world.cast.city, mobile="13800138000", code=code, nickname="甲")


def test_wrong_codes_count_and_lock_the_code_after_five_attempts(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        actions.request_code(council=world.cast.city, mobile="13800138000", ip=None)
    code = code_sent_to("13800138000")
    wrong = "000000" if code != "000000" else "111111"
    for _attempt in range(5):
        with pytest.raises(ValidationError, match="not correct"):
            actions.verify_code(council=world.cast.city, mobile="13800138000", code=wrong, nickname="甲")
    assert VerificationCode.objects.get().attempts == 5
    with pytest.raises(ValidationError, match="Too many wrong codes"):
        actions.verify_code(council=world.cast.city, mobile="13800138000", code=code, nickname="甲")


def test_a_code_is_used_once(world: World, django_capture_on_commit_callbacks: Any) -> None:
    verified(world, "13800138000", "甲", django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="expired"):
        actions.verify_code(
            council=world.cast.city, mobile="13800138000", code=code_sent_to("13800138000"), nickname="甲"
        )


def test_codes_are_limited_per_number_per_hour(world: World) -> None:
    for _n in range(5):
        actions.request_code(council=world.cast.city, mobile="13800138000", ip="10.0.0.1")
    with pytest.raises(Conflict, match="Too many codes"):
        actions.request_code(council=world.cast.city, mobile="13800138000", ip="10.0.0.2")
    actions.request_code(council=world.cast.city, mobile="13900139000", ip="10.0.0.1")
    with time_machine.travel(NOW + dt.timedelta(hours=1, seconds=1), tick=False):
        actions.request_code(council=world.cast.city, mobile="13800138000", ip="10.0.0.1")


def test_codes_are_limited_per_address_per_hour(world: World) -> None:
    for n in range(30):
        actions.request_code(council=world.cast.city, mobile=f"1380013{n:04d}", ip="10.0.0.1")
    with pytest.raises(Conflict, match="Too many codes"):
        actions.request_code(council=world.cast.city, mobile="13900139000", ip="10.0.0.1")
    actions.request_code(council=world.cast.city, mobile="13900139000", ip="10.0.0.2")


def test_a_number_that_is_not_a_mobile_number_is_refused(world: World) -> None:
    with pytest.raises(ValidationError, match="11-digit"):
        actions.request_code(council=world.cast.city, mobile="12345", ip=None)


def test_comments_with_blocked_words_are_refused_and_script_is_kept_as_text(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    deliberation = open_one(world, blocked="黑心物业")
    poster = actions.Poster.of_identity(
        verified(world, "13800138000", "甲", django_capture_on_commit_callbacks)
    )
    for text in ("物业就是王八蛋", "这家黑心物业不管事", "FUCK this"):
        with pytest.raises(ValidationError, match="not allowed"):
            actions.post_comment(deliberation, text=text, poster=poster)
    script = '<script>alert("x")</script>建议加装电梯'
    comment = actions.post_comment(deliberation, text=script, poster=poster)
    assert DeliberationComment.objects.get().text == script == comment.text


def test_comments_are_limited_per_identity_per_hour(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    deliberation = open_one(world)
    poster = actions.Poster.of_identity(
        verified(world, "13800138000", "甲", django_capture_on_commit_callbacks)
    )
    for n in range(10):
        actions.post_comment(deliberation, text=f"第{n}条意见", poster=poster)
    with pytest.raises(Conflict, match="10 comments in the last hour"):
        actions.post_comment(deliberation, text="再来一条", poster=poster)
    with time_machine.travel(NOW + dt.timedelta(hours=1, seconds=1), tick=False):
        actions.post_comment(deliberation, text="一小时后", poster=poster)


def test_the_public_cannot_post_when_the_deliberation_is_for_members_or_closed(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    members_only = open_one(world, public=False)
    poster = actions.Poster.of_identity(
        verified(world, "13800138000", "甲", django_capture_on_commit_callbacks)
    )
    with pytest.raises(Conflict, match="members only"):
        actions.post_comment(members_only, text="意见", poster=poster)
    member = actions.Poster.of_actor(world.actor("member"))
    assert actions.post_comment(members_only, text="委员意见", poster=member).user == world.cast.member
    later = time_machine.travel(NOW + dt.timedelta(days=15), tick=False)
    with later, pytest.raises(Conflict, match="not open now"):
        actions.post_comment(members_only, text="迟到的意见", poster=member)


def test_one_support_per_identity_per_comment_and_none_for_ones_own(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    deliberation = open_one(world)
    author = actions.Poster.of_identity(
        verified(world, "13800138000", "甲", django_capture_on_commit_callbacks)
    )
    fan = actions.Poster.of_identity(verified(world, "13900139000", "乙", django_capture_on_commit_callbacks))
    member = actions.Poster.of_actor(world.actor("member"))
    comment = actions.post_comment(deliberation, text="增加停车位", poster=author)
    assert actions.support_comment(comment, poster=fan).support_count == 1
    assert actions.support_comment(comment, poster=member).support_count == 2
    with pytest.raises(Conflict, match="already support"):
        actions.support_comment(comment, poster=fan)
    with pytest.raises(Conflict, match="own comment"):
        actions.support_comment(comment, poster=author)
    assert DeliberationCommentSupport.objects.count() == 2
    assert DeliberationComment.objects.get().support_count == 2


def test_staff_hide_with_a_reason_and_others_may_not_moderate(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    deliberation = open_one(world)
    poster = actions.Poster.of_identity(
        verified(world, "13800138000", "甲", django_capture_on_commit_callbacks)
    )
    comment = actions.post_comment(deliberation, text="与主题无关的广告", poster=poster)
    with pytest.raises(ValidationError, match="its author will see"):
        actions.hide_comment(comment, reason=" ", actor=world.actor("staff"))
    for name in ("member", "leader", "oversight"):
        with assert_nothing_changed(comment), pytest.raises(PermissionDenied):
            actions.hide_comment(comment, reason="广告", actor=world.actor(name))
    actions.hide_comment(comment, reason="与主题无关", actor=world.actor("staff"))
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_reason == "与主题无关"
    actions.unhide_comment(comment, actor=world.actor("staff"))
    comment.refresh_from_db()
    assert not comment.is_hidden and comment.hidden_reason == ""


def test_the_summary_counts_visible_comments_ranks_supports_and_counts_words(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    deliberation = open_one(world)
    a = actions.Poster.of_identity(verified(world, "13800138000", "甲", django_capture_on_commit_callbacks))
    b = actions.Poster.of_identity(verified(world, "13900139000", "乙", django_capture_on_commit_callbacks))
    first = actions.post_comment(deliberation, text="老旧小区加装电梯，政府补贴一部分。", poster=a)
    second = actions.post_comment(deliberation, text="加装电梯要听取低层住户意见。", poster=b)
    hidden = actions.post_comment(deliberation, text="电梯电梯电梯电梯", poster=b)
    actions.support_comment(second, poster=a)
    actions.hide_comment(hidden, reason="刷屏", actor=world.actor("staff"))
    summary = actions.summarise(deliberation)
    assert (summary.comments, summary.participants, summary.supports) == (2, 2, 1)
    assert summary.ranking == [second, first]
    words = dict(summary.words)
    assert words["电梯"] == 2 and words["加装"] == 2
    assert "的" not in words and "，" not in words
    actions.record_summary(deliberation, actor=world.actor("staff"))
    events = [e for e in timeline(deliberation.consultation) if e.type == "consultation.deliberation_summary"]
    assert events and events[0].data["comments"] == 2
    with assert_nothing_changed(deliberation, deliberation.consultation), pytest.raises(PermissionDenied):
        actions.record_summary(deliberation, actor=world.actor("member"))
