""" "My work": the pending tasks of one actor in one council, most urgent first.

Each app contributes a provider function (actor → WorkItems); the home page
calls every provider in PROVIDERS. Apps never import this module: it reads
them (see STYLE.md, import direction).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from xieshang.core.models import Notification
from xieshang.councils.roles import Actor


@dataclass(frozen=True)
class WorkItem:
    kind: str
    title: str
    source: str
    url: str
    action_label: str
    due_on: date | None = None
    # Smaller sorts first among items without a due date.
    priority: int = 50


def unread_notifications(actor: Actor) -> list[WorkItem]:
    count = Notification.objects.filter(
        recipient=actor.user, council=actor.council, read_at__isnull=True
    ).count()
    if not count:
        return []
    return [
        WorkItem(
            kind="notifications",
            title=_("%(count)s unread messages") % {"count": count},
            source=_("Inbox"),
            url=reverse("councils:inbox", kwargs={"council_slug": actor.council.slug}),
            action_label=_("Read"),
            priority=90,
        )
    ]


PROVIDERS: tuple[Callable[[Actor], list[WorkItem]], ...] = (unread_notifications,)


def work_for(actor: Actor) -> list[WorkItem]:
    items: list[WorkItem] = []
    for provider in PROVIDERS:
        items.extend(provider(actor))
    far = date.max
    return sorted(items, key=lambda item: (item.due_on or far, item.priority))
