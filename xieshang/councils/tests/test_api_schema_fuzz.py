"""Contract fuzzing: requests generated from the OpenAPI schema, sent in
process to the WSGI application as staff of the test council with a real
API token, must never get a server error (any 5xx fails).

Every operation of the schema is fuzzed (a test checks that none is left
out), each with a bounded number of examples so that the whole API is
covered in a few minutes. Each operation is its own test (so that parallel
runs spread them). Its
cases come from three sources: requests that fit the schema and name the
test council and its real objects (so that the code behind the 404s runs),
requests that fit the schema with whatever slugs and ids come up, and
requests that do not fit the schema at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from config.api import api
from config.wsgi import application
from xieshang.accounts.tokens import create_token
from xieshang.core.models import Notification
from xieshang.councils.tests.factories import (
    AffiliationFactory,
    HandlingUnitFactory,
    MemberGroupFactory,
    SectorFactory,
)

# Writes have the most input to get wrong; reads mostly vary ids and filters.
# Each example is one request through the whole stack (about 30 ms); these
# budgets keep the fuzzing of all operations near a minute of the suite.
READ_EXAMPLES = 6
WRITE_EXAMPLES = 15

# Reading the schema touches no database, so it can be loaded at collection.
SCHEMA = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
OPERATIONS = sorted(
    (operation.method.upper(), operation.path)
    for operation in (result.ok() for result in SCHEMA.get_all_operations())
)


def test_every_operation_of_the_schema_is_fuzzed() -> None:
    document = api.get_openapi_schema()
    listed = {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    }
    assert len(listed) > 100
    assert set(OPERATIONS) == listed


@pytest.fixture
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
def world(cast: Any, keep_the_test_transaction: None) -> dict[str, Any]:
    """Real objects in the test council, and the staff member's token."""
    secret = create_token(user=cast.staff, name="契约测试")[1]
    return {
        "headers": {"Authorization": f"Bearer {secret}"},
        "path": {
            "council_slug": "city",
            "member_id": cast.member_record.pk,
            "unit_id": HandlingUnitFactory(council=cast.city).pk,
            "notification_id": Notification.objects.create(
                recipient=cast.staff, council=cast.city, title="通知"
            ).pk,
        },
        "body": {
            "term_id": cast.term.pk,
            "sector_id": SectorFactory(council=cast.city).pk,
            "affiliation_id": AffiliationFactory(council=cast.city).pk,
            "group_ids": [MemberGroupFactory(council=cast.city).pk],
        },
        "member": cast.member_record,
    }


def aim_body(case: Any, world: dict[str, Any]) -> None:
    """Swap some generated ids in the body for real ones, and send the
    member's current version in some changes, chosen by what was generated
    so that a failing example replays the same way."""
    if not isinstance(case.body, dict):
        return
    for name, real in world["body"].items():
        if name in case.body and len(str(case.body[name])) % 2:
            case.body[name] = real
    if "version" in case.body and len(str(case.body["version"])) % 2:
        world["member"].refresh_from_db()
        case.body["version"] = world["member"].version


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_no_generated_request_gets_a_server_error(method: str, path: str, world: dict[str, Any]) -> None:
    operation = SCHEMA[path][method]
    real_path = {name: value for name, value in world["path"].items() if "{" + name + "}" in path}
    cases = st.one_of(
        operation.as_strategy(path_parameters=real_path),
        operation.as_strategy(),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @settings(
        max_examples=READ_EXAMPLES if method in {"GET", "HEAD", "OPTIONS"} else WRITE_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(case=cases)
    def check(case: Any) -> None:
        aim_body(case, world)
        case.call_and_validate(headers=world["headers"], checks=[not_a_server_error])

    check()
