"""Events: the history of every object, written by actions only.

record_event() appends one row; history() is what actions call: the event
and the audit entry of the write, in one line (audit_only() for a write that
is no step in the object's history). labelled_timeline() reads the
rows back for templates/core/timeline.html, with each event's label.
The functions config/event_followers.py lists see every event as it is
recorded (duty records follow the work this way).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from xieshang.core.audit import audit
from xieshang.core.models import Event


class Acting(Protocol):
    """Who writes: a user acting in a council (councils.roles.Actor)."""

    @property
    def user(self) -> Any: ...

    @property
    def council(self) -> Any: ...


def record_event(
    obj: models.Model, event_type: str, *, council: Any, actor: Any = None, data: dict[str, Any] | None = None
) -> Event:
    """Append an event for obj and hand it to the event followers. Call from
    inside the action's transaction."""
    event = Event.objects.create(
        council=council,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        type=event_type,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        data=data or {},
    )
    for follow in _followers():
        follow(event)
    return event


@functools.cache
def _followers() -> tuple[Callable[[Event], None], ...]:
    """config/event_followers.py, read on first use: config is the top
    layer and names functions of apps that import this module."""
    from config.event_followers import EVENT_FOLLOWERS

    return EVENT_FOLLOWERS


def history(
    obj: models.Model, event_type: str, actor: Acting | None, *, in_council: Any = None, **data: Any
) -> None:
    """Record event_type in obj's history and audit the write, inside the
    caller's transaction. Empty values (None, "") are left out of the data.

    The event belongs to in_council when given (an upper council acting on a
    lower council's object writes into that object's own history), else to
    the actor's council. The audit entry belongs to the actor's council; a
    sweep, which has no actor, must give in_council.
    """
    clean = {key: value for key, value in data.items() if value not in (None, "")}
    user = actor.user if actor is not None else None
    council = actor.council if actor is not None else in_council
    if council is None:
        raise ValueError("history() without an actor needs in_council.")
    record_event(obj, event_type, council=in_council or council, actor=user, data=clean)
    audit(event_type, user=user, council=council, obj=obj, data=clean)


def audit_only(action: str, actor: Acting, obj: models.Model, **data: Any) -> None:
    """Audit a write that is no step in obj's history (a draft saved, a
    letter attached), in the actor's council."""
    audit(action, user=actor.user, council=actor.council, obj=obj, data=data)


def timeline(obj: models.Model) -> QuerySet[Event]:
    """obj's events, oldest first, with their actors, for core/timeline.html."""
    return Event.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("actor")


def labelled_timeline(
    obj: models.Model,
    labels: Mapping[str, Any] | type[models.Choices],
    *,
    leave_out: Iterable[str] = (),
    describe: Callable[[Event], None] | None = None,
) -> list[Event]:
    """obj's events for core/timeline.html, each with its label taken from
    labels: an app's EventType choices, or a mapping of type to label. An
    unknown type gets no label, and the page a generic one: never the code.

    leave_out names event types the page shows elsewhere; describe(event)
    may add what the timeline prints besides: `place` (who acted, where),
    `badge` and `notes` (lines under the event).
    """
    by_type = labels if isinstance(labels, Mapping) else {choice.value: choice.label for choice in labels}
    events = timeline(obj)
    skipped = list(leave_out)
    if skipped:
        events = events.exclude(type__in=skipped)
    rows = list(events)
    for event in rows:
        event.label = by_type.get(event.type, "")  # type: ignore[attr-defined]
        if describe is not None:
            describe(event)
    return rows
