"""Checking that an API write answers the version the database now holds.

Each app whose API answers a `version` from a write keeps a module
`<app>/tests/test_api_write_versions.py` with CASES: for every such
operation (by its operationId), a function that prepares the data and says
which write to send. The module runs each case through check_write();
test_write_versions_complete.py proves that the CASES of all the modules
together name every such operation of the OpenAPI schema.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.test import Client

from xieshang.accounts.models import User


@dataclass(frozen=True)
class Write:
    """One API call to make as user: method, path below /api/v1/c/<council>,
    body (JSON, or multipart form fields and files), and the model whose row
    the answer describes."""

    user: User
    method: str
    path: str
    model: type[Model]
    body: dict[str, Any] = field(default_factory=dict)
    multipart: bool = False
    council: str = "city"


Arrange = Callable[..., Write]


def send(write: Write) -> Any:
    client = Client()
    client.force_login(write.user, backend="xieshang.accounts.backends.UsernameOrMobileBackend")
    url = f"/api/v1/c/{write.council}{write.path}"
    call = getattr(client, write.method.lower())
    if write.multipart:
        return call(url, write.body)
    return call(url, json.dumps(write.body), content_type="application/json")


def check_write(write: Write) -> None:
    """Send write and assert that it succeeded and that the version it
    answers is the version of the row in the database after the call."""
    response = send(write)
    assert 200 <= response.status_code < 300, (response.status_code, response.content)
    answer = response.json()
    stored = write.model._default_manager.values_list("version", flat=True).get(pk=answer["id"])
    assert answer["version"] == stored, (
        f"{write.method} {write.path} answered version {answer['version']}; the database holds {stored}"
    )


def operations_answering_version(schema: dict[str, Any]) -> Iterator[str]:
    """The operationId of every write whose success answer has a version."""
    components = schema.get("components", {}).get("schemas", {})

    def has_version(body: dict[str, Any]) -> bool:
        if "$ref" in body:
            body = components[body["$ref"].rsplit("/", 1)[-1]]
        if "version" in body.get("properties", {}):
            return True
        return any(has_version(part) for key in ("anyOf", "oneOf", "allOf") for part in body.get(key, []))

    for item in schema["paths"].values():
        for method, operation in item.items():
            if method == "get":
                continue
            for status, answer in operation.get("responses", {}).items():
                body = answer.get("content", {}).get("application/json", {}).get("schema")
                if str(status).startswith("2") and body and has_version(body):
                    yield operation["operationId"]
                    break
