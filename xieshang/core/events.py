"""Events: the history of every object, written by actions only."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from xieshang.core.models import Event


def record_event(
    obj: models.Model, event_type: str, *, council: Any, actor: Any = None, data: dict[str, Any] | None = None
) -> Event:
    """Append an event for obj. Call from inside the action's transaction."""
    return Event.objects.create(
        council=council,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        type=event_type,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        data=data or {},
    )


def timeline(obj: models.Model) -> QuerySet[Event]:
    """obj's events, oldest first, with their actors, for core/timeline.html."""
    return Event.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("actor")
