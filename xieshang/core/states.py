"""Workflow support shared by every app's states.py.

Each app declares a TextChoices status enum and an ALLOWED_TRANSITIONS mapping
{current: {targets}}; ensure_transition raises InvalidTransition for any pair
the table does not list. The graph is code; labels are translations.
"""

from __future__ import annotations

from collections.abc import Mapping, Set

from xieshang.core.errors import InvalidTransition

TransitionTable = Mapping[str, Set[str]]


def ensure_transition(table: TransitionTable, current: str, target: str) -> None:
    """Raise InvalidTransition unless table allows current → target."""
    if target not in table.get(current, frozenset()):
        raise InvalidTransition()


def can_transition(table: TransitionTable, current: str, target: str) -> bool:
    return target in table.get(current, frozenset())


def all_pairs(table: TransitionTable, states: list[str]) -> list[tuple[str, str, bool]]:
    """Every (current, target, allowed) pair, for exhaustive transition tests."""
    return [(a, b, b in table.get(a, frozenset())) for a in states for b in states]
