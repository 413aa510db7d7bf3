"""Personal API tokens: list, create (secret shown once), revoke."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from xieshang.accounts.forms import TokenForm
from xieshang.accounts.models import User
from xieshang.accounts.scopes import TokenScope
from xieshang.accounts.tokens import access_token, create_token, revoke_token, tokens_of
from xieshang.accounts.verification import second_factor_confirmed


@never_cache
@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    secret = ""
    created = None
    if request.method == "POST":
        form = TokenForm(data=request.POST)
        if form.is_valid():
            try:
                created, secret = create_token(
                    user=user,
                    name=form.cleaned_data["name"],
                    expires_at=form.expires_at(),
                    with_second_factor=second_factor_confirmed(request),
                    scope=form.cleaned_data["scope"] or TokenScope.ALL,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                form = TokenForm()
    else:
        form = TokenForm()
    # The secret is rendered in this one response and never again (no redirect,
    # not cached), so reloading the list does not show it.
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": tokens_of(user), "created": created, "secret": secret},
    )


@never_cache
@login_required
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    user = cast(User, request.user)
    token = access_token(user, token_id)
    if request.method == "POST":
        revoke_token(token, user=user)
        messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
        return redirect("accounts:tokens")
    return render(request, "accounts/token_revoke.html", {"token": token})
