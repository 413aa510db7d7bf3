"""Lifting one's own login lockout with a code sent by SMS to the account's
mobile number (the locked-out page links here). Administrators lift it from
the council's pages instead."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from xieshang.accounts.actions import request_unlock_code, unlock_with_code
from xieshang.accounts.forms import SmsCodeForm, UnlockRequestForm

# The account named in the first step, until the code unlocks it.
UNLOCK_SESSION_KEY = "unlock_login"


@never_cache
def unlock_request(request: HttpRequest) -> HttpResponse:
    """Ask for a code. The next page reads the same whether or not one was
    sent, so that it tells nobody which accounts exist or are locked."""
    initial = {"username": str(request.GET.get("username", ""))[:150]}
    form = UnlockRequestForm(data=request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        login = form.cleaned_data["username"]
        request_unlock_code(login=login, request=request)
        request.session[UNLOCK_SESSION_KEY] = login
        return redirect("accounts:unlock_code")
    return render(request, "accounts/unlock.html", {"form": form}, status=400 if form.errors else 200)


@sensitive_post_parameters("code")
@never_cache
def unlock_code(request: HttpRequest) -> HttpResponse:
    login = request.session.get(UNLOCK_SESSION_KEY)
    if not isinstance(login, str):
        return redirect("accounts:unlock")
    form = SmsCodeForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            unlock_with_code(login=login, code=form.cleaned_data["code"], request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            del request.session[UNLOCK_SESSION_KEY]
            messages.success(request, _("Your account is unlocked. Log in with your password."))
            return redirect("accounts:login")
    context = {"form": form, "login": login}
    return render(request, "accounts/unlock_code.html", context, status=400 if form.errors else 200)
