"""Changing one's own password (also the page a temporary password forces)."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from xieshang.accounts.actions import change_password
from xieshang.accounts.forms import ChangePasswordForm
from xieshang.accounts.models import User
from xieshang.accounts.redirects import safe_next


@sensitive_post_parameters()
@never_cache
@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    form = ChangePasswordForm(user, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = change_password(user, new_password=form.cleaned_data["new_password1"], request=request)
        except ValidationError as exc:
            form.add_error("new_password1", exc)
        else:
            # Keep this session logged in; other sessions end with the old password.
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password was changed."))
            return HttpResponseRedirect(safe_next(request, "/"))
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "forced": user.must_change_password, "next": safe_next(request, "")},
    )
