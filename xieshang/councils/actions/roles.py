"""Writes to who holds which role in a council, and the accounts created for
new role holders (liaisons, oversight users, administrators)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xieshang.accounts.actions import clear_login_failures, issue_temporary_password
from xieshang.accounts.models import User
from xieshang.core.audit import audit
from xieshang.core.crypto import blind_index
from xieshang.core.errors import Conflict, require
from xieshang.core.events import record_event
from xieshang.councils.models import CouncilRole, HandlingUnit, OversightOffice, Role
from xieshang.councils.roles import Actor, Perm


def _check_new_account(username: str, mobile: str) -> None:
    errors = {}
    if User.objects.filter(username=username).exists():
        errors["username"] = _("This username is taken. Link the existing user instead, or choose another.")
    if mobile and User.objects.filter(mobile_index=blind_index(mobile)).exists():
        errors["mobile"] = _("An account with this mobile number exists. Link that user instead.")
    if errors:
        raise ValidationError(errors)


def _check_grant(
    actor: Actor,
    *,
    user: User,
    role: str,
    handling_unit: HandlingUnit | None,
    oversight_office: OversightOffice | None,
) -> None:
    if role not in Role.values:
        raise ValidationError({"role": _("Choose one of the listed roles.")})
    if role == Role.UNIT_LIAISON and handling_unit is None:
        raise ValidationError({"handling_unit": _("A liaison needs the handling unit they answer for.")})
    if role == Role.OVERSIGHT and oversight_office is None:
        raise ValidationError({"oversight_office": _("An oversight user needs their office.")})
    # Organisations from another council are refused outright: the pages never offer them.
    for body in (handling_unit, oversight_office):
        require(body is None or body.council_id == actor.council.pk)
    existing = CouncilRole.objects.filter(council=actor.council, user=user, role=role)
    if role == Role.UNIT_LIAISON:
        existing = existing.filter(handling_unit=handling_unit)
    elif role == Role.OVERSIGHT:
        existing = existing.filter(oversight_office=oversight_office)
    if existing.exists():
        raise ValidationError(_("%(user)s already holds this role.") % {"user": user.display_name})


def _grant(
    actor: Actor,
    *,
    user: User,
    role: str,
    title: str,
    handling_unit: HandlingUnit | None,
    oversight_office: OversightOffice | None,
) -> CouncilRole:
    _check_grant(actor, user=user, role=role, handling_unit=handling_unit, oversight_office=oversight_office)
    row = CouncilRole.objects.create(
        council=actor.council,
        user=user,
        role=role,
        title=title if role == Role.LEADER else "",
        handling_unit=handling_unit if role == Role.UNIT_LIAISON else None,
        oversight_office=oversight_office if role == Role.OVERSIGHT else None,
    )
    data = {
        "user": user.username,
        "role": role,
        "title": row.title,
        "handling_unit": row.handling_unit_id,
        "oversight_office": row.oversight_office_id,
    }
    record_event(row, "role.granted", council=actor.council, actor=actor.user, data=data)
    audit("role.grant", user=actor.user, council=actor.council, obj=row, data=data)
    return row


@transaction.atomic
def grant_role(
    *,
    actor: Actor,
    user: User,
    role: str,
    title: str = "",
    handling_unit: HandlingUnit | None = None,
    oversight_office: OversightOffice | None = None,
) -> CouncilRole:
    """Give user role in the actor's council (a leader with a title such as
    主席, a liaison with their unit, an oversight user with their office).

    Raise PermissionDenied unless actor may manage roles (or the organisation
    belongs to another council), and ValidationError when the role is unknown,
    lacks its organisation, or is held already.
    """
    require(actor.has(Perm.MANAGE_ROLES))
    # Serialise grants to the same user so that the duplicate check holds.
    User.objects.select_for_update().filter(pk=user.pk).first()
    return _grant(
        actor,
        user=user,
        role=role,
        title=title,
        handling_unit=handling_unit,
        oversight_office=oversight_office,
    )


@transaction.atomic
def create_account_with_role(
    *,
    actor: Actor,
    username: str,
    full_name: str,
    mobile: str = "",
    role: str,
    title: str = "",
    handling_unit: HandlingUnit | None = None,
    oversight_office: OversightOffice | None = None,
) -> tuple[CouncilRole, str]:
    """Create a login for a new person and give them role in the actor's
    council. Return the role and the temporary password, which is stored only
    as a hash: show it once and never again.

    Raise PermissionDenied unless actor may manage roles, and ValidationError
    when the username or mobile number is taken (or as grant_role).
    """
    require(actor.has(Perm.MANAGE_ROLES))
    _check_new_account(username, mobile)
    user = User.objects.create_user(username=username, password=None, full_name=full_name, mobile=mobile)
    # A temporary password, to be changed at first login.
    password = issue_temporary_password(user, issued_by=actor.user)
    audit(
        "account.create",
        user=actor.user,
        council=actor.council,
        obj=user,
        data={"username": username, "for_role": role},
    )
    row = _grant(
        actor,
        user=user,
        role=role,
        title=title,
        handling_unit=handling_unit,
        oversight_office=oversight_office,
    )
    return row, password


@transaction.atomic
def revoke_role(row: CouncilRole, *, actor: Actor) -> None:
    """Take a role away from its holder in the actor's council.

    Raise PermissionDenied unless actor may manage roles, and Conflict when an
    administrator would remove their own administrator role while no other
    administrator remains (the council would have nobody to manage it).
    """
    require(actor.has(Perm.MANAGE_ROLES))
    admins = CouncilRole.objects.select_for_update().filter(council=actor.council, role=Role.COUNCIL_ADMIN)
    list(admins)  # lock every admin row: two admins must not remove each other at once
    row = (
        CouncilRole.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=row.pk, council=actor.council)
    )
    if (
        row.role == Role.COUNCIL_ADMIN
        and row.user_id == actor.user.pk
        and not admins.exclude(pk=row.pk).exists()
    ):
        raise Conflict(
            _(
                "You are this council's only administrator. Appoint another administrator "
                "before giving up your own role."
            )
        )
    data = {
        "user": row.user.username,
        "role": row.role,
        "title": row.title,
        "handling_unit": row.handling_unit_id,
        "oversight_office": row.oversight_office_id,
    }
    record_event(row, "role.revoked", council=actor.council, actor=actor.user, data=data)
    audit("role.revoke", user=actor.user, council=actor.council, obj=row, data=data)
    row.delete()


@transaction.atomic
def unlock_account(user: User, *, actor: Actor, request: HttpRequest | None = None) -> None:
    """Lift the login lockout of user, who holds a role in the actor's
    council (their owner can do it too, with a code sent by SMS).

    Raise PermissionDenied unless actor may manage the council's roles and
    user holds one of them.
    """
    require(actor.has(Perm.MANAGE_ROLES))
    require(CouncilRole.objects.filter(council=actor.council, user=user).exists())
    clear_login_failures(user)
    audit(
        "account_unlocked",
        user=actor.user,
        council=actor.council,
        obj=user,
        data={"method": "administrator", "for_user": user.get_username()},
        request=request,
    )
