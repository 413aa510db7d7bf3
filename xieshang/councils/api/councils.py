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
from xieshang.councils.api.scoping import body_out, council_actor, term_out
from xieshang.councils.models import (
    Affiliation,
    Council,
    HandlingUnit,
    MemberGroup,
    Sector,
)
from xieshang.councils.queries import access_unit, bodies_of, current_term, roles_by_council
from xieshang.councils.roles import PLATFORM_ADMIN
from xieshang.councils.tenancy import councils_of

router = Router()


def _my_councils(user: User) -> list[dict[str, Any]]:
    roles = roles_by_council(user)
    extra = [PLATFORM_ADMIN] if user.is_superuser else []
    return [
        {
            "slug": council.slug,
            "name": council.name,
            "level": council.level,
            "parent_slug": council.parent.slug if council.parent else None,
            "roles": roles.get(council.pk, []) + extra,
        }
        for council in councils_of(user)
    ]


@router.get("/me", response={200: MeOut, **ERROR_RESPONSES}, tags=["me"], summary="Who am I")
def me(request: HttpRequest) -> dict[str, Any]:
    """The requester and the councils they hold roles in."""
    user: User = request_user(request)
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "display_name": user.display_name,
        "is_platform_admin": user.is_superuser,
        "councils": _my_councils(user),
    }


@router.get("/councils", response={200: Page[MyCouncilOut], **ERROR_RESPONSES}, tags=["councils"])
def list_councils(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    """The councils the requester holds roles in (every council for the platform administrator)."""
    return paginate(_my_councils(request_user(request)), page)


@router.get("/c/{council_slug}", response={200: CouncilOut, **ERROR_RESPONSES}, tags=["councils"])
def council_detail(request: HttpRequest, council_slug: CouncilSlug) -> dict[str, Any]:
    """The council, its current term, and the requester's roles and permissions in it."""
    actor = council_actor(request, council_slug, perm=None)
    council: Council = actor.council
    return {
        "slug": council.slug,
        "name": council.name,
        "level": council.level,
        "region_code": council.region_code,
        "parent_slug": council.parent.slug if council.parent else None,
        "current_term": term_out(current_term(council)),
        "roles": sorted(actor.roles),
        "permissions": sorted(actor.permissions),
    }


@router.get("/c/{council_slug}/units", response={200: Page[UnitOut], **ERROR_RESPONSES}, tags=["structure"])
def list_units(request: HttpRequest, council_slug: CouncilSlug, page: Query[PageQuery]) -> dict[str, Any]:
    """The council's handling units (承办单位)."""
    actor = council_actor(request, council_slug)
    rows = bodies_of(actor.council, HandlingUnit)
    return paginate(rows, page, _unit)


def _unit(unit: HandlingUnit) -> dict[str, Any]:
    return {**body_out(unit), "short_name": unit.short_name, "contact_phone": unit.contact_phone}


@router.get(
    "/c/{council_slug}/units/{unit_id}", response={200: UnitOut, **ERROR_RESPONSES}, tags=["structure"]
)
def unit_detail(request: HttpRequest, council_slug: CouncilSlug, unit_id: ObjectId) -> dict[str, Any]:
    actor = council_actor(request, council_slug)
    return _unit(access_unit(actor, unit_id))


@router.get("/c/{council_slug}/groups", response={200: Page[GroupOut], **ERROR_RESPONSES}, tags=["structure"])
def list_groups(request: HttpRequest, council_slug: CouncilSlug, page: Query[PageQuery]) -> dict[str, Any]:
    """The council's standing member groups."""
    actor = council_actor(request, council_slug)
    rows = bodies_of(actor.council, MemberGroup)
    return paginate(rows, page, lambda g: {**body_out(g), "kind": g.kind})


@router.get("/c/{council_slug}/sectors", response={200: Page[BodyOut], **ERROR_RESPONSES}, tags=["structure"])
def list_sectors(request: HttpRequest, council_slug: CouncilSlug, page: Query[PageQuery]) -> dict[str, Any]:
    """The council's sectors (界别)."""
    actor = council_actor(request, council_slug)
    rows = bodies_of(actor.council, Sector)
    return paginate(rows, page, body_out)


@router.get(
    "/c/{council_slug}/affiliations", response={200: Page[BodyOut], **ERROR_RESPONSES}, tags=["structure"]
)
def list_affiliations(
    request: HttpRequest, council_slug: CouncilSlug, page: Query[PageQuery]
) -> dict[str, Any]:
    """The council's parties and organisations (党派团体)."""
    actor = council_actor(request, council_slug)
    rows = bodies_of(actor.council, Affiliation)
    return paginate(rows, page, body_out)
