"""The second factor: set up an authenticator app, confirm this session with
a code, or remove the app."""

from __future__ import annotations

import base64
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from xieshang.accounts.actions import enrol_totp_device, remove_totp_devices, verify_second_factor
from xieshang.accounts.forms import OtpCodeForm, RemoveSecondFactorForm
from xieshang.accounts.models import User
from xieshang.accounts.queries import confirmed_totp_device
from xieshang.accounts.redirects import safe_next
from xieshang.core.links import qr_code

# The key being set up lives in the session until a code confirms it, so that
# looking at the page writes nothing.
ENROL_SESSION_KEY = "totp_key_being_set_up"


def _is_verified(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_verified", lambda: False)())


def _enrolment_context(request: HttpRequest, user: User) -> dict[str, Any]:
    key = request.session.get(ENROL_SESSION_KEY)
    if not isinstance(key, str):
        key = random_hex(20)
        request.session[ENROL_SESSION_KEY] = key
    device = TOTPDevice(user=user, key=key)
    return {
        "qr_data_uri": qr_code(device.config_url, scale=5),
        "manual_key": " ".join(_chunks(base64.b32encode(device.bin_key).decode("ascii"), 4)),
    }


def _chunks(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


@sensitive_post_parameters("code")
@never_cache
@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    """Set up the app (no app yet), confirm this session (app, session not yet
    confirmed), or show the status with a way to remove the app."""
    user = cast(User, request.user)
    device = confirmed_totp_device(user)
    target = safe_next(request, "")
    code_form = OtpCodeForm(data=request.POST if request.method == "POST" else None)
    if device is None:
        if request.method == "POST" and code_form.is_valid():
            key = request.session.get(ENROL_SESSION_KEY)
            if isinstance(key, str):
                try:
                    device = enrol_totp_device(
                        user, key=key, token=code_form.cleaned_data["code"], request=request
                    )
                except ValidationError as exc:
                    code_form.add_error("code", exc)
                else:
                    del request.session[ENROL_SESSION_KEY]
                    otp_login(request, device)
                    messages.success(
                        request,
                        _(
                            "Your authenticator app is set up. "
                            "You will need a code from it each time you log in."
                        ),
                    )
                    return HttpResponseRedirect(target or request.path)
            else:
                code_form.add_error(
                    "code", _("The setup was interrupted. Scan the code below again and enter a new code.")
                )
        context = {"mode": "enrol", "form": code_form, "next": target, **_enrolment_context(request, user)}
        return render(request, "accounts/second_factor.html", context)
    if not _is_verified(request):
        if request.method == "POST" and code_form.is_valid():
            if verify_second_factor(user, token=code_form.cleaned_data["code"], request=request) is not None:
                otp_login(request, device)
                return HttpResponseRedirect(target or request.path)
            code_form.add_error(
                "code", _("The code is wrong or has expired. Enter the code the app shows now.")
            )
        return render(
            request, "accounts/second_factor.html", {"mode": "verify", "form": code_form, "next": target}
        )
    if target:
        return HttpResponseRedirect(target)
    return render(
        request,
        "accounts/second_factor.html",
        {"mode": "active", "device": device, "form": RemoveSecondFactorForm()},
    )


@sensitive_post_parameters("password")
@never_cache
@login_required
@require_POST
def second_factor_remove(request: HttpRequest) -> HttpResponse:
    """Remove the authenticator app. Needs the password and a session that
    was confirmed with the app, so that a stolen password alone cannot."""
    user = cast(User, request.user)
    device = confirmed_totp_device(user)
    if device is None or not _is_verified(request):
        return redirect("accounts:second_factor")
    form = RemoveSecondFactorForm(data=request.POST)
    if form.is_valid():
        try:
            remove_totp_devices(user, password=form.cleaned_data["password"], request=request)
        except ValidationError as exc:
            form.add_error("password", exc)
        else:
            messages.success(
                request, _("Your authenticator app was removed. Logging in now needs only your password.")
            )
            return redirect("accounts:profile")
    return render(
        request, "accounts/second_factor.html", {"mode": "active", "device": device, "form": form}, status=400
    )
