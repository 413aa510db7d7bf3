"""Login lockout per the strictest setting of the councils a user belongs to
(django-axes calls these; see AXES_* in config/settings.py).

Signatures are the ones django-axes 8 calls: AXES_FAILURE_LIMIT and
AXES_USERNAME_CALLABLE get (request, credentials), AXES_COOLOFF_TIME gets
(request), AXES_LOCKOUT_CALLABLE gets (request, original_response, credentials).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xieshang.accounts.backends import find_user
from xieshang.councils.models import CouncilRole
from xieshang.councils.queries import get_setting
from xieshang.councils.settings_catalog import SPECS_BY_KEY


def _councils_for_login(request: HttpRequest | None, credentials: dict[str, Any] | None = None) -> list[Any]:
    if request is None:
        return []
    user = find_user(username_from_request(request, credentials))
    if user is None:
        return []
    roles = CouncilRole.objects.filter(user=user).select_related("council")
    return list({role.council_id: role.council for role in roles}.values())


def failure_limit(request: HttpRequest | None, credentials: dict[str, Any] | None = None) -> int:
    values = [get_setting(c, "lockout_failures") for c in _councils_for_login(request, credentials)]
    return min(values, default=SPECS_BY_KEY["lockout_failures"].default)


def cooloff_time(request: HttpRequest | None = None) -> dt.timedelta:
    # Axes passes only the request here; the login form's username is in it.
    values = [get_setting(c, "lockout_minutes") for c in _councils_for_login(request)]
    return dt.timedelta(minutes=max(values, default=SPECS_BY_KEY["lockout_minutes"].default))


def username_from_request(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """Count failures against the account, whether typed as username or mobile."""
    login = ""
    if credentials:
        login = str(credentials.get("username") or "")
    if not login and request is not None:
        login = str(request.POST.get("username", ""))
    user = find_user(login)
    return user.username if user is not None else login.strip()


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """The page shown instead of the login result while the account is locked."""
    minutes = int(cooloff_time(request).total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)
