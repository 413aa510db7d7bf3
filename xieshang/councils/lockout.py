"""Login lockout per the strictest setting of the councils a user belongs to
(django-axes calls these; see AXES_* in config/settings.py), and whether an
account is locked now, for the administrators' unlock button.

Signatures are the ones django-axes 8 calls: AXES_FAILURE_LIMIT and
AXES_USERNAME_CALLABLE get (request, credentials), AXES_COOLOFF_TIME gets
(request), AXES_LOCKOUT_CALLABLE gets (request, original_response, credentials).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from axes.models import AccessAttempt
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from xieshang.accounts.backends import find_user
from xieshang.accounts.models import User
from xieshang.councils.models import CouncilRole
from xieshang.councils.queries import get_setting
from xieshang.councils.settings_catalog import SPECS_BY_KEY


def _councils_of(user: User | None) -> list[Any]:
    if user is None:
        return []
    roles = CouncilRole.objects.filter(user=user).select_related("council")
    return list({role.council_id: role.council for role in roles}.values())


def _councils_for_login(request: HttpRequest | None, credentials: dict[str, Any] | None = None) -> list[Any]:
    if request is None:
        return []
    return _councils_of(find_user(username_from_request(request, credentials)))


def _strictest_limit(councils: list[Any]) -> int:
    values = [get_setting(c, "lockout_failures") for c in councils]
    return min(values, default=SPECS_BY_KEY["lockout_failures"].default)


def _longest_cooloff(councils: list[Any]) -> dt.timedelta:
    values = [get_setting(c, "lockout_minutes") for c in councils]
    return dt.timedelta(minutes=max(values, default=SPECS_BY_KEY["lockout_minutes"].default))


def failure_limit(request: HttpRequest | None, credentials: dict[str, Any] | None = None) -> int:
    return _strictest_limit(_councils_for_login(request, credentials))


def cooloff_time(request: HttpRequest | None = None) -> dt.timedelta:
    # Axes passes only the request here; the login form's username is in it.
    return _longest_cooloff(_councils_for_login(request))


def locked_until(user: User) -> dt.datetime | None:
    """When the account's lockout ends, or None when it is not locked: the
    rule django-axes applies (failures within the cool-off reach the limit;
    the lockout runs from the failure that caused it)."""
    councils = _councils_of(user)
    cooloff = _longest_cooloff(councils)
    recent = AccessAttempt.objects.filter(
        username=user.get_username(), attempt_time__gte=timezone.now() - cooloff
    ).aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    if (recent["failures"] or 0) < _strictest_limit(councils):
        return None
    return recent["last"] + cooloff  # type: ignore[no-any-return]


def locked_accounts(users: Iterable[User]) -> dict[int, dt.datetime]:
    """locked_until() of each of users that is locked, by user id (one query
    when none of them has failed logins on record)."""
    by_name = {user.get_username(): user for user in users}
    failing = set(AccessAttempt.objects.filter(username__in=by_name).values_list("username", flat=True))
    found = {name: locked_until(by_name[name]) for name in failing if name}
    return {by_name[name].pk: until for name, until in found.items() if until is not None}


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
    username = str(request.POST.get("username", ""))[:150]
    context = {"minutes": minutes, "username": username, "username_query": urlencode({"username": username})}
    return render(request, "accounts/locked_out.html", context, status=429)
