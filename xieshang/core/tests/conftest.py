"""Fixtures for the kernel's tests (the cast itself is in the root conftest)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from xieshang.core.sms import MemorySmsBackend, SmsMessage


@pytest.fixture
def sms_outbox() -> Iterator[list[SmsMessage]]:
    """The test SMS backend's outbox, emptied before and after the test."""
    MemorySmsBackend.outbox.clear()
    yield MemorySmsBackend.outbox
    MemorySmsBackend.outbox.clear()
