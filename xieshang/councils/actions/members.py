"""Writes to members (委员) of a council: the roster, member logins, the
Excel import, and the audited reads of personal data (reveal, export)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xieshang.accounts.actions import issue_temporary_password
from xieshang.accounts.models import User
from xieshang.core.audit import audit
from xieshang.core.crypto import blind_index
from xieshang.core.errors import Conflict, require
from xieshang.core.events import record_event
from xieshang.core.versions import check_version, save_new_version
from xieshang.councils.models import CouncilRole, Member, Role
from xieshang.councils.roles import Actor, Perm
from xieshang.councils.roster import RosterRow, build_export

MEMBER_FIELDS = (
    "term",
    "full_name",
    "gender",
    "birth_date",
    "ethnicity",
    "id_number",
    "mobile",
    "affiliation",
    "sector",
    "employer_title",
    "is_standing_committee_member",
    "recommending_body",
    "is_active",
)
# Foreign keys and many-to-many values that must belong to the actor's council.
COUNCIL_SCOPED = ("term", "affiliation", "sector", "special_committees", "groups")
PERSONAL_FIELDS = ("id_number", "mobile")


class DuplicateMember(Conflict):
    """An ID or mobile number already belongs to a member of the same term."""

    default_message = _("Another member of this term already has this ID or mobile number.")


def _require_same_council(actor: Actor, data: dict[str, Any]) -> None:
    # Forms already limit the choices; this stops a direct caller (API,
    # import, shell) from attaching another council's bodies.
    for name in COUNCIL_SCOPED:
        value = data.get(name)
        values = value if isinstance(value, (list, tuple, set, QuerySet)) else [value]
        for item in values:
            require(item is None or item.council_id == actor.council.pk)


def _seat(actor: Actor, data: dict[str, Any]) -> Member:
    committees = data.pop("special_committees", [])
    groups = data.pop("groups", [])
    member = Member(council=actor.council, **{k: v for k, v in data.items() if k in MEMBER_FIELDS})
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as error:
        raise DuplicateMember() from error
    member.special_committees.set(committees)
    member.groups.set(groups)
    record_event(member, "member.created", council=actor.council, actor=actor.user)
    return member


@transaction.atomic
def create_member(*, actor: Actor, data: dict[str, Any]) -> Member:
    """Seat a new member in the actor's council.

    data holds MEMBER_FIELDS plus optional special_committees and groups,
    already validated by the form. Raise PermissionDenied unless actor may
    manage members or when a chosen body belongs to another council, and
    DuplicateMember when the ID or mobile number is taken in the term.
    """
    require(actor.has(Perm.MANAGE_MEMBERS))
    data = dict(data)
    _require_same_council(actor, data)
    member = _seat(actor, data)
    audit("member.create", user=actor.user, council=actor.council, obj=member)
    return member


@transaction.atomic
def update_member(member: Member, *, actor: Actor, data: dict[str, Any], version: int) -> Member:
    """Change a member's record.

    Raise PermissionDenied unless actor may manage members, StaleEdit when
    the record changed since the form loaded version, and DuplicateMember when
    the new ID or mobile number is taken in the term.
    """
    require(actor.has(Perm.MANAGE_MEMBERS))
    data = dict(data)
    _require_same_council(actor, data)
    member = Member.objects.select_for_update().get(pk=member.pk, council=actor.council)
    check_version(member, version)
    committees = data.pop("special_committees", None)
    groups = data.pop("groups", None)
    changed = []
    for name in MEMBER_FIELDS:
        if name in data and getattr(member, name) != data[name]:
            setattr(member, name, data[name])
            changed.append(name)
    if committees is not None and set(member.special_committees.all()) != set(committees):
        member.special_committees.set(committees)
        changed.append("special_committees")
    if groups is not None and set(member.groups.all()) != set(groups):
        member.groups.set(groups)
        changed.append("groups")
    try:
        with transaction.atomic():
            save_new_version(member)
    except IntegrityError as error:
        raise DuplicateMember() from error
    # Field names only: the history must not copy personal numbers.
    record_event(member, "member.updated", council=actor.council, actor=actor.user, data={"fields": changed})
    audit("member.update", user=actor.user, council=actor.council, obj=member, data={"fields": changed})
    return member


@transaction.atomic
def reveal_personal_data(member: Member, *, actor: Actor, field: str) -> str:
    """Return the member's full ID or mobile number (field is "id_number" or
    "mobile") and record in the audit log who looked.

    Raise PermissionDenied unless actor may view personal data.
    """
    require(actor.has(Perm.VIEW_PERSONAL_DATA))
    if field not in PERSONAL_FIELDS:
        raise ValueError(field)
    require(member.council_id == actor.council.pk)
    audit(
        "member.reveal_personal_data",
        user=actor.user,
        council=actor.council,
        obj=member,
        data={"field": field},
    )
    return str(getattr(member, field))


@transaction.atomic
def export_members(*, actor: Actor, members: QuerySet[Member], filters: dict[str, str]) -> bytes:
    """The Excel export of exactly these members, recorded in the audit log.

    ID and mobile numbers are full only for actors who may view personal
    data. Raise PermissionDenied unless actor may export members.
    """
    require(actor.has(Perm.EXPORT_MEMBERS))
    full = actor.has(Perm.VIEW_PERSONAL_DATA)
    rows = list(
        members.filter(council=actor.council)
        .select_related("term", "sector", "affiliation")
        .prefetch_related("special_committees", "groups")
    )
    content = build_export(rows, full_personal_data=full)
    audit(
        "member.export",
        user=actor.user,
        council=actor.council,
        data={"count": len(rows), "filters": filters, "full_personal_data": full},
    )
    return content


@transaction.atomic
def import_members(*, actor: Actor, rows: Sequence[RosterRow], file_name: str = "") -> int:
    """Seat every checked roster row, or none: one transaction.

    Raise PermissionDenied unless actor may import members (or a row names
    another council's body), and DuplicateMember when a number became taken
    after the file was checked. Return how many members were imported.
    """
    require(actor.has(Perm.IMPORT_MEMBERS))
    for row in rows:
        _require_same_council(actor, row.data)
    for row in rows:
        _seat(actor, dict(row.data))
    audit(
        "member.import",
        user=actor.user,
        council=actor.council,
        data={"count": len(rows), "file": file_name[:200]},
    )
    return len(rows)


@dataclass(frozen=True)
class MemberLogin:
    """The account a member logs in with. temporary_password is set only when
    a new account was made, and is shown once, never stored in clear."""

    user: User
    temporary_password: str
    reused: bool


def _give_login(member: Member, actor: Actor) -> MemberLogin:
    if member.user_id is not None:
        raise Conflict(_("This member already has a login."))
    user = User.objects.filter(mobile_index=blind_index(member.mobile)).first() if member.mobile else None
    password = ""
    reused = user is not None
    if user is None:
        username = f"m{member.pk}"
        if User.objects.filter(username=username).exists():
            username = f"m{member.pk}-{secrets.token_hex(3)}"
        user = User(username=username, full_name=member.full_name, mobile=member.mobile)
        user.set_unusable_password()
        user.save()
        # Must be changed at first login; audited as issued by the actor.
        password = issue_temporary_password(user, issued_by=actor.user)
    member.user = user
    save_new_version(member, update_fields=["user", "updated_at"])
    CouncilRole.objects.get_or_create(
        council=actor.council,
        user=user,
        role=Role.MEMBER,
        handling_unit=None,
        oversight_office=None,
    )
    record_event(
        member, "member.login_created", council=actor.council, actor=actor.user, data={"reused": reused}
    )
    audit(
        "member.create_login",
        user=actor.user,
        council=actor.council,
        obj=member,
        data={"login_user_id": user.pk, "reused": reused},
    )
    return MemberLogin(user=user, temporary_password=password, reused=reused)


@transaction.atomic
def create_member_login(member: Member, *, actor: Actor) -> MemberLogin:
    """Give the member a login and the member role in the actor's council.

    An existing account with the member's mobile number is reused (one
    person may sit on several councils); otherwise a new account gets a
    temporary password, returned once. Raise PermissionDenied unless actor
    may manage members, and Conflict when the member already has a login.
    """
    require(actor.has(Perm.MANAGE_MEMBERS))
    member = Member.objects.select_for_update().get(pk=member.pk, council=actor.council)
    return _give_login(member, actor)


@transaction.atomic
def create_member_with_login(*, actor: Actor, data: dict[str, Any]) -> tuple[Member, MemberLogin]:
    """Seat a new member and give them a login, both or neither (see
    create_member and create_member_login)."""
    member = create_member(actor=actor, data=data)
    return member, _give_login(member, actor)
