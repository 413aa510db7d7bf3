"""Logging in (password, then a code for people with an authenticator app),
logging out, and the display preferences that also work before login."""

from __future__ import annotations

import math
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from xieshang.accounts.actions import (
    AddressRefusal,
    claim_login_attempt,
    release_login_attempt,
    set_elder_mode,
    set_language,
    verify_second_factor,
)
from xieshang.accounts.forms import LoginForm, OtpCodeForm
from xieshang.accounts.models import User
from xieshang.accounts.preferences import ELDER_COOKIE
from xieshang.accounts.queries import confirmed_totp_device, roles_of
from xieshang.accounts.redirects import safe_next
from xieshang.core.audit import audit, client_ip

BACKEND = "xieshang.accounts.backends.UsernameOrMobileBackend"
# Between a correct password and the code from the app: who, since when, where to.
PENDING_SESSION_KEY = "pending_second_factor"
PENDING_SECONDS = 5 * 60


def _complete_login(
    request: HttpRequest, user: User, *, device: TOTPDevice | None, target: str
) -> HttpResponse:
    login(request, user, backend=BACKEND)
    if device is not None:
        otp_login(request, device)
    audit("login", user=user, data={"second_factor": device is not None}, request=request)
    response = HttpResponseRedirect(target)
    if user.language:
        # Apply the language the person chose last time, on this device too.
        _set_language_cookie(response, user.language)
    return response


def _set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )


@sensitive_post_parameters("password")
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _login_page(request, LoginForm(request))
    address = client_ip(request)
    refusal = claim_login_attempt(address) if _is_password_attempt(request) else None
    if refusal is not None:
        return _address_refused(request, refusal)
    form = LoginForm(request, data=request.POST)
    if form.is_valid() and form.user is not None:
        release_login_attempt(address)
        return _password_accepted(request, form.user)
    # django-axes marks the request when this failure locked the account,
    # or when the account was already locked (the password was not checked).
    locked_out = bool(getattr(request, "axes_locked_out", False))
    audit(
        "login",
        outcome="locked_out" if locked_out else "failed",
        data={"username": _typed_username(request)},
        request=request,
    )
    return _login_page(request, form)


def _login_page(request: HttpRequest, form: LoginForm, *, refusal: str = "") -> HttpResponse:
    context = {"form": form, "next": safe_next(request, ""), "refusal": refusal}
    return render(request, "accounts/login.html", context, status=429 if refusal else 200)


def _typed_username(request: HttpRequest) -> str:
    return str(request.POST.get("username", ""))[:150]


def _is_password_attempt(request: HttpRequest) -> bool:
    """Whether the form would check a password (both fields filled in)."""
    return bool(_typed_username(request).strip() and request.POST.get("password"))


def _password_accepted(request: HttpRequest, user: User) -> HttpResponse:
    device = confirmed_totp_device(user)
    if device is None:
        return _complete_login(request, user, device=None, target=safe_next(request))
    request.session[PENDING_SESSION_KEY] = {
        "user_id": user.pk,
        "since": timezone.now().timestamp(),
        "next": safe_next(request),
    }
    return redirect("accounts:login_code")


def _address_refused(request: HttpRequest, refusal: AddressRefusal) -> HttpResponse:
    """The login page again, saying why and for how long, without checking
    the password (the address has failed too often across accounts)."""
    audit(
        "login",
        outcome="address_blocked" if refusal.blocked else "address_slowed",
        data={"username": _typed_username(request), "retry_after": refusal.retry_after},
        request=request,
    )
    if refusal.blocked:
        minutes = math.ceil(refusal.retry_after / 60)
        message = ngettext(
            "Too many failed logins from your network address. Logins from it are paused for "
            "%(minutes)s minute.",
            "Too many failed logins from your network address. Logins from it are paused for "
            "%(minutes)s minutes.",
            minutes,
        ) % {"minutes": minutes}
    else:
        message = ngettext(
            "Too many failed logins from your network address. Wait %(seconds)s second, then try again.",
            "Too many failed logins from your network address. Wait %(seconds)s seconds, then try again.",
            refusal.retry_after,
        ) % {"seconds": refusal.retry_after}
    form = LoginForm(request, initial={"username": _typed_username(request)})
    response = _login_page(request, form, refusal=message)
    response["Retry-After"] = str(refusal.retry_after)
    return response


def _pending_user(request: HttpRequest) -> tuple[User | None, str]:
    pending = request.session.get(PENDING_SESSION_KEY)
    if not isinstance(pending, dict):
        return None, "/"
    if timezone.now().timestamp() - float(pending.get("since", 0)) > PENDING_SECONDS:
        del request.session[PENDING_SESSION_KEY]
        return None, "/"
    user = User.objects.filter(pk=int(pending.get("user_id") or 0), is_active=True).first()
    return user, str(pending.get("next") or "/")


@sensitive_post_parameters("code")
@never_cache
def login_code(request: HttpRequest) -> HttpResponse:
    """The second step for people with an authenticator app."""
    user, target = _pending_user(request)
    if user is None:
        messages.info(request, _("Please log in again."))
        return redirect("accounts:login")
    form = OtpCodeForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        device = verify_second_factor(user, token=form.cleaned_data["code"], request=request)
        if device is not None:
            del request.session[PENDING_SESSION_KEY]
            return _complete_login(request, user, device=device, target=target)
        form.add_error("code", _("The code is wrong or has expired. Enter the code the app shows now."))
    return render(request, "accounts/login_code.html", {"form": form})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit("logout", user=request.user, request=request)
    logout(request)
    return redirect("accounts:login")


@require_POST
def elder_mode(request: HttpRequest) -> HttpResponse:
    """Turn elder mode on or off; remembered on the account (and in a cookie
    for the login page)."""
    on = request.POST.get("on") == "1"
    if request.user.is_authenticated:
        set_elder_mode(cast(User, request.user), on=on)
    response = HttpResponseRedirect(safe_next(request))
    response.set_cookie(ELDER_COOKIE, "1" if on else "0", max_age=365 * 24 * 3600, samesite="Lax")
    return response


def language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language (a cookie, as Django's set_language
    does) and remember the choice on the account so that it follows the
    person to their next login; then go to `next` when it is a path here."""
    response = HttpResponseRedirect(safe_next(request))
    chosen = request.POST.get("language", "")
    if request.method == "POST" and chosen in dict(settings.LANGUAGES):
        _set_language_cookie(response, chosen)
        if request.user.is_authenticated:
            set_language(cast(User, request.user), language=chosen)
    return response


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    return render(
        request,
        "accounts/profile.html",
        {"roles": roles_of(user), "has_second_factor": confirmed_totp_device(user) is not None},
    )
