"""The councils app's HTTP API: who am I, my councils, a council's members,
units, groups, sectors, affiliations, and my messages.

Scoped exactly like the pages: /c/{council_slug}/… resolves the council and
the Actor (404 for missing and forbidden alike), requires a permission (403),
reads through queries.py and writes through the same actions and form rules
as the member pages.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from xieshang.accounts.models import User
from xieshang.core.api import (
    ERROR_RESPONSES,
    WRITE_ERROR_RESPONSES,
    ObjectId,
    Page,
    PageQuery,
    Printable,
    Slug,
    paginate,
    request_user,
)
from xieshang.core.errors import require
from xieshang.core.models import Notification
from xieshang.core.notifications import mark_all_read, mark_read
from xieshang.councils.actions.members import create_member, update_member
from xieshang.councils.forms.members import MemberForm
from xieshang.councils.models import (
    Affiliation,
    Council,
    CouncilRole,
    Gender,
    HandlingUnit,
    Member,
    MemberGroup,
    Sector,
    Term,
)
from xieshang.councils.queries import access_member, access_unit, current_term, members_for
from xieshang.councils.roles import PLATFORM_ADMIN, Actor, Perm
from xieshang.councils.tenancy import councils_of, resolve_council

router = Router()

CouncilSlug = Annotated[Slug, Field(description="The council's short name in URLs, e.g. “city”.")]


def council_actor(request: HttpRequest, council_slug: str, perm: Perm | None = Perm.VIEW_COUNCIL) -> Actor:
    """Resolve the council and the requester's Actor in it (Http404 when the
    council is missing or none of their business), then require perm."""
    _council, actor = resolve_council(request_user(request), council_slug)
    # For the audit entry of a denial.
    request.council = actor.council  # type: ignore[attr-defined]
    if perm is not None:
        require(actor.has(perm))
    return actor


def _roles_by_council(user: User) -> dict[int, list[str]]:
    roles: dict[int, set[str]] = {}
    for council_id, role in CouncilRole.objects.filter(user=user).values_list("council_id", "role"):
        roles.setdefault(council_id, set()).add(role)
    return {council_id: sorted(names) for council_id, names in roles.items()}


# --- Schemas -----------------------------------------------------------------------


class Ref(Schema):
    """A named body of the council (sector, affiliation, committee, group)."""

    id: int
    name: str


class TermOut(Schema):
    id: int
    number: int
    starts_on: dt.date
    ends_on: dt.date
    is_current: bool


class MyCouncilOut(Schema):
    slug: str
    name: str
    level: str
    parent_slug: str | None
    roles: list[str] = Field(description="The requester's roles in this council.")


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    display_name: str
    is_platform_admin: bool
    councils: list[MyCouncilOut]


class CouncilOut(Schema):
    slug: str
    name: str
    level: str
    region_code: str
    parent_slug: str | None
    current_term: TermOut | None
    roles: list[str] = Field(description="The requester's roles in this council.")
    permissions: list[str] = Field(description="What the requester may do in this council.")


class MemberOut(Schema):
    id: int
    term: TermOut
    full_name: str
    gender: str
    birth_date: dt.date | None
    ethnicity: str
    mobile: str = Field(description="Masked (138****1234) unless the requester may view personal data.")
    id_number: str = Field(description="Masked unless the requester may view personal data.")
    personal_data_masked: bool
    affiliation: Ref | None
    sector: Ref | None
    employer_title: str
    is_standing_committee_member: bool
    recommending_body: str
    is_active: bool
    version: int = Field(description="Send it back with a change; a stale version gives 409.")
    created_at: dt.datetime
    updated_at: dt.datetime


class MemberDetailOut(MemberOut):
    special_committees: list[Ref]
    groups: list[Ref]


class MemberFilters(PageQuery):
    term: ObjectId | None = Field(None, description="Term id.")
    sector: ObjectId | None = Field(None, description="Sector id.")
    affiliation: ObjectId | None = Field(None, description="Affiliation id.")
    standing_committee: bool | None = Field(None, description="Only (or no) standing committee members.")
    seated: bool | None = Field(None, description="Only seated (or only departed) members.")
    q: Annotated[str, Field(max_length=50), Printable] | None = Field(None, description="Part of the name.")


Name = Annotated[str, Field(min_length=1, max_length=50), Printable]
IdNumber = Annotated[
    str,
    Field(max_length=24, description="18 characters, the last a digit or X; the check digit counts."),
    Printable,
]
Mobile = Annotated[str, Field(max_length=20, description="11 digits starting with 1."), Printable]
IdList = Annotated[list[ObjectId], Field(max_length=200)]
Text20 = Annotated[str, Field(max_length=20), Printable]
Text100 = Annotated[str, Field(max_length=100), Printable]
Text200 = Annotated[str, Field(max_length=200), Printable]


class MemberIn(Schema):
    """A new member. Ids must belong to the council; term defaults to the current one."""

    full_name: Name
    gender: Gender
    term_id: ObjectId | None = None
    birth_date: dt.date | None = None
    ethnicity: Text20 = ""
    id_number: IdNumber = ""
    mobile: Mobile = ""
    affiliation_id: ObjectId | None = None
    sector_id: ObjectId | None = None
    employer_title: Text200 = ""
    is_standing_committee_member: bool = False
    special_committee_ids: IdList = Field(default_factory=list)
    group_ids: IdList = Field(default_factory=list)
    recommending_body: Text100 = ""
    is_active: bool = True


class MemberPatch(Schema):
    """Changes to a member: only the fields sent change. An empty id_number or
    mobile keeps the stored number (as on the page)."""

    version: int = Field(ge=0, le=2**31 - 1, description="The version the client last read.")
    full_name: Name | None = None
    gender: Gender | None = None
    term_id: ObjectId | None = None
    birth_date: dt.date | None = None
    ethnicity: Text20 | None = None
    id_number: IdNumber | None = None
    mobile: Mobile | None = None
    affiliation_id: ObjectId | None = None
    sector_id: ObjectId | None = None
    employer_title: Text200 | None = None
    is_standing_committee_member: bool | None = None
    special_committee_ids: IdList | None = None
    group_ids: IdList | None = None
    recommending_body: Text100 | None = None
    is_active: bool | None = None


class BodyOut(Schema):
    id: int
    name: str
    sort_order: int
    is_active: bool


class GroupOut(BodyOut):
    kind: str


class UnitOut(BodyOut):
    short_name: str
    contact_phone: str


class NotificationFilters(PageQuery):
    unread: bool | None = Field(None, description="true: only unread; false: only read.")


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    url: str
    kind: str
    created_at: dt.datetime
    read_at: dt.datetime | None
    is_read: bool


class ReadAllOut(Schema):
    marked_read: int


# --- Building outputs --------------------------------------------------------------


def _ref(body: Any) -> dict[str, Any] | None:
    return None if body is None else {"id": body.pk, "name": body.name}


def _term(term: Term | None) -> dict[str, Any] | None:
    if term is None:
        return None
    return {
        "id": term.pk,
        "number": term.number,
        "starts_on": term.starts_on,
        "ends_on": term.ends_on,
        "is_current": term.is_current,
    }


def _member(member: Member, actor: Actor) -> dict[str, Any]:
    """A member as the actor may see it: full ID and mobile numbers only with
    VIEW_PERSONAL_DATA, and never decrypted into the answer otherwise."""
    full = actor.has(Perm.VIEW_PERSONAL_DATA)
    return {
        "id": member.pk,
        "term": _term(member.term),
        "full_name": member.full_name,
        "gender": member.gender,
        "birth_date": member.birth_date,
        "ethnicity": member.ethnicity,
        "mobile": member.mobile if full else member.masked_mobile,
        "id_number": member.id_number if full else member.masked_id_number,
        "personal_data_masked": not full,
        "affiliation": _ref(member.affiliation),
        "sector": _ref(member.sector),
        "employer_title": member.employer_title,
        "is_standing_committee_member": member.is_standing_committee_member,
        "recommending_body": member.recommending_body,
        "is_active": member.is_active,
        "version": member.version,
        "created_at": member.created_at,
        "updated_at": member.updated_at,
    }


def _member_detail(member: Member, actor: Actor) -> dict[str, Any]:
    out = _member(member, actor)
    out["special_committees"] = [_ref(c) for c in member.special_committees.all()]
    out["groups"] = [_ref(g) for g in member.groups.all()]
    return out


def _body(body: Any) -> dict[str, Any]:
    return {"id": body.pk, "name": body.name, "sort_order": body.sort_order, "is_active": body.is_active}


def _notification(row: Notification) -> dict[str, Any]:
    return {
        "id": row.pk,
        "title": row.title,
        "body": row.body,
        "url": row.url,
        "kind": row.kind,
        "created_at": row.created_at,
        "read_at": row.read_at,
        "is_read": row.read_at is not None,
    }


# --- Me and my councils ------------------------------------------------------------


def _my_councils(user: User) -> list[dict[str, Any]]:
    roles = _roles_by_council(user)
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
        "current_term": _term(current_term(council)),
        "roles": sorted(actor.roles),
        "permissions": sorted(actor.permissions),
    }


# --- Members -----------------------------------------------------------------------


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


@router.get("/c/{council_slug}/members", response={200: Page[MemberOut], **ERROR_RESPONSES}, tags=["members"])
def list_members(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[MemberFilters]
) -> dict[str, Any]:
    """The council's members, filtered, by name."""
    actor = council_actor(request, council_slug, Perm.VIEW_MEMBERS)
    return paginate(_filtered_members(actor, filters), filters, lambda m: _member(m, actor))


def _member_with_bodies(actor: Actor, member_id: int) -> Member:
    member = access_member(actor, member_id)
    prefetch_related_objects([member], "special_committees", "groups")
    return member


@router.get(
    "/c/{council_slug}/members/{member_id}",
    response={200: MemberDetailOut, **ERROR_RESPONSES},
    tags=["members"],
)
def member_detail(request: HttpRequest, council_slug: CouncilSlug, member_id: ObjectId) -> dict[str, Any]:
    actor = council_actor(request, council_slug, Perm.VIEW_MEMBERS)
    return _member_detail(_member_with_bodies(actor, member_id), actor)


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
def add_member(request: HttpRequest, council_slug: CouncilSlug, payload: MemberIn) -> Status[dict[str, Any]]:
    """Seat a new member in the council."""
    actor = council_actor(request, council_slug, Perm.MANAGE_MEMBERS)
    data = _validated_member_data(actor, payload.model_dump())
    member = create_member(actor=actor, data=data)
    return Status(201, _member_detail(_member_with_bodies(actor, member.pk), actor))


@router.patch(
    "/c/{council_slug}/members/{member_id}",
    response={200: MemberDetailOut, **WRITE_ERROR_RESPONSES},
    tags=["members"],
)
def change_member(
    request: HttpRequest, council_slug: CouncilSlug, member_id: ObjectId, payload: MemberPatch
) -> dict[str, Any]:
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
    return _member_detail(_member_with_bodies(actor, member.pk), actor)


# --- Structure ---------------------------------------------------------------------


@router.get("/c/{council_slug}/units", response={200: Page[UnitOut], **ERROR_RESPONSES}, tags=["structure"])
def list_units(request: HttpRequest, council_slug: CouncilSlug, page: Query[PageQuery]) -> dict[str, Any]:
    """The council's handling units (承办单位)."""
    actor = council_actor(request, council_slug)
    rows = HandlingUnit.objects.filter(council=actor.council).order_by("sort_order", "name", "id")
    return paginate(rows, page, _unit)


def _unit(unit: HandlingUnit) -> dict[str, Any]:
    return {**_body(unit), "short_name": unit.short_name, "contact_phone": unit.contact_phone}


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
    rows = MemberGroup.objects.filter(council=actor.council).order_by("sort_order", "name", "id")
    return paginate(rows, page, lambda g: {**_body(g), "kind": g.kind})


@router.get("/c/{council_slug}/sectors", response={200: Page[BodyOut], **ERROR_RESPONSES}, tags=["structure"])
def list_sectors(request: HttpRequest, council_slug: CouncilSlug, page: Query[PageQuery]) -> dict[str, Any]:
    """The council's sectors (界别)."""
    actor = council_actor(request, council_slug)
    rows = Sector.objects.filter(council=actor.council).order_by("sort_order", "name", "id")
    return paginate(rows, page, _body)


@router.get(
    "/c/{council_slug}/affiliations", response={200: Page[BodyOut], **ERROR_RESPONSES}, tags=["structure"]
)
def list_affiliations(
    request: HttpRequest, council_slug: CouncilSlug, page: Query[PageQuery]
) -> dict[str, Any]:
    """The council's parties and organisations (党派团体)."""
    actor = council_actor(request, council_slug)
    rows = Affiliation.objects.filter(council=actor.council).order_by("sort_order", "name", "id")
    return paginate(rows, page, _body)


# --- My messages -------------------------------------------------------------------


def _my_notifications(request: HttpRequest, actor: Actor) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=request_user(request), council=actor.council)


@router.get(
    "/c/{council_slug}/notifications",
    response={200: Page[NotificationOut], **ERROR_RESPONSES},
    tags=["notifications"],
)
def list_notifications(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[NotificationFilters]
) -> dict[str, Any]:
    """The requester's own messages in this council, newest first."""
    actor = council_actor(request, council_slug, perm=None)
    rows = _my_notifications(request, actor).order_by("-created_at", "-id")
    if filters.unread is not None:
        rows = rows.filter(read_at__isnull=filters.unread)
    return paginate(rows, filters, _notification)


@router.post(
    "/c/{council_slug}/notifications/read-all",
    response={200: ReadAllOut, **WRITE_ERROR_RESPONSES},
    tags=["notifications"],
)
def read_all_notifications(request: HttpRequest, council_slug: CouncilSlug) -> dict[str, Any]:
    """Mark all of the requester's unread messages in this council read."""
    actor = council_actor(request, council_slug, perm=None)
    return {"marked_read": mark_all_read(user=request_user(request), council=actor.council)}


@router.post(
    "/c/{council_slug}/notifications/{notification_id}/read",
    response={200: NotificationOut, **WRITE_ERROR_RESPONSES},
    tags=["notifications"],
)
def read_notification(
    request: HttpRequest, council_slug: CouncilSlug, notification_id: ObjectId
) -> dict[str, Any]:
    """Mark one of the requester's messages read (someone else's: 404)."""
    actor = council_actor(request, council_slug, perm=None)
    row = _my_notifications(request, actor).filter(pk=notification_id).first()
    if row is None:
        raise Http404
    return _notification(mark_read(row, user=request_user(request)))
