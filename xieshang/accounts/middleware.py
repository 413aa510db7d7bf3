"""Request-wide account rules: the page language, sending people with a
temporary password to the password page first, and keeping an active
session alive without writing it on every request."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
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


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Pick the page language from the person's explicit choice (the language
    cookie, set by the switch and at login from their account) and otherwise
    Chinese — never from the browser's Accept-Language header, which on many
    office machines says English although the people using them read Chinese."""

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# The session key holding when the session's expiry was last pushed forward
# (seconds since the epoch).
LAST_ACTIVITY_KEY = "_last_activity"


def mark_session_active(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    """On login (user_logged_in): the new session starts its idle time now,
    so that the first request after it need not save the session again."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_ACTIVITY_KEY] = int(time.time())


class SessionActivityMiddleware:
    """The idle timeout (SESSION_COOKIE_AGE) without a database write on every
    request: a logged-in session is saved, and so its expiry pushed forward by
    the full age, only when its last save is more than
    SESSION_ACTIVITY_RESOLUTION seconds old. A session therefore ends between
    SESSION_COOKIE_AGE minus the resolution and SESSION_COOKIE_AGE after the
    last request, never later. Place it after the session middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = request.session
        # Only sessions that carry a login, still after the view (a logout
        # flushes it); reading them costs nothing more, the user was loaded.
        if SESSION_KEY not in session:
            return response
        now = int(time.time())
        last = session.get(LAST_ACTIVITY_KEY)
        stale = not isinstance(last, int) or now - last >= settings.SESSION_ACTIVITY_RESOLUTION
        if session.modified or stale:
            session[LAST_ACTIVITY_KEY] = now
        return response
