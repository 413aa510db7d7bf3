"""Notifications: inbox rows always, e-mail and SMS after commit, each sent
at most once per channel; the inbox page opens and marks messages read."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from xieshang.core import tasks
from xieshang.core.models import Notification, NotificationDelivery
from xieshang.core.notifications import mark_all_read, mark_read, notify

pytestmark = pytest.mark.django_db

Status = NotificationDelivery.Status


@pytest.fixture
def reachable_member(cast):
    cast.member.email = "member@example.com"
    cast.member.mobile = "13800138000"
    cast.member.save()
    return cast.member


def test_notify_puts_one_row_in_each_inbox(cast):
    rows = notify(
        recipients=[cast.member, cast.staff, cast.member], council=cast.city, title="请提交年度提案"
    )
    assert len(rows) == 2
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"member", "staff"}


def test_notify_with_a_dedupe_key_twice_creates_one_message(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = notify(
            recipients=[cast.member],
            council=cast.city,
            title="提案即将逾期",
            channels=["email"],
            dedupe_key="k1",
        )
        second = notify(
            recipients=[cast.member],
            council=cast.city,
            title="提案即将逾期",
            channels=["email"],
            dedupe_key="k1",
        )
    assert first[0].pk == second[0].pk
    assert Notification.objects.count() == 1
    assert len(callbacks) == 1


def test_unknown_channel_is_refused(cast):
    with pytest.raises(ValueError, match="fax"):
        notify(recipients=[cast.member], council=cast.city, title="x", channels=["fax"])


def test_nothing_is_sent_inside_the_transaction_and_nothing_after_rollback(
    reachable_member, cast, sms_outbox
):
    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        notify(recipients=[reachable_member], council=cast.city, title="会议通知", channels=["email", "sms"])
        assert mail.outbox == []
        raise Rollback
    assert mail.outbox == []
    assert sms_outbox == []
    assert not Notification.objects.exists()


def test_email_and_sms_are_sent_after_commit(
    reachable_member, cast, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = notify(
            recipients=[reachable_member],
            council=cast.city,
            title="会议通知",
            body="请于周三上午九点参加常委会会议。",
            url="/c/city/meetings/1/",
            channels=["email", "sms"],
        )
    assert [m.to for m in mail.outbox] == [["member@example.com"]]
    assert "会议通知" in mail.outbox[0].subject
    assert "/c/city/meetings/1/" in mail.outbox[0].body
    assert [m.to for m in sms_outbox] == ["13800138000"]
    assert dict(row.deliveries.values_list("channel", "status")) == {"email": Status.SENT, "sms": Status.SENT}


def test_running_the_delivery_task_again_sends_nothing_more(reachable_member, cast, sms_outbox):
    (row,) = notify(
        recipients=[reachable_member], council=cast.city, title="会议通知", channels=["email", "sms"]
    )
    tasks.deliver_notification.call(notification_id=row.pk)
    tasks.deliver_notification.call(notification_id=row.pk)
    assert len(mail.outbox) == 1
    assert len(sms_outbox) == 1
    assert NotificationDelivery.objects.filter(notification=row).count() == 2


def test_missing_address_is_recorded_as_skipped(cast, sms_outbox):
    (row,) = notify(recipients=[cast.staff], council=cast.city, title="会议通知", channels=["email", "sms"])
    assert tasks.deliver_notification.call(notification_id=row.pk) == {"email": "skipped", "sms": "skipped"}
    assert mail.outbox == []
    assert sms_outbox == []


class BrokenSms:
    def send(self, message):
        raise ConnectionError("gateway down")


def test_failed_delivery_is_recorded_and_retried_once_the_gateway_is_back(reachable_member, cast, sms_outbox):
    (row,) = notify(recipients=[reachable_member], council=cast.city, title="会议通知", channels=["sms"])
    with override_settings(SMS_BACKEND=f"{__name__}.BrokenSms"):
        tasks.deliver_notification.call(notification_id=row.pk)
    delivery = NotificationDelivery.objects.get(notification=row)
    assert delivery.status == Status.FAILED
    assert "gateway down" in delivery.detail

    assert tasks.retry_failed_deliveries.call() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Status.SENT, 2)
    assert len(sms_outbox) == 1
    assert tasks.retry_failed_deliveries.call() == 0


def test_retry_gives_up_on_deliveries_older_than_a_day(reachable_member, cast, time_machine):
    time_machine.move_to("2026-11-02 09:00 +08:00", tick=False)
    (row,) = notify(recipients=[reachable_member], council=cast.city, title="会议通知", channels=["sms"])
    with override_settings(SMS_BACKEND=f"{__name__}.BrokenSms"):
        tasks.deliver_notification.call(notification_id=row.pk)
    time_machine.move_to("2026-11-03 09:01 +08:00", tick=False)
    assert tasks.retry_failed_deliveries.call() == 0


def test_retry_gives_up_after_the_maximum_attempts(reachable_member, cast):
    (row,) = notify(recipients=[reachable_member], council=cast.city, title="会议通知", channels=["sms"])
    with override_settings(SMS_BACKEND=f"{__name__}.BrokenSms"):
        for _ in range(tasks.MAX_ATTEMPTS + 2):
            tasks.deliver_notification.call(notification_id=row.pk)
        assert NotificationDelivery.objects.get(notification=row).attempts == tasks.MAX_ATTEMPTS
        assert tasks.retry_failed_deliveries.call() == 0


def test_mark_read_and_mark_all_read(cast):
    rows = notify(recipients=[cast.member], council=cast.city, title="一")
    notify(recipients=[cast.member], council=cast.city, title="二")
    notify(recipients=[cast.member], council=cast.other_city, title="别处")
    mark_read(rows[0], user=cast.member)
    with pytest.raises(PermissionError):
        mark_read(rows[0], user=cast.staff)
    assert mark_all_read(user=cast.member, council=cast.city) == 1
    assert Notification.objects.filter(read_at__isnull=True).count() == 1  # the other council's


def test_opening_a_message_marks_it_read_and_follows_its_link(clients, cast):
    (row,) = notify(
        recipients=[cast.member], council=cast.city, title="请查看会议", url="/c/city/meetings/7/"
    )
    page = clients["member"].get("/c/city/inbox/")
    assert 'data-testid="unread-count">1<' in page.content.decode()
    response = clients["member"].get(f"/c/city/inbox/{row.pk}/")
    assert response.status_code == 302
    assert response["Location"] == "/c/city/meetings/7/"
    row.refresh_from_db()
    assert row.read_at is not None
    assert 'data-testid="unread-count"' not in clients["member"].get("/c/city/inbox/").content.decode()


def test_a_link_off_the_site_is_not_followed(clients, cast):
    (row,) = notify(recipients=[cast.member], council=cast.city, title="x", url="https://evil.example/")
    response = clients["member"].get(f"/c/city/inbox/{row.pk}/")
    assert response["Location"] == "/c/city/inbox/"


def test_someone_elses_message_is_not_found_and_stays_unread(clients, cast):
    (row,) = notify(recipients=[cast.member], council=cast.city, title="x", url="/c/city/")
    assert clients["staff"].get(f"/c/city/inbox/{row.pk}/").status_code == 404
    row.refresh_from_db()
    assert row.read_at is None


def test_mark_all_read_button_needs_post_and_reads_only_this_council(clients, cast):
    notify(recipients=[cast.member], council=cast.city, title="一")
    notify(recipients=[cast.member], council=cast.other_city, title="别处")
    assert clients["member"].get("/c/city/inbox/read-all/").status_code == 405
    response = clients["member"].post("/c/city/inbox/read-all/")
    assert response.status_code == 302
    assert list(Notification.objects.filter(read_at__isnull=True).values_list("title", flat=True)) == ["别处"]


def test_inbox_page_query_count_does_not_grow_with_messages(clients, cast, django_assert_num_queries):
    notify(recipients=[cast.member], council=cast.city, title="消息")
    clients["member"].get("/c/city/inbox/")  # warm the session
    with CaptureQueriesContext(connection) as few:
        clients["member"].get("/c/city/inbox/")
    for i in range(25):
        notify(recipients=[cast.member], council=cast.city, title=f"消息{i}")
    with django_assert_num_queries(len(few.captured_queries)):
        response = clients["member"].get("/c/city/inbox/")
    assert response.content.decode().count('data-testid="inbox-item"') == 20
