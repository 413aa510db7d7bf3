"""The requester's own messages in a council."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from xieshang.core.api import (
    ERROR_RESPONSES,
    WRITE_ERROR_RESPONSES,
    ObjectId,
    Page,
    paginate,
    request_user,
)
from xieshang.core.models import Notification
from xieshang.core.notifications import mark_all_read, mark_read
from xieshang.councils.api.schemas import CouncilSlug, NotificationFilters, NotificationOut, ReadAllOut
from xieshang.councils.api.scoping import council_actor
from xieshang.councils.queries import access_notification, inbox_of

router = Router()


@router.get(
    "/c/{council_slug}/notifications",
    response={200: Page[NotificationOut], **ERROR_RESPONSES},
    tags=["notifications"],
)
def list_notifications(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[NotificationFilters]
) -> dict[str, Any]:
    """The requester's own messages in this council, newest first."""
    actor = council_actor(request, council_slug, perm=None)
    rows = inbox_of(actor)
    if filters.unread is not None:
        rows = rows.filter(read_at__isnull=filters.unread)
    return paginate(rows, filters)


@router.post(
    "/c/{council_slug}/notifications/read-all",
    response={200: ReadAllOut, **WRITE_ERROR_RESPONSES},
    tags=["notifications"],
)
def read_all_notifications(request: HttpRequest, council_slug: CouncilSlug) -> ReadAllOut:
    """Mark all of the requester's unread messages in this council read."""
    actor = council_actor(request, council_slug, perm=None)
    return ReadAllOut(marked_read=mark_all_read(user=request_user(request), council=actor.council))


@router.post(
    "/c/{council_slug}/notifications/{notification_id}/read",
    response={200: NotificationOut, **WRITE_ERROR_RESPONSES},
    tags=["notifications"],
)
def read_notification(
    request: HttpRequest, council_slug: CouncilSlug, notification_id: ObjectId
) -> Notification:
    """Mark one of the requester's messages read (someone else's: 404)."""
    actor = council_actor(request, council_slug, perm=None)
    row = access_notification(actor, notification_id)
    return mark_read(row, user=request_user(request))
