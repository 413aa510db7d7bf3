"""Contract fuzzing: requests generated from the OpenAPI schema, sent in
process to the WSGI application as staff of the test council with a real
API token, must never get a server error.

Most generated council slugs and ids name nothing, which tests the 404 and
422 paths; so that the fuzzing also reaches the code behind them, part of the
cases are pointed at the test council and its real member and message.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from config.wsgi import application
from xieshang.accounts.tokens import create_token
from xieshang.core.models import Notification
from xieshang.councils.tests.factories import (
    AffiliationFactory,
    HandlingUnitFactory,
    MemberGroupFactory,
    SectorFactory,
)

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 15


@pytest.fixture(autouse=True)
def keep_the_test_transaction() -> Iterator[None]:
    # Outside Django's test client, every request would close the database
    # connection and with it the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_world(cast: Any) -> dict[str, Any]:
    """Real objects in the test council, and the staff member's token."""
    secret = create_token(user=cast.staff, name="契约测试")[1]
    return {
        "headers": {"Authorization": f"Bearer {secret}"},
        "ids": {
            "member_id": cast.member_record.pk,
            "unit_id": HandlingUnitFactory(council=cast.city).pk,
            "notification_id": Notification.objects.create(
                recipient=cast.staff, council=cast.city, title="通知"
            ).pk,
        },
        "bodies": [
            SectorFactory(council=cast.city).pk,
            AffiliationFactory(council=cast.city).pk,
            MemberGroupFactory(council=cast.city).pk,
        ],
        "member": cast.member_record,
    }


def aim_at_the_test_council(case: Any, world: dict[str, Any]) -> None:
    """Point about three cases in four at real objects, deterministically by
    what was generated (which may be of any type: invalid requests are
    generated too), so that a failing example replays the same way."""

    def chosen(value: Any) -> bool:
        return len(str(value)) % 4 != 0

    params = case.path_parameters or {}
    if "council_slug" in params and chosen(params["council_slug"]):
        params["council_slug"] = "city"
    for name, real_id in world["ids"].items():
        if name in params and chosen(params[name]):
            params[name] = real_id
    body = case.body if isinstance(case.body, dict) else None
    if body is not None and "version" in body and chosen(body["version"]):
        world["member"].refresh_from_db()
        body["version"] = world["member"].version


# Reading the schema touches no database, so it can be loaded at collection.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_no_generated_request_gets_a_server_error(case: Any, fuzz_world: dict[str, Any]) -> None:
    aim_at_the_test_council(case, fuzz_world)
    case.call_and_validate(headers=fuzz_world["headers"], checks=[not_a_server_error])
