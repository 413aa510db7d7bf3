"""Tenant resolution: from the URL's council slug and the logged-in user to a
typed request carrying the council and the Actor. No thread-local state.

Missing councils and councils the user has no business in raise the same 404.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, cast

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from xieshang.accounts.models import User
from xieshang.accounts.verification import second_factor_confirmed
from xieshang.core.errors import require
from xieshang.councils.models import Council, CouncilRole, Member, Role
from xieshang.councils.queries import get_setting
from xieshang.councils.roles import (
    PLATFORM_ADMIN,
    ROLES_SEEING_LOWER_COUNCILS,
    UPPER_STAFF,
    Actor,
    Perm,
)


class CouncilRequest(HttpRequest):
    """An HttpRequest after council_view has resolved the tenant."""

    council: Council
    actor: Actor
    user: User


def build_actor(user: User, council: Council) -> Actor | None:
    """Return user's Actor in council, or None when the user has no role there
    and no upper-council role above it."""
    rows = list(CouncilRole.objects.filter(council=council, user=user))
    roles: set[str] = {row.role for row in rows}
    if user.is_superuser:
        roles.add(PLATFORM_ADMIN)
    if not roles:
        ancestors = council.ancestors()
        if (
            ancestors
            and CouncilRole.objects.filter(
                user=user, council__in=ancestors, role__in=ROLES_SEEING_LOWER_COUNCILS
            ).exists()
        ):
            roles.add(UPPER_STAFF)
    if not roles:
        return None
    member = None
    if Role.MEMBER in roles:
        member = (
            Member.objects.filter(council=council, user=user, is_active=True)
            .order_by("-term__number")
            .first()
        )
    return Actor(
        user=user,
        council=council,
        roles=frozenset(roles),
        member=member,
        handling_unit_ids=frozenset(r.handling_unit_id for r in rows if r.handling_unit_id),
        oversight_office_ids=frozenset(r.oversight_office_id for r in rows if r.oversight_office_id),
    )


def resolve_council(user: User, slug: str) -> tuple[Council, Actor]:
    """Return the council and the user's Actor in it, or raise Http404."""
    try:
        council = Council.objects.select_related("parent").get(slug=slug, is_active=True)
    except Council.DoesNotExist:
        raise Http404 from None
    actor = build_actor(user, council)
    if actor is None:
        raise Http404
    return council, actor


def council_view(
    perm: Perm | None = Perm.VIEW_COUNCIL,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view taking (request, council_slug, …): log in, resolve the
    council and the actor, and require perm (403 when a role lacks it)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, council_slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            user = cast(User, request.user)
            council, actor = resolve_council(user, council_slug)
            typed = cast(CouncilRequest, request)
            typed.council = council
            typed.actor = actor
            if needs_second_factor(request, actor):
                return redirect_to_second_factor(request)
            if perm is not None:
                require(actor.has(perm))
            return view(typed, *args, **kwargs)

        return wrapper

    return decorator


# Roles that must confirm a second factor where the council requires it.
SECOND_FACTOR_ROLES = frozenset({Role.STAFF, Role.COUNCIL_ADMIN})


def needs_second_factor(request: HttpRequest, actor: Actor) -> bool:
    """True when actor holds a staff or administrator role in a council that
    requires a second factor for staff, and this session has not confirmed one."""
    if not actor.roles & SECOND_FACTOR_ROLES:
        return False
    if second_factor_confirmed(request):
        return False
    return bool(get_setting(actor.council, "staff_second_factor_required"))


def redirect_to_second_factor(request: HttpRequest) -> HttpResponse:
    """Send the user to set up or confirm their second factor, then back."""
    target = reverse("accounts:second_factor")
    return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")


def councils_of(user: User) -> list[Council]:
    """Councils the user holds a role in (all councils for the platform admin)."""
    if user.is_superuser:
        return list(Council.objects.filter(is_active=True).order_by("level", "name"))
    ids = CouncilRole.objects.filter(user=user).values("council_id")
    return list(Council.objects.filter(id__in=ids, is_active=True).order_by("level", "name"))
