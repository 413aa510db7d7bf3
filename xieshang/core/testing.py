"""Test helpers shared by every app: the permission matrix.

Personas themselves are built in conftest.py (they need the councils app);
this module stays at the bottom layer and knows only HTTP clients.
"""

from __future__ import annotations

import json
import re
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


_VOLATILE = re.compile(rb'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+')


def assert_same_not_found(client: Client, forbidden_url: str, missing_url: str, method: str = "get") -> None:
    """Assert that an object the client may not see answers exactly like one
    that does not exist: same 404, same page (but for the path and CSRF token)."""
    forbidden = getattr(client, method)(forbidden_url)
    missing = getattr(client, method)(missing_url)
    assert forbidden.status_code == 404, f"{forbidden_url} gave {forbidden.status_code}"
    assert missing.status_code == 404, f"{missing_url} gave {missing.status_code}"

    def normal(body: bytes, url: str) -> bytes:
        return _VOLATILE.sub(rb"\1*", body).replace(url.encode(), b"<url>")

    assert normal(forbidden.content, forbidden_url) == normal(missing.content, missing_url)


class JsonClient:
    """A test client that sends bodies as JSON, like API clients do; it takes
    the place of a Django test client in run_permission_matrix."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def get(self, url: str, data: Any = None) -> Any:
        return self.client.get(url, data or {})

    def post(self, url: str, data: Any = None) -> Any:
        return self.client.post(url, json.dumps(data or {}), content_type="application/json")

    def patch(self, url: str, data: Any = None) -> Any:
        return self.client.patch(url, json.dumps(data or {}), content_type="application/json")
