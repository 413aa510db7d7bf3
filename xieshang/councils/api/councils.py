"""Who am I, my councils, a council and its structure (units, groups,
sectors, affiliations)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from xieshang.accounts.models import User
from xieshang.core.api import (
    ERROR_RESPONSES,
    ObjectId,
    Overlay,
    Page,
    PageQuery,
    paginate,
    request_user,
)
from xieshang.councils.api.schemas import (
    BodyOut,
    CouncilOut,
    CouncilSlug,
    GroupOut,
    MeOut,
    MyCouncilOut,
    UnitOut,
)
from xieshang.councils.api.scoping import council_actor
from xieshang.councils.models import (
    Affiliation,
    Council,
    HandlingUnit,
    MemberGroup,
    Sector,
)
from xieshang.councils.queries import access_unit, bodies_of, roles_by_council
from xieshang.councils.roles import PLATFORM_ADMIN
from xieshang.councils.tenancy import councils_of

router = Router()


def _my_councils(user: User) -> list[Overlay]:
    """The user's councils, each with the user's roles in it."""
    roles = roles_by_council(user)
    extra = [PLATFORM_ADMIN] if user.is_superuser else []
    return [Overlay(council, roles=roles.get(council.pk, []) + extra) for council in councils_of(user)]


@router.get("/me", response={200: MeOut, **ERROR_RESPONSES}, tags=["me"], summary="Who am I")
def get_me(request: HttpRequest) -> Overlay:
    """The requester and the councils they hold roles in."""
    user: User = request_user(request)
    return Overlay(user, councils=_my_councils(user))


@router.get("/councils", response={200: Page[MyCouncilOut], **ERROR_RESPONSES}, tags=["councils"])
def list_councils(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    """The councils the requester holds roles in (every council for the platform administrator)."""
    return paginate(_my_councils(request_user(request)), page)


@router.get("/c/{council_slug}", response={200: CouncilOut, **ERROR_RESPONSES}, tags=["councils"])
def get_council(request: HttpRequest, council_slug: CouncilSlug) -> Council:
    """The council, its current term, and the requester's roles and permissions in it."""
    return council_actor(request, council_slug, perm=None).council


@router.get("/c/{council_slug}/units", response={200: Page[UnitOut], **ERROR_RESPONSES}, tags=["structure"])
def list_units(request: HttpRequest, council_slug: CouncilSlug, page: Query[PageQuery]) -> dict[str, Any]:
    """The council's handling units (承办单位)."""
    actor = council_actor(request, council_slug)
    rows = bodies_of(actor.council, HandlingUnit)
    return paginate(rows, page)


@router.get(
    "/c/{council_slug}/units/{unit_id}", response={200: UnitOut, **ERROR_RESPONSES}, tags=["structure"]
)
def get_unit(request: HttpRequest, council_slug: CouncilSlug, unit_id: ObjectId) -> HandlingUnit:
    actor = council_actor(request, council_slug)
    return access_unit(actor, unit_id)


@router.get("/c/{council_slug}/groups", response={200: Page[GroupOut], **ERROR_RESPONSES}, tags=["structure"])
def list_groups(request: HttpRequest, council_slug: CouncilSlug, page: Query[PageQuery]) -> dict[str, Any]:
    """The council's standing member groups."""
    actor = council_actor(request, council_slug)
    rows = bodies_of(actor.council, MemberGroup)
    return paginate(rows, page)


@router.get("/c/{council_slug}/sectors", response={200: Page[BodyOut], **ERROR_RESPONSES}, tags=["structure"])
def list_sectors(request: HttpRequest, council_slug: CouncilSlug, page: Query[PageQuery]) -> dict[str, Any]:
    """The council's sectors (界别)."""
    actor = council_actor(request, council_slug)
    rows = bodies_of(actor.council, Sector)
    return paginate(rows, page)


@router.get(
    "/c/{council_slug}/affiliations", response={200: Page[BodyOut], **ERROR_RESPONSES}, tags=["structure"]
)
def list_affiliations(
    request: HttpRequest, council_slug: CouncilSlug, page: Query[PageQuery]
) -> dict[str, Any]:
    """The council's parties and organisations (党派团体)."""
    actor = council_actor(request, council_slug)
    rows = bodies_of(actor.council, Affiliation)
    return paginate(rows, page)
