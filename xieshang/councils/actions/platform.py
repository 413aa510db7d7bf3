"""Writes of the platform administrator: the council tree and each council's
administrators. Only superusers act here; every write is audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

# config is the top layer: its list names what every app gives a new council.
from config.council_setup import COUNCIL_SETUP
from xieshang.accounts.models import User
from xieshang.core.audit import audit
from xieshang.core.errors import Conflict, require
from xieshang.core.events import record_event
from xieshang.councils.actions.roles import create_account_with_role, grant_role
from xieshang.councils.models import Council, CouncilRole, Level, Role
from xieshang.councils.roles import PLATFORM_ADMIN, Actor

# The level each level's parent must have (None: no parent).
PARENT_LEVEL: dict[str, str | None] = {
    Level.PROVINCE: None,
    Level.CITY: Level.PROVINCE,
    Level.COUNTY: Level.CITY,
}


def _check_place(level: str, parent: Council | None) -> None:
    """Raise ValidationError unless parent fits level in the three-level tree."""
    if level not in PARENT_LEVEL:
        raise ValidationError({"level": _("Choose one of the listed levels.")})
    wanted = PARENT_LEVEL[level]
    if wanted is None and parent is not None:
        raise ValidationError({"parent": _("A province council has no parent council.")})
    if wanted == Level.PROVINCE and (parent is None or parent.level != Level.PROVINCE):
        raise ValidationError({"parent": _("A city council's parent must be a province council.")})
    if wanted == Level.CITY and (parent is None or parent.level != Level.CITY):
        raise ValidationError({"parent": _("A county council's parent must be a city council.")})
    if parent is not None and not parent.is_active:
        raise ValidationError({"parent": _("The parent council is deactivated.")})


def _platform_actor(user: User, council: Council) -> Actor:
    require(user.is_superuser)
    return Actor(user=user, council=council, roles=frozenset({PLATFORM_ADMIN}))


@transaction.atomic
def create_council(
    *, user: User, slug: str, name: str, level: str, parent: Council | None, region_code: str = ""
) -> Council:
    """Add a council to the tree, with what every app gives a new council
    (config/council_setup.py).

    Raise PermissionDenied unless user is the platform administrator, and
    ValidationError when slug is not lower-case or taken, the name is taken,
    or the parent does not fit the level (province: none; city: a province;
    county: a city).
    """
    require(user.is_superuser)
    errors = {}
    if slug != slug.lower():
        errors["slug"] = _("Use lower-case letters, digits and hyphens only.")
    elif Council.objects.filter(slug=slug).exists():
        errors["slug"] = _("This short name is already used by another council.")
    if Council.objects.filter(name=name).exists():
        errors["name"] = _("A council with this name exists.")
    if errors:
        raise ValidationError(errors)
    if parent is not None:
        parent = Council.objects.select_for_update().get(pk=parent.pk)
    _check_place(level, parent)
    council = Council.objects.create(
        slug=slug, name=name, level=level, parent=parent, region_code=region_code
    )
    data = {"slug": slug, "name": name, "level": level, "parent": parent.slug if parent else None}
    record_event(council, "council.created", council=council, actor=user, data=data)
    audit("council.create", user=user, council=council, obj=council, data=data)
    for setup in COUNCIL_SETUP:
        setup(council, user=user)
    return council


@transaction.atomic
def update_council(
    council: Council, *, user: User, name: str, level: str, parent: Council | None, region_code: str = ""
) -> Council:
    """Rename a council or move it in the tree (its short name stays: it is in
    every link). Raise PermissionDenied unless user is the platform
    administrator, and ValidationError for a taken name, a parent that does
    not fit the level, or a level change of a council that has lower councils.
    """
    require(user.is_superuser)
    council = Council.objects.select_for_update().get(pk=council.pk)
    if Council.objects.filter(name=name).exclude(pk=council.pk).exists():
        raise ValidationError({"name": _("A council with this name exists.")})
    if parent is not None and parent.pk == council.pk:
        raise ValidationError({"parent": _("A council cannot be its own parent.")})
    _check_place(level, parent)
    if level != council.level and council.children.exists():
        raise ValidationError({"level": _("This council has lower councils; its level cannot change.")})
    before = {"name": council.name, "level": council.level, "parent": council.parent_id}
    council.name, council.level, council.parent, council.region_code = name, level, parent, region_code
    council.save(update_fields=["name", "level", "parent", "region_code"])
    data = {"before": before, "after": {"name": name, "level": level, "parent": council.parent_id}}
    record_event(council, "council.updated", council=council, actor=user, data=data)
    audit("council.update", user=user, council=council, obj=council, data=data)
    return council


@transaction.atomic
def set_council_active(council: Council, *, user: User, is_active: bool) -> Council:
    """Close a council (its pages answer 404; its records stay) or reopen it.

    Raise PermissionDenied unless user is the platform administrator, and
    Conflict when closing a council with open lower councils or reopening one
    whose parent is closed.
    """
    require(user.is_superuser)
    council = Council.objects.select_for_update(of=("self",)).select_related("parent").get(pk=council.pk)
    if council.is_active == is_active:
        return council
    if not is_active and council.children.filter(is_active=True).exists():
        raise Conflict(_("Deactivate this council's lower councils first."))
    if is_active and council.parent is not None and not council.parent.is_active:
        raise Conflict(_("Reactivate the parent council first."))
    council.is_active = is_active
    council.save(update_fields=["is_active"])
    verb = "activated" if is_active else "deactivated"
    record_event(council, f"council.{verb}", council=council, actor=user)
    audit(f"council.{verb[:-1]}", user=user, council=council, obj=council)
    return council


@transaction.atomic
def appoint_council_admin(council: Council, *, user: User, appointee: User) -> CouncilRole:
    """Make appointee an administrator of council.

    Raise PermissionDenied unless user is the platform administrator and
    ValidationError when appointee already administers council.
    """
    return grant_role(actor=_platform_actor(user, council), user=appointee, role=Role.COUNCIL_ADMIN)


@transaction.atomic
def create_council_admin(
    council: Council, *, user: User, username: str, full_name: str, mobile: str = ""
) -> tuple[CouncilRole, str]:
    """Create an account for a new administrator of council. Return the role
    and the temporary password, to be shown once.

    Raise PermissionDenied unless user is the platform administrator and
    ValidationError when the username or mobile number is taken.
    """
    return create_account_with_role(
        actor=_platform_actor(user, council),
        username=username,
        full_name=full_name,
        mobile=mobile,
        role=Role.COUNCIL_ADMIN,
    )
