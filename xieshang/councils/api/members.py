"""A council's members: list, read, seat, change."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet, prefetch_related_objects
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from xieshang.core.api import (
    ERROR_RESPONSES,
    WRITE_ERROR_RESPONSES,
    ObjectId,
    Page,
    paginate,
)
from xieshang.core.audit import audit
from xieshang.councils.actions.members import create_member, update_member
from xieshang.councils.api.schemas import (
    CouncilSlug,
    MemberDetailOut,
    MemberFilters,
    MemberIn,
    MemberOut,
    MemberPatch,
)
from xieshang.councils.api.scoping import council_actor
from xieshang.councils.forms.members import MemberForm
from xieshang.councils.models import Member
from xieshang.councils.queries import access_member, current_term, members_for
from xieshang.councils.roles import Actor, Perm

router = Router()


def _filtered_members(actor: Actor, filters: MemberFilters) -> QuerySet[Member]:
    rows = members_for(actor)
    if filters.term is not None:
        rows = rows.filter(term_id=filters.term)
    if filters.sector is not None:
        rows = rows.filter(sector_id=filters.sector)
    if filters.affiliation is not None:
        rows = rows.filter(affiliation_id=filters.affiliation)
    if filters.standing_committee is not None:
        rows = rows.filter(is_standing_committee_member=filters.standing_committee)
    if filters.seated is not None:
        rows = rows.filter(is_active=filters.seated)
    if filters.q and filters.q.strip():
        rows = rows.filter(full_name__icontains=filters.q.strip())
    return rows.order_by("full_name", "id")


def _record_full_numbers_shown(request: HttpRequest, actor: Actor, members: list[Member]) -> None:
    # The pages record who revealed a full ID or mobile number; the API shows
    # them in the answer itself to those who may see them, so it records
    # each answer that carried any, with the members it named.
    shown = [m.pk for m in members if m.id_number or m.mobile]
    if shown and actor.has(Perm.VIEW_PERSONAL_DATA):
        audit(
            "member.personal_data_read",
            user=actor.user,
            council=actor.council,
            data={"member_ids": shown, "via": "api", "path": request.path[:300]},
            request=request,
        )


@router.get("/c/{council_slug}/members", response={200: Page[MemberOut], **ERROR_RESPONSES}, tags=["members"])
def list_members(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[MemberFilters]
) -> dict[str, Any]:
    """The council's members, filtered, by name. ID and mobile numbers are
    masked unless the requester may view personal data (then the answer is
    recorded in the audit log)."""
    actor = council_actor(request, council_slug, Perm.VIEW_MEMBERS)
    page = paginate(_filtered_members(actor, filters), filters)
    _record_full_numbers_shown(request, actor, page["items"])
    return page


def _member_with_bodies(actor: Actor, member_id: int) -> Member:
    member = access_member(actor, member_id)
    prefetch_related_objects([member], "special_committees", "groups")
    return member


@router.get(
    "/c/{council_slug}/members/{member_id}",
    response={200: MemberDetailOut, **ERROR_RESPONSES},
    tags=["members"],
)
def get_member(request: HttpRequest, council_slug: CouncilSlug, member_id: ObjectId) -> Member:
    """One member, with committees and groups; numbers masked as in the list."""
    actor = council_actor(request, council_slug, Perm.VIEW_MEMBERS)
    return _detail_answer(request, actor, member_id)


def _detail_answer(request: HttpRequest, actor: Actor, member_id: int) -> Member:
    member = _member_with_bodies(actor, member_id)
    _record_full_numbers_shown(request, actor, [member])
    return member


# API field name → MemberForm field name, where they differ.
_FORM_NAMES = {
    "term_id": "term",
    "affiliation_id": "affiliation",
    "sector_id": "sector",
    "special_committee_ids": "special_committees",
    "group_ids": "groups",
}
_API_NAMES = {form: api for api, form in _FORM_NAMES.items()}
# Fields a PATCH may not set to null (the others clear with null).
_REQUIRED_ON_PATCH = ("full_name", "gender", "term_id", "ethnicity", "employer_title", "recommending_body")


def _current_form_data(member: Member) -> dict[str, Any]:
    return {
        "full_name": member.full_name,
        "gender": member.gender,
        "birth_date": member.birth_date,
        "ethnicity": member.ethnicity,
        "id_number": "",
        "mobile": "",
        "term": member.term_id,
        "affiliation": member.affiliation_id,
        "sector": member.sector_id,
        "employer_title": member.employer_title,
        "is_standing_committee_member": member.is_standing_committee_member,
        "special_committees": [c.pk for c in member.special_committees.all()],
        "groups": [g.pk for g in member.groups.all()],
        "recommending_body": member.recommending_body,
        "is_active": member.is_active,
        "version": member.version,
    }


def _validated_member_data(
    actor: Actor, changes: dict[str, Any], member: Member | None = None
) -> dict[str, Any]:
    """Run the API input through the member form the pages use (the same
    scoping of every id to the council, number checks and duplicate checks)
    and return what the action receives. Raise ValidationError (400)."""
    data = {} if member is None else _current_form_data(member)
    for name, value in changes.items():
        data[_FORM_NAMES.get(name, name)] = value
    if member is None and data.get("term") is None:
        term = current_term(actor.council)
        data["term"] = term.pk if term is not None else None
    form = MemberForm(data=data, council=actor.council, instance=member)
    if not form.is_valid():
        raise ValidationError(
            {_API_NAMES.get(field, field): errors for field, errors in form.errors.as_data().items()}
        )
    return form.member_data()


@router.post(
    "/c/{council_slug}/members",
    response={201: MemberDetailOut, **WRITE_ERROR_RESPONSES},
    tags=["members"],
)
def add_member(request: HttpRequest, council_slug: CouncilSlug, payload: MemberIn) -> Status[Member]:
    """Seat a new member in the council."""
    actor = council_actor(request, council_slug, Perm.MANAGE_MEMBERS)
    data = _validated_member_data(actor, payload.model_dump())
    member = create_member(actor=actor, data=data)
    return Status(201, _detail_answer(request, actor, member.pk))


@router.patch(
    "/c/{council_slug}/members/{member_id}",
    response={200: MemberDetailOut, **WRITE_ERROR_RESPONSES},
    tags=["members"],
)
def change_member(
    request: HttpRequest, council_slug: CouncilSlug, member_id: ObjectId, payload: MemberPatch
) -> Member:
    """Change some of a member's fields. Send the version you read; when the
    member changed since, nothing is written and the answer is 409."""
    actor = council_actor(request, council_slug, Perm.MANAGE_MEMBERS)
    member = _member_with_bodies(actor, member_id)
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    cleared = [name for name in _REQUIRED_ON_PATCH if name in changes and changes[name] is None]
    if cleared:
        raise ValidationError({name: [_("This field cannot be empty.")] for name in cleared})
    for name in ("special_committee_ids", "group_ids"):
        if name in changes and changes[name] is None:
            changes[name] = []
    data = _validated_member_data(actor, changes, member)
    # Only what the client sent reaches the action, so that an unchanged
    # form value never overwrites a concurrent change it did not mean.
    sent = {_FORM_NAMES.get(name, name) for name in changes}
    if "id_number" in sent and "birth_date" not in sent and "birth_date" in data:
        sent.add("birth_date")  # the form fills it from the ID number
    update_member(member, actor=actor, data={k: v for k, v in data.items() if k in sent}, version=version)
    return _detail_answer(request, actor, member.pk)
