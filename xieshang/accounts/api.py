"""How API requests authenticate: a personal API token sent as
`Authorization: Bearer <token>`, or the browser's login session (with a CSRF
token on unsafe methods, as for every form)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from xieshang.accounts.models import User
from xieshang.accounts.tokens import find_live_token

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class TokenAuth(HttpBearer):
    """A personal API token. A token that is sent but not live (unknown,
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
