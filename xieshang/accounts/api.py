"""How API requests authenticate, and the endpoints that manage tokens.

Requests authenticate with a personal API token sent as
`Authorization: Bearer <token>`, or the browser's login session (with a CSRF
token on unsafe methods, as for every form)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, cast

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from xieshang.accounts.models import ApiToken, User
from xieshang.accounts.scopes import TokenScope, check_scope
from xieshang.accounts.tokens import access_token, create_token, find_live_token, revoke_token, tokens_of
from xieshang.accounts.verification import second_factor_confirmed
from xieshang.core.api import (
    ERROR_RESPONSES,
    WRITE_ERROR_RESPONSES,
    ObjectId,
    Overlay,
    Printable,
    request_user,
)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class TokenAuth(HttpBearer):
    """A personal API token, held to its scope (accounts.scopes). A token that is sent but not live (unknown,
    revoked, expired, its user deactivated) is refused outright rather than
    falling back to the session, so that clients learn their token is bad."""

    def __call__(self, request: HttpRequest) -> User | None:
        header = request.headers.get(self.header, "")
        scheme, _sep, raw = header.strip().partition(" ")
        if not header.strip():
            return None
        if scheme.lower() != self.openapi_scheme:
            raise AuthenticationError(message=_("Send the API token as “Authorization: Bearer <token>”."))
        return self.authenticate(request, raw)

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        live = find_live_token(token)
        if live is None:
            raise AuthenticationError(
                message=_("This API token is not valid: it is unknown, expired or revoked.")
            )
        # Read by accounts.verification.second_factor_confirmed.
        request.api_token = live  # type: ignore[attr-defined]
        # The one place a token's scope is enforced, before any endpoint runs;
        # a refusal is audited in the token user's name.
        request.auth = live.user  # type: ignore[attr-defined]
        check_scope(live.scope, method=request.method or "GET", path=request.path)
        return live.user


class SessionAuth(APIKeyCookie):
    """The logged-in browser session. Unsafe methods need the CSRF token, so
    that another site cannot make the user's browser write through the API."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        # The CSRF check happens in authenticate(), only once we know the
        # session carries a user; an anonymous request gets 401, not 403.
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if not user.is_authenticated or not user.is_active:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise HttpError(403, _("The CSRF token is missing or wrong. Reload the page and try again."))
        return user


# Token first: a request with a token never needs the session's CSRF check.
API_AUTH = [TokenAuth(), SessionAuth()]


# Tokens are managed only from a logged-in session: a token cannot mint,
# list or revoke tokens.
router = Router(tags=["tokens"], auth=[SessionAuth()])


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="The start of the secret, to tell tokens apart.")
    scope: TokenScope = Field(description="all, read, or the one app the token may reach.")
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenCreatedOut(TokenOut):
    secret: str = Field(description="The token itself, shown in this answer only: store it now.")


class TokenIn(Schema):
    name: Annotated[str, Field(min_length=1, max_length=100), Printable]
    expires_at: dt.datetime | None = None
    scope: TokenScope = TokenScope.ALL


def _session_user(request: HttpRequest) -> User:
    return cast(User, request_user(request))


@router.get("/tokens", response={200: list[TokenOut], **ERROR_RESPONSES})
def list_api_tokens(request: HttpRequest) -> list[ApiToken]:
    """Your API tokens, newest first, revoked ones included (never their secrets)."""
    return tokens_of(_session_user(request))


@router.post("/tokens", response={201: TokenCreatedOut, **WRITE_ERROR_RESPONSES})
def create_api_token(request: HttpRequest, payload: TokenIn) -> Status[Any]:
    """Create an API token in your name, limited to a scope; its secret is in
    this answer and never again. Only a logged-in session may do this."""
    token, secret = create_token(
        user=_session_user(request),
        name=payload.name,
        expires_at=payload.expires_at,
        with_second_factor=second_factor_confirmed(request),
        scope=payload.scope,
    )
    return Status(201, Overlay(token, secret=secret))


@router.post("/tokens/{token_id}/revoke", response={200: TokenOut, **WRITE_ERROR_RESPONSES})
def revoke_api_token(request: HttpRequest, token_id: ObjectId) -> ApiToken:
    """Revoke one of your tokens; revoking it again changes nothing."""
    user = _session_user(request)
    return revoke_token(access_token(user, token_id), user=user)
