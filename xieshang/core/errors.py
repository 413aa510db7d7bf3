"""Errors that actions raise and that views and the API map once to a status.

400 bad input (django ValidationError), 403 denied (PermissionDenied),
404 missing or invisible (Http404), 409 impossible transition or stale edit.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Conflict(Exception):
    """The request cannot be done in the object's current state (HTTP 409)."""

    default_message = _("This item was changed in the meantime. Reload the page and try again.")

    def __init__(self, message: str | Promise | None = None) -> None:
        self.message = str(message or self.default_message)
        super().__init__(self.message)


class InvalidTransition(Conflict):
    """A status change the workflow table does not allow."""

    default_message = _("This action is not possible in the item's current status.")


class StaleEdit(Conflict):
    """Someone else changed the object after the form was loaded."""

    default_message = _(
        "Someone else changed this item after you opened it. "
        "Nothing was overwritten; reload to see the current version."
    )


def require(allowed: bool, message: str | Promise | None = None) -> None:
    """Raise PermissionDenied unless allowed."""
    if not allowed:
        raise PermissionDenied(message or _("You do not have permission to do this."))
