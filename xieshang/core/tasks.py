"""Background work of the kernel: delivering notifications, retrying failed
deliveries, and purging what is kept only for a while (unattached uploads,
form posts remembered against double submission). All are safe to run twice
(see docs/adr/0002)."""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial
from typing import Any

from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.tasks import task
from django.utils import timezone

from xieshang.core.audit import audit
from xieshang.core.links import public_url
from xieshang.core.models import Attachment, Notification, NotificationDelivery
from xieshang.core.sms import send_sms
from xieshang.core.submissions import purge_expired

logger = logging.getLogger("xieshang.notifications")

Status = NotificationDelivery.Status

# A delivery that failed this often, or longer ago than this, is given up:
# the message is still in the inbox.
MAX_ATTEMPTS = 5
RETRY_WINDOW = dt.timedelta(days=1)
RETRY_BATCH = 200


@task()
def deliver_notification(notification_id: int) -> dict[str, str]:
    """Send notification_id over each channel it wants; return channel → status.

    Each (notification, channel) is claimed in the database before sending,
    so that re-running the task, or two workers running it at once, never
    send a message twice. A missing address is recorded as SKIPPED.
    """
    notification = (
        Notification.objects.select_related("recipient", "council").filter(pk=notification_id).first()
    )
    if notification is None:
        return {}
    outcome: dict[str, str] = {}
    for channel in notification.channels:
        delivery = _claim(notification, channel)
        if delivery is None:
            continue
        outcome[channel] = _send(notification, delivery)
    return outcome


def _claim(notification: Notification, channel: str) -> NotificationDelivery | None:
    """Return the delivery row this run may send, or None when it is sent,
    skipped, being sent by another run, or given up."""
    with transaction.atomic():
        delivery, created = NotificationDelivery.objects.get_or_create(
            notification=notification, channel=channel, defaults={"status": Status.PENDING, "attempts": 1}
        )
        if created:
            return delivery
        if delivery.status != Status.FAILED or delivery.attempts >= MAX_ATTEMPTS:
            return None
        # Compare-and-swap: only one of two concurrent retries wins the row.
        won = NotificationDelivery.objects.filter(pk=delivery.pk, status=Status.FAILED).update(
            status=Status.PENDING, attempts=F("attempts") + 1, updated_at=timezone.now()
        )
        return delivery if won else None


def _address(notification: Notification, channel: str) -> str:
    recipient: Any = notification.recipient
    if channel == "email":
        return str(recipient.email or "").strip()
    if channel == "sms":
        return str(getattr(recipient, "mobile", "") or "").strip()
    return ""


def _send(notification: Notification, delivery: NotificationDelivery) -> str:
    address = _address(notification, delivery.channel)
    if not address:
        _finish(delivery, Status.SKIPPED, "")
        return Status.SKIPPED
    link = public_url(notification.url)
    try:
        if delivery.channel == "email":
            body = "\n\n".join(part for part in (notification.body, link) if part)
            subject = f"[{notification.council.name}] {notification.title}"
            EmailMessage(subject=subject, body=body, to=[address]).send(using="default")
        elif delivery.channel == "sms":
            send_sms(address, " ".join(part for part in (notification.title, link) if part))
        else:
            _finish(delivery, Status.SKIPPED, f"unknown channel {delivery.channel}")
            return Status.SKIPPED
    except Exception as exc:  # any backend failure is recorded and retried later
        logger.warning("delivery %s of notification %s failed: %s", delivery.channel, notification.pk, exc)
        _finish(delivery, Status.FAILED, f"{type(exc).__name__}: {exc}")
        return Status.FAILED
    _finish(delivery, Status.SENT, "")
    return Status.SENT


def _finish(delivery: NotificationDelivery, status: str, detail: str) -> None:
    NotificationDelivery.objects.filter(pk=delivery.pk).update(
        status=status, detail=detail[:300], updated_at=timezone.now()
    )


@task()
def retry_failed_deliveries() -> int:
    """Enqueue delivery again for notifications whose sending failed within
    the last day (at most RETRY_BATCH per run); return how many."""
    since = timezone.now() - RETRY_WINDOW
    rows = (
        NotificationDelivery.objects.filter(status=Status.FAILED, at__gte=since, attempts__lt=MAX_ATTEMPTS)
        .order_by("at", "id")
        .values_list("notification_id", flat=True)[:RETRY_BATCH]
    )
    ids = list(dict.fromkeys(rows))
    for notification_id in ids:
        deliver_notification.enqueue(notification_id=notification_id)
    return len(ids)


# An upload not attached to anything this long after it was stored belongs
# to a form that was abandoned.
UNATTACHED_GRACE = dt.timedelta(days=1)
PURGE_BATCH = 200


@task()
def purge_unattached_attachments() -> int:
    """Delete uploads that were never attached to an object (at most
    PURGE_BATCH per run), files after the rows; return how many."""
    cutoff = timezone.now() - UNATTACHED_GRACE
    candidates = list(
        Attachment.objects.filter(owner_id__isnull=True, uploaded_at__lt=cutoff).order_by("id")[:PURGE_BATCH]
    )
    purged = 0
    with transaction.atomic():
        for row in candidates:
            # Re-checked in the delete itself: attach() may have won meanwhile.
            deleted, _ = Attachment.objects.filter(pk=row.pk, owner_id__isnull=True).delete()
            if deleted:
                purged += 1
                transaction.on_commit(partial(default_storage.delete, row.stored_name))
        if purged:
            audit("attachments.purge_unattached", data={"count": purged})
    return purged


@task()
def purge_form_submissions() -> int:
    """Forget the form posts kept against double submission once their time
    is over (core.submissions); return how many."""
    return purge_expired()
