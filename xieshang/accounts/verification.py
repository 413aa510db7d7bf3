"""Whether a request carries a confirmed second factor, for pages and API alike."""

from __future__ import annotations

from django.http import HttpRequest


def second_factor_confirmed(request: HttpRequest) -> bool:
    """True when this request's session confirmed an authenticator code, or
    when it is authenticated by an API token that was created from such a
    session (the token then stands for that confirmation)."""
    token = getattr(request, "api_token", None)
    if token is not None:
        return bool(token.created_with_second_factor)
    return bool(getattr(request.user, "is_verified", lambda: False)())
