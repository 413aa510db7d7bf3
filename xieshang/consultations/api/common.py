"""What the consultation API modules share."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from xieshang.councils.roles import Actor


def own_row(actor: Actor, model: Any, pk: int | None) -> Any:
    """A body of the actor's council by id (None stays None); 404 otherwise."""
    if pk is None:
        return None
    row = model.objects.filter(council=actor.council, pk=pk).first()
    if row is None:
        raise Http404
    return row
