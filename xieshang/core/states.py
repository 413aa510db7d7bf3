"""Workflow support shared by every app's states.py.

Each app declares a TextChoices status enum and an ALLOWED_TRANSITIONS mapping
{current: {targets}}; ensure_transition raises InvalidTransition for any pair
the table does not list, naming the state the object is in. The graph is
code; labels are translations.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Set

from django.db.models import Choices

from xieshang.core.errors import InvalidTransition

TransitionTable = Mapping[str, Set[str]]


def state_label(current: str, states: Collection[str]) -> str | None:
    """The label of current, taken from the status enum states belong to."""
    for state in states:
        if isinstance(state, Choices):
            try:
                return str(type(state)(current).label)
            except ValueError:
                return None
    return None


def ensure_transition(table: TransitionTable, current: str, target: str) -> None:
    """Raise InvalidTransition unless table allows current → target."""
    if target not in table.get(current, frozenset()):
        raise InvalidTransition.in_state(state_label(current, list(table)))


def ensure_state(current: str, allowed: Collection[str]) -> None:
    """Raise InvalidTransition unless current is one of allowed: for actions
    that change an object without moving it (editing a draft)."""
    if current not in allowed:
        raise InvalidTransition.in_state(state_label(current, allowed))


def can_transition(table: TransitionTable, current: str, target: str) -> bool:
    return target in table.get(current, frozenset())


def all_pairs(table: TransitionTable, states: list[str]) -> list[tuple[str, str, bool]]:
    """Every (current, target, allowed) pair, for exhaustive transition tests."""
    return [(a, b, b in table.get(a, frozenset())) for a in states for b in states]
