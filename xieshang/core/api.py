"""Plumbing every app's HTTP API shares: the error body and its mapping from
the errors actions raise, safe input types, and the paginated list shape.

Each answer is described once, by its Schema: endpoints return the objects
(model rows, querysets, the domain's result dataclasses) and ninja builds
the answer from their attributes, a `resolve_<field>` static method giving
a field whose value is not an attribute of the same name. A resolver that
depends on who asks takes `context` and reads the requester's Actor with
councils.api.scoping.asking_actor. Resolvers run on whatever ninja
validates, dicts and built Schemas included, so an endpoint returns the
objects (with Overlay for what only the answer knows), never a dict shaped
like an answer; a composite answer with no object behind it is built as
its Schema and returned as it is.

Statuses are mapped once, here: 400 bad input, 401 not authenticated, 403
denied (and audited), 404 missing or invisible, 409 conflict, 422 a request
that does not fit the schema.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.parser import Parser
from pydantic import BeforeValidator
from pydantic import ValidationError as ModelValidationError

from xieshang.core.audit import audit
from xieshang.core.errors import Conflict
from xieshang.core.models import Attachment
from xieshang.core.rejections import too_large_message
from xieshang.core.schema_errors import field_message
from xieshang.core.textinput import normalise_strings, normalise_text

logger = logging.getLogger(__name__)

# Database ids are 64-bit; anything larger cannot exist and must not reach the
# database driver (SQLite raises OverflowError for it).
MAX_ID = 2**63 - 1
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]
# Endpoints name their JSON body parameter "payload"; error locations leave it out.
BODY_PARAM = "payload"


def _normalised(value: Any) -> Any:
    return normalise_text(value) if isinstance(value, str) else value


# Use as Annotated[str, Field(max_length=…), Printable]: the platform's text
# normaliser (core.textinput) applied before the length is checked, for a
# schema validated outside a request too. Requests are normalised already,
# by NormalisingParser.
Printable = BeforeValidator(_normalised)
Slug = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[-a-zA-Z0-9_]+$")]


class NormalisingParser(Parser):
    """django-ninja's parser, with every string of a JSON body, a query
    string or a form put through the platform's text normaliser before any
    schema sees it: one place for every endpoint (core.textinput).

    Path, header and cookie parameters do not pass here; text taken from
    them must be held to a pattern (tests/text_input checks this)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        return normalise_strings(super().parse_body(request))  # type: ignore[no-any-return]

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        return normalise_strings(super().parse_querydict(data, list_fields, request))  # type: ignore[no-any-return]


class ErrorOut(Schema):
    """Every error answer: a sentence for people, and field messages for
    input errors (field name → messages; "__all__" for the whole request)."""

    detail: str
    errors: dict[str, list[str]] = Field(default_factory=dict)


ERROR_RESPONSES: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERROR_RESPONSES: dict[int, type[Schema]] = {**ERROR_RESPONSES, 400: ErrorOut, 409: ErrorOut}


class AttachmentOut(Schema):
    """A stored file as the API lists it; the download has its own endpoint."""

    id: int
    name: str
    content_type: str
    size: int
    uploaded_at: dt.datetime

    @staticmethod
    def resolve_name(row: Attachment) -> str:
        return row.original_name


class Overlay:
    """An object's attributes, with some replaced or added: for an answer
    that ninja builds from an object (its Schema reading the attributes)
    plus what only this answer knows, such as the words a search matched."""

    def __init__(self, base: Any, **values: Any) -> None:
        self._base = base
        self.__dict__.update(values)

    def __getattr__(self, name: str) -> Any:
        # Called only for the names values did not set.
        return getattr(self._base, name)


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=1_000_000, description="Page number, from 1.")
    page_size: int = Field(20, ge=1, le=100, description="Items per page (at most 100).")


class Page[T](Schema):
    """One page of a list: the total count, where we are, and the items."""

    count: int
    page: int
    page_size: int
    pages: int
    items: list[T]


def paginate[R](
    rows: QuerySet[Any] | Sequence[R], query: PageQuery, build: Callable[[R], Any] | None = None
) -> dict[str, Any]:
    """Cut one page out of rows (a queryset or a list) and build each item.

    A page past the end is empty rather than an error, so that a client
    paging while rows disappear does not fail.
    """
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    start = (query.page - 1) * query.page_size
    chunk: Iterable[R] = rows[start : start + query.page_size] if start < count else []
    return one_page([build(row) if build else row for row in chunk], count=count, query=query)


# Rows read from the database at a time, and lines sent at a time, by json_lines.
EXPORT_CHUNK_ROWS = 500
EXPORT_CHUNK_LINES = 100


def json_lines(rows: QuerySet[Any], schema: type[Schema], *, filename: str) -> StreamingHttpResponse:
    """A whole list in one answer, streamed as JSON Lines: each row built by
    schema (as the paged list builds its items), one JSON object per line.

    The rows are read EXPORT_CHUNK_ROWS at a time with one query (the
    queryset's select_related rows included), so memory stays flat and the
    number of queries does not grow with the rows; schema must need nothing
    the queryset does not load."""

    def lines() -> Iterator[str]:
        batch: list[str] = []
        for row in rows.iterator(chunk_size=EXPORT_CHUNK_ROWS):
            item = schema.model_validate(row).model_dump(mode="json")
            batch.append(json.dumps(item, ensure_ascii=False) + "\n")
            if len(batch) >= EXPORT_CHUNK_LINES:
                yield "".join(batch)
                batch = []
        yield "".join(batch)

    response = StreamingHttpResponse(lines(), content_type="application/x-ndjson; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def one_page(items: list[Any], *, count: int, query: PageQuery) -> dict[str, Any]:
    """The Page answer of items, the page query asked for of count in all."""
    return {
        "count": count,
        "page": query.page,
        "page_size": query.page_size,
        "pages": max(1, math.ceil(count / query.page_size)),
        "items": items,
    }


def request_user(request: HttpRequest) -> Any:
    """The user the API authenticated (by token or session)."""
    auth = getattr(request, "auth", None)
    return auth if auth is not None else request.user


def _error(
    api: NinjaAPI, request: HttpRequest, status: int, detail: str, /, **errors: list[str]
) -> HttpResponse:
    # Positional-only, so that a field named "status" or "detail" can be among errors.
    return api.create_response(request, {"detail": detail, "errors": errors}, status=status)


def _not_found(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    return _error(api, request, 404, _("Not found."))


def _denied(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    # Written outside the failed action's transaction, which has rolled back.
    audit(
        "permission_denied",
        user=request_user(request),
        council=getattr(request, "council", None),
        data={"path": request.path[:300], "method": request.method, "via": "api"},
        outcome="denied",
        request=request,
    )
    message = str(exc) if exc.args else _("You do not have permission to do this.")
    return _error(api, request, 403, message)


def _not_authenticated(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    message = exc.message if isinstance(exc, HttpError) and exc.message != "Unauthorized" else ""
    response = _error(api, request, 401, message or _("Log in or send a valid API token."))
    response["WWW-Authenticate"] = "Bearer"
    return response


# django-ninja's own refusals, in English: the start of its message → ours.
NINJA_MESSAGES = {
    "Cannot parse request body": lambda: _(
        "The request body is not valid JSON. Check its quotes, commas and brackets, "
        "and send it with Content-Type: application/json."
    ),
}


def _http_error(request: HttpRequest, exc: HttpError, api: NinjaAPI) -> HttpResponse:
    message = str(exc.message)
    for start, ours in NINJA_MESSAGES.items():
        if message.startswith(start):
            message = ours()
    return _error(api, request, exc.status_code, message)


def _too_large(request: HttpRequest, exc: RequestDataTooBig, api: NinjaAPI) -> HttpResponse:
    return _error(api, request, 413, too_large_message())


def _bad_input(request: HttpRequest, exc: DjangoValidationError, api: NinjaAPI) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
    else:
        errors = {"__all__": [str(m) for m in exc.messages]}
    first = next(iter(errors.values()))[0]
    return _error(api, request, 400, first, **errors)


def _bad_value(request: HttpRequest, exc: ValueError, api: NinjaAPI) -> HttpResponse:
    message = str(exc) or _("The request contains an invalid value.")
    return _error(api, request, 400, message, __all__=[message])


def _server_fault(request: HttpRequest, exc: ModelValidationError, api: NinjaAPI) -> HttpResponse:
    # A response that does not fit its own schema is our bug, not bad input,
    # although pydantic's error is a ValueError: let it surface as a 500.
    raise exc


def _conflict(request: HttpRequest, exc: Conflict, api: NinjaAPI) -> HttpResponse:
    return _error(api, request, 409, exc.message)


def _integrity(request: HttpRequest, exc: IntegrityError, api: NinjaAPI) -> HttpResponse:
    # Input checks catch duplicates first; this is the race between two writers.
    logger.info("integrity error answered with 409: %s", exc)
    return _error(api, request, 409, str(Conflict().message))


def _schema_mismatch(request: HttpRequest, exc: SchemaValidationError, api: NinjaAPI) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for item in exc.errors:
        # loc is (source, field, …): "body", "query", "path" then the field path.
        loc = [str(part) for part in item.get("loc", ())[1:]]
        if loc and loc[0] == BODY_PARAM:
            loc = loc[1:]
        loc = loc or ["__all__"]
        errors.setdefault(".".join(loc), []).append(field_message(item))
    return _error(api, request, 422, _("Some values do not fit what this endpoint accepts."), **errors)


def install_error_handlers(api: NinjaAPI) -> None:
    """Map the project's errors to JSON answers on api, once for every endpoint."""
    api.add_exception_handler(Http404, partial(_not_found, api=api))
    api.add_exception_handler(PermissionDenied, partial(_denied, api=api))
    api.add_exception_handler(AuthenticationError, partial(_not_authenticated, api=api))
    api.add_exception_handler(HttpError, partial(_http_error, api=api))
    api.add_exception_handler(RequestDataTooBig, partial(_too_large, api=api))
    api.add_exception_handler(DjangoValidationError, partial(_bad_input, api=api))
    api.add_exception_handler(ValueError, partial(_bad_value, api=api))
    api.add_exception_handler(ModelValidationError, partial(_server_fault, api=api))
    api.add_exception_handler(Conflict, partial(_conflict, api=api))
    api.add_exception_handler(IntegrityError, partial(_integrity, api=api))
    api.add_exception_handler(SchemaValidationError, partial(_schema_mismatch, api=api))
