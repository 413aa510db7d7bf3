"""Reads of the council's own records, always scoped by the acting council."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from xieshang.councils.models import (
    Council,
    CouncilSetting,
    HandlingUnit,
    Member,
    MemberGroup,
    Sector,
    Term,
)
from xieshang.councils.roles import Actor, Perm
from xieshang.councils.settings_catalog import SPECS_BY_KEY


def get_setting(council: Council, key: str, *, year: int | None = None) -> Any:
    """The council's value of a setting for year (or for all years), else the
    catalogue default. Unknown keys are a programming error (KeyError)."""
    spec = SPECS_BY_KEY[key]
    rows = CouncilSetting.objects.filter(council=council, key=key)
    if year is not None:
        row = rows.filter(year=year).first()
        if row is not None and not row.is_reset:
            return row.value
    row = rows.filter(year__isnull=True).first()
    return row.value if row is not None and not row.is_reset else spec.default


def current_term(council: Council) -> Term | None:
    return Term.objects.filter(council=council, is_current=True).first()


def members_for(actor: Actor) -> QuerySet[Member]:
    """Members of the actor's council the actor may list. Upper-council staff
    and roles without VIEW_MEMBERS get none: they see aggregates only."""
    if not actor.has(Perm.VIEW_MEMBERS):
        return Member.objects.none()
    return Member.objects.filter(council=actor.council).select_related("affiliation", "sector", "term")


def access_member(actor: Actor, member_id: int) -> Member:
    """The member with this id in the actor's council, or Http404 (also when
    the actor may not see members at all)."""
    member = members_for(actor).filter(pk=member_id).first()
    if member is None:
        raise Http404
    return member


def access_unit(actor: Actor, unit_id: int) -> HandlingUnit:
    unit = HandlingUnit.objects.filter(council=actor.council, pk=unit_id).first()
    if unit is None:
        raise Http404
    return unit


def access_group(actor: Actor, group_id: int) -> MemberGroup:
    group = MemberGroup.objects.filter(council=actor.council, pk=group_id).first()
    if group is None:
        raise Http404
    return group


def members_per_sector(council: Council) -> list[dict[str, Any]]:
    """Seated members per sector: the aggregate upper councils may read."""
    rows = (
        Sector.objects.filter(council=council)
        .annotate(count=Count("member", filter=Q(member__is_active=True)))
        .values("name", "count")
        .order_by("sort_order", "name")
    )
    return [dict(row) for row in rows]
