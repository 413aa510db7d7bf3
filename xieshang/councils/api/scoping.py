"""Resolving the council of a request and the requester's Actor in it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xieshang.core.api import request_user
from xieshang.core.errors import require

# The resolver of a request's ids lives with the queries; named here too
# for the endpoints that take it from this module.
from xieshang.councils.queries import council_row as council_row
from xieshang.councils.queries import council_rows as council_rows
from xieshang.councils.roles import Actor, Perm
from xieshang.councils.tenancy import needs_second_factor, resolve_council


def council_actor(request: HttpRequest, council_slug: str, perm: Perm | None = Perm.VIEW_COUNCIL) -> Actor:
    """Resolve the council and the requester's Actor in it (Http404 when the
    council is missing or none of their business), then require perm."""
    _council, actor = resolve_council(request_user(request), council_slug)
    # The council for the audit entry of a denial; the actor for the answer's
    # resolvers that depend on who asks (asking_actor).
    request.council = actor.council  # type: ignore[attr-defined]
    request.actor = actor  # type: ignore[attr-defined]
    if needs_second_factor(request, actor):
        # The pages redirect to the code page; the API can only refuse.
        raise PermissionDenied(
            _(
                "This council requires staff to confirm a second factor. Log in with your "
                "authenticator code, or use a token created after doing so."
            )
        )
    if perm is not None:
        require(actor.has(perm))
    return actor


# What ninja passes to a Schema's resolvers that take a context.
Context = dict[str, Any]


def asking_actor(context: Context) -> Actor:
    """The requester's Actor in the council of the request being answered,
    for a resolver whose answer depends on who asks. Ninja passes the
    request in the context; council_actor recorded the Actor on it."""
    return context["request"].actor  # type: ignore[no-any-return]
