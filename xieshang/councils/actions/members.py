"""Writes to members (委员) of a council."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from xieshang.core.audit import audit
from xieshang.core.errors import StaleEdit, require
from xieshang.core.events import record_event
from xieshang.councils.models import Member
from xieshang.councils.roles import Actor, Perm

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


@transaction.atomic
def create_member(*, actor: Actor, data: dict[str, Any]) -> Member:
    """Seat a new member in the actor's council.

    data holds MEMBER_FIELDS plus optional special_committees and groups,
    already validated and scoped to the council by the form.
    Raise PermissionDenied unless actor may manage members.
    """
    require(actor.has(Perm.MANAGE_MEMBERS))
    committees = data.pop("special_committees", [])
    groups = data.pop("groups", [])
    member = Member(council=actor.council, **{k: v for k, v in data.items() if k in MEMBER_FIELDS})
    member.save()
    member.special_committees.set(committees)
    member.groups.set(groups)
    record_event(member, "member.created", council=actor.council, actor=actor.user)
    audit("member.create", user=actor.user, council=actor.council, obj=member)
    return member


@transaction.atomic
def update_member(member: Member, *, actor: Actor, data: dict[str, Any], version: int) -> Member:
    """Change a member's record.

    Raise PermissionDenied unless actor may manage members, and StaleEdit when
    the record changed since the form loaded version.
    """
    require(actor.has(Perm.MANAGE_MEMBERS))
    member = Member.objects.select_for_update().get(pk=member.pk, council=actor.council)
    if member.version != version:
        raise StaleEdit()
    committees = data.pop("special_committees", None)
    groups = data.pop("groups", None)
    changed = []
    for name in MEMBER_FIELDS:
        if name in data and getattr(member, name) != data[name]:
            setattr(member, name, data[name])
            changed.append(name)
    member.version += 1
    member.save()
    if committees is not None:
        member.special_committees.set(committees)
    if groups is not None:
        member.groups.set(groups)
    record_event(member, "member.updated", council=actor.council, actor=actor.user, data={"fields": changed})
    audit("member.update", user=actor.user, council=actor.council, obj=member, data={"fields": changed})
    return member
