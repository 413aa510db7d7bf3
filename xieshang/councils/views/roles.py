"""The council's roles page: who holds which role; grant and revoke; and
lifting an account's login lockout (also from a member's page)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.accounts.redirects import safe_next
from xieshang.councils.actions.roles import grant_role, revoke_role, unlock_account
from xieshang.councils.forms.structure import GrantRoleForm
from xieshang.councils.lockout import locked_accounts
from xieshang.councils.models import Role
from xieshang.councils.queries import access_council_role, access_council_user, council_roles
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view

TEMPLATE = "councils/structure/roles.html"


def _context(request: CouncilRequest, form: GrantRoleForm) -> dict[str, object]:
    rows = council_roles(request.council)
    locked = locked_accounts(row.user for row in rows)
    for row in rows:
        row.locked_until = locked.get(row.user_id)  # type: ignore[attr-defined]
    groups = [
        {"role": value, "label": label, "rows": [r for r in rows if r.role == value]}
        for value, label in Role.choices
    ]
    return {
        "groups": groups,
        "form": form,
        "leader_titles": [_("Chair"), _("Vice chair"), _("Secretary-general")],
    }


@council_view(Perm.MANAGE_ROLES)
def role_list(request: CouncilRequest) -> HttpResponse:
    """Every role in the council, grouped by role, and the form to grant one."""
    return render(request, TEMPLATE, _context(request, GrantRoleForm(council=request.council)))


@require_POST
@council_view(Perm.MANAGE_ROLES)
def role_grant(request: CouncilRequest) -> HttpResponse:
    form = GrantRoleForm(request.POST, council=request.council)
    if not form.is_valid():
        return render(request, TEMPLATE, _context(request, form), status=400)
    data = form.cleaned_data
    try:
        row = grant_role(
            actor=request.actor,
            user=form.user,
            role=data["role"],
            title=data["title"],
            handling_unit=data["handling_unit"],
            oversight_office=data["oversight_office"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, TEMPLATE, _context(request, form), status=400)
    messages.success(
        request,
        _("%(user)s is now %(role)s.") % {"user": row.user.display_name, "role": row.get_role_display()},
    )
    return redirect("councils:roles", request.council.slug)


@require_POST
@council_view(Perm.MANAGE_ROLES)
def role_revoke(request: CouncilRequest, role_id: int) -> HttpResponse:
    row = access_council_role(request.actor, role_id)
    revoke_role(row, actor=request.actor)
    messages.success(
        request,
        _("%(user)s no longer holds the role %(role)s.")
        % {"user": row.user.display_name, "role": row.get_role_display()},
    )
    return redirect("councils:roles", request.council.slug)


@require_POST
@council_view(Perm.MANAGE_ROLES)
def account_unlock(request: CouncilRequest, user_id: int) -> HttpResponse:
    """Lift the login lockout of an account with a role here; back to the
    page the button was on."""
    user = access_council_user(request.actor, user_id)
    unlock_account(user, actor=request.actor, request=request)
    messages.success(request, _("%(user)s can log in again.") % {"user": user.display_name})
    return HttpResponseRedirect(safe_next(request, reverse("councils:roles", args=[request.council.slug])))
