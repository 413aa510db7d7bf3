"""Optimistic versions: how an edit notices that someone else wrote first.

A row that people edit has a `version` (a PositiveIntegerField starting at
1). A form or an API client sends back the version it read; the action locks
the row, calls check_version(), writes through save_new_version(), and
answers the object, which then holds the version now in the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import F, Model

from xieshang.core.errors import StaleEdit, status_label


def check_version(obj: Any, expected_version: int | None) -> None:
    """Raise StaleEdit, naming the status obj is in now, when the form or
    client read an older version of obj (None: the caller did not say, and
    the check is skipped)."""
    if expected_version is not None and obj.version != expected_version:
        raise StaleEdit.in_state(status_label(obj))


def save_new_version(obj: Model, update_fields: Iterable[str] | None = None) -> None:
    """Save obj as its next version: its fields (as Model.save does: all of
    them, or only update_fields) and its version raised by one in the same
    UPDATE. A row not in the database yet is saved as it is, its first version.

    The database does the counting (two writes in one transaction both
    count), and obj is left holding the version the row now holds: it is read
    back with the UPDATE where the database can, else on first use.
    """
    if obj._state.adding:
        obj.save()
        return
    obj.version = F("version") + 1  # type: ignore[attr-defined]
    obj.save(update_fields=None if update_fields is None else [*update_fields, "version"])
