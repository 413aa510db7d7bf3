"""The API's one mapping from the errors actions raise to statuses and JSON
bodies (xieshang.core.api), on a throwaway API that raises each of them."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404
from ninja import NinjaAPI, Schema
from ninja.testing import TestClient

from xieshang.core.api import install_error_handlers
from xieshang.core.errors import InvalidTransition, StaleEdit
from xieshang.core.models import AuditEntry


class Echo(Schema):
    count: int


def build_client() -> TestClient:
    api = NinjaAPI(urls_namespace="error-mapping-test")
    install_error_handlers(api)
    errors: dict[str, Exception] = {
        "missing": Http404("secret detail"),
        "denied": PermissionDenied(),
        "bad-field": ValidationError({"sector": ["Choose a sector of this council."]}),
        "bad-value": ValueError("The year must be after 1949."),
        "stale": StaleEdit(),
        "transition": InvalidTransition(),
        "race": IntegrityError("UNIQUE constraint failed"),
    }

    def failing(error: Exception):
        def fail(request) -> None:
            raise error

        return fail

    for name, error in errors.items():
        api.get(f"/{name}", operation_id=name)(failing(error))

    @api.get("/wrong-answer", response=Echo)
    def wrong_answer(request):
        return {"count": "not a number"}

    @api.get("/typed")
    def typed(request, page: int):
        return {"page": page}

    return TestClient(api)


@pytest.fixture
def client() -> TestClient:
    return build_client()


@pytest.mark.parametrize(
    ("path", "status", "detail"),
    [
        ("/missing", 404, "Not found."),
        ("/bad-value", 400, "The year must be after 1949."),
        ("/stale", 409, str(StaleEdit().message)),
        ("/transition", 409, str(InvalidTransition().message)),
        ("/race", 409, None),
    ],
)
def test_errors_become_statuses_with_a_readable_detail(client, path, status, detail):
    response = client.get(path)
    assert response.status_code == status
    body = response.json()
    assert body["detail"]
    if detail is not None:
        assert body["detail"] == detail
    assert "secret detail" not in body["detail"]
    assert "UNIQUE" not in body["detail"]


def test_field_errors_keep_their_field(client):
    response = client.get("/bad-field")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Choose a sector of this council.",
        "errors": {"sector": ["Choose a sector of this council."]},
    }


@pytest.mark.django_db
def test_a_denial_answers_403_and_is_audited(client):
    response = client.get("/denied")
    assert response.status_code == 403
    assert response.json()["detail"]
    entry = AuditEntry.objects.get(action="permission_denied")
    assert entry.outcome == "denied"
    assert entry.data["via"] == "api"


def test_input_that_does_not_fit_gives_422_naming_the_field(client):
    response = client.get("/typed", query_params={"page": "first"})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["page"]


def test_an_answer_that_does_not_fit_its_schema_is_a_server_error_not_bad_input(client):
    with pytest.raises(Exception, match="count"):
        client.get("/wrong-answer")
