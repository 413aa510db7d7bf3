"""Send people with a temporary password to the password page first."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


class PasswordChangeRequiredMiddleware:
    """While user.must_change_password is set, every page except the
    password page, logging out and the display preferences redirects to the
    password page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            target = reverse("accounts:password_change")
            allowed = {
                target,
                reverse("accounts:logout"),
                reverse("accounts:elder_mode"),
                reverse("set_language"),
            }
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
