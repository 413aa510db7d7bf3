"""Kernel tables every domain app shares: events, audit, notifications,
attachments, calendar overrides, the scheduler's bookkeeping and the form
posts remembered against double submission."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class TenantModel(models.Model):
    """A row that belongs to exactly one council (the tenant).

    Read such rows only through an app's access_* / queries functions, which
    filter by council before anything else.
    """

    council = models.ForeignKey(
        "councils.Council", on_delete=models.PROTECT, related_name="+", verbose_name=_("council")
    )

    class Meta:
        abstract = True


class Event(TenantModel):
    """One thing that happened to one object: the history that timelines,
    notifications and duty records are read from. Written only by actions."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.BigIntegerField()
    type = models.CharField(max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.type} #{self.object_id}"


class AuditEntry(models.Model):
    """An append-only, hash-chained record of a write, login, export or denial.

    hash = SM3(prev_hash + canonical JSON of the row). Values are copied, not
    linked, so that the chain can be verified even after users or councils
    change. Never update or delete rows; `manage.py verify_audit` checks them.
    """

    created_at = models.DateTimeField()
    action = models.CharField(max_length=64, db_index=True)
    outcome = models.CharField(max_length=16, default="ok")
    council_slug = models.CharField(max_length=64, blank=True, db_index=True)
    user_id_copy = models.BigIntegerField(null=True, blank=True)
    username = models.CharField(max_length=150, blank=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    ip = models.CharField(max_length=45, blank=True)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.username}"


class AuditHead(models.Model):
    """The single row holding the chain's last hash; locking it serialises
    appends so that two writers never chain onto the same predecessor."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_hash = models.CharField(max_length=64)
    count = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"audit head after {self.count} entries"


class Notification(TenantModel):
    """A message in one user's in-app inbox; it always links to its object."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    kind = models.CharField(max_length=64, default="general")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Delivery channels wanted besides the inbox: subset of {"email", "sms"}.
    channels = models.JSONField(default=list, blank=True)
    # Makes notify() idempotent for sweeps: one notification per key and user.
    dedupe_key = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="notification_unique_dedupe_key",
            )
        ]

    def __str__(self) -> str:
        return self.title


class NotificationDelivery(models.Model):
    """Sending one notification over one channel (e-mail or SMS).

    One row per notification and channel: a worker claims the row (PENDING)
    before it sends, so a task that runs twice never sends twice. A row left
    PENDING by a crashed worker is not retried: a lost message is preferred to
    a duplicate, and the inbox copy is always there.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        SKIPPED = "skipped", _("skipped (no address)")

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=16)
    status = models.CharField(max_length=16, choices=Status.choices)
    detail = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["status", "at"])]
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once_per_channel")
        ]

    def __str__(self) -> str:
        return f"{self.channel}: {self.status}"


class Attachment(TenantModel):
    """An uploaded file, stored under a random name outside the static root and
    served only after the owning object's permission check."""

    original_name = models.CharField(max_length=255)
    stored_name = models.CharField(max_length=100, unique=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # What the file belongs to; None while it waits to be attached.
    owner_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    owner_id = models.BigIntegerField(null=True, blank=True)
    purpose = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [models.Index(fields=["owner_type", "owner_id"])]

    def __str__(self) -> str:
        return self.original_name


class CalendarOverride(TenantModel):
    """A council's own exception to the official calendar: a local holiday, or
    a working day where the national calendar has none."""

    date = models.DateField()
    is_working_day = models.BooleanField()
    note = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["council", "date"], name="one_override_per_council_day")
        ]

    def __str__(self) -> str:
        return f"{self.date} {'work' if self.is_working_day else 'off'}"


class PeriodicRun(models.Model):
    """When each periodic job was last enqueued; updated with compare-and-swap
    so that two schedulers never enqueue the same slot twice."""

    name = models.CharField(max_length=100, primary_key=True)
    last_enqueued_at = models.DateTimeField(null=True)
    runs = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.name


class SearchDocument(TenantModel):
    """The searchable text of one object, segmented into words (jieba) so that
    the database's full-text index can match Chinese words of any length.

    Written only through xieshang.core.text.index_document / remove_document,
    which actions call after they change an object's text. The full-text index
    beside it is database-specific (see migration 0003): an FTS5 table on
    SQLite, a generated tsvector column with a GIN index on PostgreSQL.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    title_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["council", "content_type"])]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="search_document_once_per_object"
            )
        ]

    def __str__(self) -> str:
        return self.title


class FormSubmission(models.Model):
    """One form post by one user, kept for a short while (settings.
    SUBMISSION_MEMORY_SECONDS) so that the same post sent again — a double
    click, a resend after going back — shows where the first one led instead
    of doing the work twice. Written only by xieshang.core.submissions.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Digest of the form's submission key and of everything the post sent.
    fingerprint = models.CharField(max_length=64)
    # Where the first post led; empty while it is still being handled.
    location = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "fingerprint"], name="form_submission_once_per_user")
        ]

    def __str__(self) -> str:
        return self.fingerprint[:12]
