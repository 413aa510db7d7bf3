"""Platform administration, outside any council: the council tree, and each
council's administrators. Superusers only; others get 403 (audited)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.accounts.models import User
from xieshang.councils.actions.platform import (
    appoint_council_admin,
    create_council,
    create_council_admin,
    set_council_active,
    update_council,
)
from xieshang.councils.forms.platform import CouncilForm, NewCouncilForm
from xieshang.councils.forms.structure import LinkUserForm, NewAccountForm
from xieshang.councils.models import Council
from xieshang.councils.queries import council_admins, council_forest

FORM_PAGE = "councils/structure/form.html"


def platform_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Log in, then require the platform administrator (superuser)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_superuser:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _council(council_id: int) -> Council:
    council = Council.objects.filter(pk=council_id).select_related("parent").first()
    if council is None:
        raise Http404
    return council


def _tree_url() -> str:
    return reverse("platform:councils")


def _invalid(request: HttpRequest, template: str, context: dict[str, Any], form: BaseForm) -> HttpResponse:
    return render(request, template, context, status=400)


@platform_view
def council_tree(request: HttpRequest) -> HttpResponse:
    """The province → city → county tree, inactive councils included."""
    return render(request, "councils/platform/tree.html", {"roots": council_forest()})


@platform_view
def council_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    if parent_id := request.GET.get("parent", ""):
        parent = Council.objects.filter(pk=int(parent_id) if parent_id.isdigit() else 0).first()
        if parent is not None:
            initial = {"parent": parent.pk, "level": "city" if parent.level == "province" else "county"}
    form = NewCouncilForm(request.POST or None, initial=initial)
    context = {"form": form, "title": _("New council"), "back_url": _tree_url()}
    if request.method == "POST":
        if not form.is_valid():
            return _invalid(request, FORM_PAGE, context, form)
        try:
            council = create_council(user=_user(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return _invalid(request, FORM_PAGE, context, form)
        messages.success(
            request, _("%(name)s was added. Appoint its administrators next.") % {"name": council.name}
        )
        return redirect("platform:council_detail", council.pk)
    return render(request, FORM_PAGE, context)


@platform_view
def council_edit(request: HttpRequest, council_id: int) -> HttpResponse:
    council = _council(council_id)
    initial = {
        "name": council.name,
        "level": council.level,
        "parent": council.parent_id,
        "region_code": council.region_code,
    }
    form = CouncilForm(request.POST or None, initial=initial)
    context = {
        "form": form,
        "title": _("Edit %(name)s") % {"name": council.name},
        "back_url": reverse("platform:council_detail", args=[council.pk]),
    }
    if request.method == "POST":
        if not form.is_valid():
            return _invalid(request, FORM_PAGE, context, form)
        try:
            update_council(council, user=_user(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return _invalid(request, FORM_PAGE, context, form)
        messages.success(request, _("The council was saved."))
        return redirect("platform:council_detail", council.pk)
    return render(request, FORM_PAGE, context)


def _detail_context(council: Council, **forms: Any) -> dict[str, Any]:
    admins = council_admins(council)
    return {
        "council": council,
        "admins": admins,
        "children": council.children.order_by("name"),
        "link_form": forms.get("link_form") or LinkUserForm(),
        "account_form": forms.get("account_form") or NewAccountForm(),
    }


@platform_view
def council_detail(request: HttpRequest, council_id: int) -> HttpResponse:
    """One council: its place in the tree, its administrators, and the forms
    to appoint one."""
    council = _council(council_id)
    return render(request, "councils/platform/detail.html", _detail_context(council))


@require_POST
@platform_view
def council_set_active(request: HttpRequest, council_id: int) -> HttpResponse:
    council = _council(council_id)
    is_active = request.POST.get("is_active") == "1"
    set_council_active(council, user=_user(request), is_active=is_active)
    if is_active:
        messages.success(request, _("%(name)s is open again.") % {"name": council.name})
    else:
        messages.success(request, _("%(name)s was deactivated.") % {"name": council.name})
    return redirect("platform:council_detail", council.pk)


@require_POST
@platform_view
def admin_appoint(request: HttpRequest, council_id: int) -> HttpResponse:
    council = _council(council_id)
    form = LinkUserForm(request.POST)
    template = "councils/platform/detail.html"
    if not form.is_valid():
        return _invalid(request, template, _detail_context(council, link_form=form), form)
    try:
        appoint_council_admin(council, user=_user(request), appointee=form.user)
    except ValidationError as error:
        form.add_error(None, error)
        return _invalid(request, template, _detail_context(council, link_form=form), form)
    messages.success(
        request,
        _("%(user)s now administers %(council)s.")
        % {"user": form.user.display_name, "council": council.name},
    )
    return redirect("platform:council_detail", council.pk)


@require_POST
@platform_view
def admin_create(request: HttpRequest, council_id: int) -> HttpResponse:
    """Create an administrator account and show its temporary password once."""
    council = _council(council_id)
    form = NewAccountForm(request.POST)
    template = "councils/platform/detail.html"
    if not form.is_valid():
        return _invalid(request, template, _detail_context(council, account_form=form), form)
    try:
        row, password = create_council_admin(council, user=_user(request), **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return _invalid(request, template, _detail_context(council, account_form=form), form)
    response = render(
        request,
        "councils/structure/account_created.html",
        {
            "account": row.user,
            "password": password,
            "back_url": reverse("platform:council_detail", args=[council.pk]),
        },
    )
    response["Cache-Control"] = "no-store"
    return response
