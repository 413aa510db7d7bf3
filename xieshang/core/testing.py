"""Test helpers shared by every app: the permission matrix.

Personas themselves are built in conftest.py (they need the councils app);
this module stays at the bottom layer and knows only HTTP clients.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.test import Client


@dataclass(frozen=True)
class Expect:
    """What a persona should get: status code, and whether state may change."""

    status: int | tuple[int, ...]
    changes: bool = False


def run_permission_matrix(
    *,
    clients: Mapping[str, Client],
    method: str,
    url: str | Callable[[], str],
    expectations: Mapping[str, Expect],
    snapshot: Callable[[], Any],
    data: Mapping[str, Any] | Callable[[], Mapping[str, Any]] | None = None,
    reset: Callable[[], None] | None = None,
    order: Iterable[str] | None = None,
) -> None:
    """Call url as each persona and check the status; for every persona that
    is refused (changes=False) also check that snapshot() did not change.

    Allowed personas are run last (unless order says otherwise), so that the
    refusals are checked against untouched state; reset() runs after each
    persona that changed something.
    """
    names = list(order) if order is not None else sorted(expectations, key=lambda n: expectations[n].changes)
    failures: list[str] = []
    for name in names:
        expect = expectations[name]
        before = snapshot()
        target = url() if callable(url) else url
        payload = data() if callable(data) else (data or {})
        response = getattr(clients[name], method.lower())(target, payload)
        wanted = expect.status if isinstance(expect.status, tuple) else (expect.status,)
        if response.status_code not in wanted:
            failures.append(f"{name}: {method} {target} gave {response.status_code}, expected {wanted}")
        after = snapshot()
        if not expect.changes and after != before:
            failures.append(f"{name}: state changed although the request was refused")
        if expect.changes and reset is not None:
            reset()
    assert not failures, "\n".join(failures)
