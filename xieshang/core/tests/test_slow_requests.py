"""Requests over the slow-request threshold are logged with their path,
time and query count."""

from __future__ import annotations

import logging

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db
LOGGER = "xieshang.slow_requests"


@override_settings(SLOW_REQUEST_MS=0)
def test_a_request_over_the_threshold_is_logged_with_its_path_and_queries(
    clients: dict[str, Client], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        assert clients["member"].get("/accounts/profile/").status_code == 200
    [record] = [r for r in caplog.records if r.name == LOGGER]
    message = record.getMessage()
    assert "GET /accounts/profile/ status 200" in message
    # The profile page reads the session and the user at least.
    queries = int(message.rsplit(",", 1)[1].split()[0])
    assert queries >= 2


@override_settings(SLOW_REQUEST_MS=-1)
def test_a_negative_threshold_logs_nothing(
    clients: dict[str, Client], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        assert clients["member"].get("/accounts/profile/").status_code == 200
    assert not [r for r in caplog.records if r.name == LOGGER]


@override_settings(SLOW_REQUEST_MS=60_000)
def test_a_quick_request_is_not_logged(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        assert client.get("/healthz").status_code == 200
    assert not [r for r in caplog.records if r.name == LOGGER]
