from __future__ import annotations

from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from xieshang.accounts.forms import LoginForm
from xieshang.accounts.preferences import ELDER_COOKIE
from xieshang.core.audit import audit


def _safe_next(request: HttpRequest, fallback: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def login_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = LoginForm(request, data=request.POST)
        if form.is_valid() and form.user is not None:
            login(request, form.user, backend="xieshang.accounts.backends.UsernameOrMobileBackend")
            audit("login", user=form.user, request=request)
            return HttpResponseRedirect(_safe_next(request))
        audit(
            "login",
            outcome="failed",
            data={"username": str(request.POST.get("username", ""))[:150]},
            request=request,
        )
    else:
        form = LoginForm(request)
    return render(request, "accounts/login.html", {"form": form, "next": _safe_next(request, "")})


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
        request.user.prefers_elder_mode = on  # type: ignore[union-attr]
        request.user.save(update_fields=["prefers_elder_mode"])  # type: ignore[union-attr]
    response = redirect(_safe_next(request))
    response.set_cookie(ELDER_COOKIE, "1" if on else "0", max_age=365 * 24 * 3600, samesite="Lax")
    return response


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/profile.html")
