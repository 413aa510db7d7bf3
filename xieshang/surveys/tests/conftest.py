"""The surveys world on top of the shared cast (see the root conftest.py).

The clock in most tests stands at 10 May 2026, while the surveys built by
the factories are open (1–31 May 2026)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine
from django.utils import translation

from xieshang.core.sms import MemorySmsBackend
from xieshang.surveys.tests.factories import DURING


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """Messages the actions write are read in English by these tests (pages
    choose their language per request)."""
    with translation.override("en"):
        yield


@pytest.fixture
def during() -> Iterator[None]:
    with time_machine.travel(DURING, tick=False):
        yield


@pytest.fixture
def sms(settings: object) -> Iterator[list[object]]:
    settings.SMS_BACKEND = "xieshang.core.sms.MemorySmsBackend"  # type: ignore[attr-defined]
    MemorySmsBackend.outbox.clear()
    yield MemorySmsBackend.outbox
    MemorySmsBackend.outbox.clear()
