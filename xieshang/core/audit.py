"""The audit log: append-only, hash-chained with SM3.

Each entry's hash covers the previous entry's hash and the entry's own
canonical JSON, so changing, removing or reordering any row breaks every link
after it. verify_chain() finds the first broken link.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from xieshang.core.crypto import sm3_hex
from xieshang.core.models import AuditEntry, AuditHead

GENESIS = "0" * 64


def _canonical(entry: AuditEntry) -> bytes:
    payload = {
        "created_at": entry.created_at.isoformat(),
        "action": entry.action,
        "outcome": entry.outcome,
        "council": entry.council_slug,
        "user_id": entry.user_id_copy,
        "username": entry.username,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "ip": entry.ip,
        "data": entry.data,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def compute_hash(prev_hash: str, entry: AuditEntry) -> str:
    return sm3_hex(prev_hash.encode("ascii") + b"|" + _canonical(entry))


def client_ip(request: HttpRequest | None) -> str:
    """The browser's address. Behind our nginx (deploy/nginx.conf sets
    X-Real-IP), the header is believed only when the request comes from an
    address listed in settings.TRUSTED_PROXIES; anyone else could forge it."""
    if request is None:
        return ""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    if remote in settings.TRUSTED_PROXIES:
        forwarded = str(request.META.get("HTTP_X_REAL_IP", "")).strip()
        if forwarded:
            return forwarded[:45]
    return remote[:45]


def audit(
    action: str,
    *,
    user: Any = None,
    council: Any = None,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
    outcome: str = "ok",
    request: HttpRequest | None = None,
) -> AuditEntry:
    """Append one entry to the chain. Call inside the transaction of the write
    it records, so both land or neither does."""
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1, defaults={"last_hash": GENESIS})
        # Re-read under the lock (get_or_create may have raced on SQLite).
        head = AuditHead.objects.select_for_update().get(id=1)
        authenticated = user is not None and getattr(user, "is_authenticated", False)
        # JSON round-trip so the stored value is what we hashed (dates, lazy strings).
        clean = json.loads(json.dumps(data or {}, ensure_ascii=False, default=str))
        entry = AuditEntry(
            created_at=timezone.now().replace(microsecond=0),
            action=action,
            outcome=outcome,
            council_slug=getattr(council, "slug", "") or "",
            user_id_copy=user.pk if authenticated else None,
            username=(user.get_username() if authenticated else str(clean.get("username", "")))[:150],
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            ip=client_ip(request),
            data=clean,
            prev_hash=head.last_hash,
        )
        entry.hash = compute_hash(head.last_hash, entry)
        entry.save()
        AuditHead.objects.filter(id=1).update(last_hash=entry.hash, count=models.F("count") + 1)
    return entry


@dataclass(frozen=True)
class ChainReport:
    """The result of verify_chain(): entries checked, and where the chain
    breaks (broken_id is None when the tail is missing: no row to point at)."""

    checked: int
    intact: bool
    broken_id: int | None = None
    reason: str = ""


def _entries() -> Iterator[AuditEntry]:
    return AuditEntry.objects.order_by("id").iterator(chunk_size=2000)


@contextmanager
def _one_snapshot() -> Iterator[None]:
    """Run the enclosed reads against one snapshot of the database, so that
    entries appended meanwhile are either all seen (with the head that counts
    them) or not at all.

    PostgreSQL: a read-only REPEATABLE READ transaction. SQLite (WAL): a
    deferred transaction, whose first read fixes the snapshot without taking
    the write lock, so writers go on while a long chain is checked. Inside a
    caller's transaction the reads stay in it: on SQLite that transaction
    holds the write lock already; on PostgreSQL the caller chooses.
    """
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "sqlite":
        mode = connection.transaction_mode  # type: ignore[attr-defined]
        # atomic() sends BEGIN with this mode; IMMEDIATE would block writers.
        connection.transaction_mode = "DEFERRED"  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                connection.transaction_mode = mode  # type: ignore[attr-defined]
                yield
        finally:
            connection.transaction_mode = mode  # type: ignore[attr-defined]
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def verify_chain() -> ChainReport:
    """Walk the chain from the start; report the first entry that does not fit.

    A changed row fails its own hash; a removed or reordered row breaks the
    next row's link; rows removed from the end are caught by the head, which
    remembers the last hash and the number of entries. The rows and the head
    are read in one snapshot, so appends running meanwhile never look like
    a removal: a broken chain always means tampering.
    """
    with _one_snapshot():
        head = AuditHead.objects.filter(id=1).first()
        return _walk(head)


def _walk(head: AuditHead | None) -> ChainReport:
    prev = GENESIS
    checked = 0
    last_id: int | None = None
    for entry in _entries():
        if entry.prev_hash != prev:
            return ChainReport(
                checked,
                False,
                entry.id,
                "previous hash does not match (a row before it was removed or reordered)",
            )
        if compute_hash(prev, entry) != entry.hash:
            return ChainReport(
                checked, False, entry.id, "content does not match its hash (the row was changed)"
            )
        prev = entry.hash
        checked += 1
        last_id = entry.id
    expected = (head.last_hash, head.count) if head is not None else (GENESIS, 0)
    if expected == (prev, checked):
        return ChainReport(checked, True)
    if checked > expected[1]:
        reason = f"more entries than the chain head remembers ({expected[1]}): rows added outside the log"
        return ChainReport(checked, False, last_id, reason)
    after = f"#{last_id}" if last_id is not None else "the start"
    return ChainReport(
        checked,
        False,
        None,
        f"entries after {after} were removed (the chain head remembers {expected[1]} entries)",
    )


def council_entries(
    council_slug: str,
    *,
    action: str = "",
    username: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    """One council's entries, newest first, narrowed by the given filters
    (dates inclusive, in the site's time zone)."""
    rows = AuditEntry.objects.filter(council_slug=council_slug)
    if action:
        rows = rows.filter(action=action)
    if username:
        rows = rows.filter(username__icontains=username)
    if date_from is not None:
        rows = rows.filter(created_at__date__gte=date_from)
    if date_to is not None:
        rows = rows.filter(created_at__date__lte=date_to)
    return rows.order_by("-id")


def council_actions(council_slug: str) -> list[str]:
    """The distinct actions recorded for a council, for a filter menu."""
    rows = AuditEntry.objects.filter(council_slug=council_slug).order_by("action")
    return list(rows.values_list("action", flat=True).distinct())
