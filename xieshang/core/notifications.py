"""Notifications: a row in the recipient's inbox, always; e-mail and SMS on
top when the caller asks for them.

notify() never sends anything itself. Inbox rows are written in the caller's
transaction; delivery over other channels is enqueued with
transaction.on_commit, so a rolled-back action sends nothing and no request
waits for a mail server. The task (core.tasks.deliver_notification) is
idempotent per notification and channel.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from xieshang.core.models import Notification
from xieshang.core.tasks import deliver_notification

EMAIL = "email"
SMS = "sms"
CHANNELS = frozenset({EMAIL, SMS})


def notify(
    *,
    recipients: Iterable[Any],
    council: Any,
    title: str,
    body: str = "",
    url: str = "",
    kind: str = "general",
    channels: Iterable[str] = (),
    dedupe_key: str = "",
) -> list[Notification]:
    """Put a message in each recipient's inbox in council and return the rows.

    With a dedupe_key, a recipient who already has a message with that key gets
    no second one (sweeps may run twice); the existing row is returned and not
    delivered again. Rows that want channels ("email", "sms") are delivered by
    a task enqueued when the surrounding transaction commits.
    Raise ValueError for an unknown channel.
    """
    wanted = sorted(set(channels))
    unknown = set(wanted) - CHANNELS
    if unknown:
        raise ValueError(f"unknown notification channels: {sorted(unknown)}")
    rows: list[Notification] = []
    created: list[Notification] = []
    seen: set[int] = set()
    for recipient in recipients:
        if recipient is None or recipient.pk in seen:
            continue
        seen.add(recipient.pk)
        fields = {
            "council": council,
            "title": str(title)[:200],
            "body": str(body),
            "url": str(url)[:500],
            "kind": kind,
            "channels": wanted,
        }
        if dedupe_key:
            row, is_new = _get_or_create(recipient, dedupe_key[:200], fields)
        else:
            row, is_new = Notification.objects.create(recipient=recipient, **fields), True
        rows.append(row)
        if is_new:
            created.append(row)
    if wanted:
        for row in created:
            transaction.on_commit(partial(deliver_notification.enqueue, notification_id=row.pk))
    return rows


def _get_or_create(recipient: Any, dedupe_key: str, fields: dict[str, Any]) -> tuple[Notification, bool]:
    existing = Notification.objects.filter(recipient=recipient, dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing, False
    try:
        # A savepoint, so that losing the race to a concurrent sweep does not
        # break the caller's transaction.
        with transaction.atomic():
            return Notification.objects.create(recipient=recipient, dedupe_key=dedupe_key, **fields), True
    except IntegrityError:
        return Notification.objects.get(recipient=recipient, dedupe_key=dedupe_key), False


def unread_for(*, user: Any, council: Any) -> Any:
    """The user's unread messages in council, newest first."""
    return Notification.objects.filter(recipient=user, council=council, read_at__isnull=True)


def mark_read(notification: Notification, *, user: Any) -> Notification:
    """Mark one of user's messages read (once; the first reading time stays).

    Raise PermissionError when the message is someone else's: callers fetch
    it by recipient first, so this is a programming error, not a 404.
    """
    if notification.recipient_id != user.pk:
        raise PermissionError("a notification can be marked read only by its recipient")
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def mark_all_read(*, user: Any, council: Any) -> int:
    """Mark all of user's unread messages in council read; return how many."""
    return unread_for(user=user, council=council).update(read_at=timezone.now())
