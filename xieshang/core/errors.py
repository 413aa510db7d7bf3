"""Errors that actions raise and that views and the API map once to a status.

400 bad input (django ValidationError), 403 denied (PermissionDenied),
404 missing or invisible (Http404), 409 impossible transition or stale edit.

An action checks the object's state (core.versions.check_version,
core.states.ensure_transition) before the actor's right to act on it (require): a second click, or a
colleague who got there first, is told what happened (409, naming the state
the object is in now) instead of being refused and logged as a denial.
"""

from __future__ import annotations

from typing import Any

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

    @classmethod
    def in_state(cls, status_label: str | None) -> InvalidTransition:
        """The error naming the status the object is in now (when known)."""
        if not status_label:
            return cls()
        return cls(
            _(
                "This cannot be done now: the item is «%(status)s». Someone may have just "
                "dealt with it; reload the page to see its current state."
            )
            % {"status": status_label}
        )


class StaleEdit(Conflict):
    """Someone else changed the object after the form was loaded."""

    default_message = _(
        "Someone else changed this item after you opened it. "
        "Nothing was overwritten; reload to see the current version."
    )

    @classmethod
    def in_state(cls, status_label: str | None) -> StaleEdit:
        """The error naming the status the object is in now (when known)."""
        if not status_label:
            return cls()
        return cls(
            _(
                "Someone else changed this item after you opened it; it is now «%(status)s». "
                "Nothing was overwritten; reload to see the current version."
            )
            % {"status": status_label}
        )


def status_label(obj: Any) -> str | None:
    """The readable status of obj, for a model with a status field with choices."""
    display = getattr(obj, "get_status_display", None)
    return str(display()) if callable(display) else None


def require(allowed: bool, message: str | Promise | None = None) -> None:
    """Raise PermissionDenied unless allowed."""
    if not allowed:
        raise PermissionDenied(message or _("You do not have permission to do this."))
