"""The shapes of what the councils API accepts and answers."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema

from xieshang.accounts.models import User
from xieshang.core.api import ObjectId, PageQuery, Printable, Slug
from xieshang.core.models import Notification
from xieshang.councils.api.scoping import Context, asking_actor
from xieshang.councils.models import Council, Gender, Member, Term
from xieshang.councils.queries import current_term
from xieshang.councils.roles import Perm

CouncilSlug = Annotated[Slug, Field(description="The council's short name in URLs, e.g. “city”.")]


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


def _parent_slug(council: Council) -> str | None:
    return council.parent.slug if council.parent else None


class MyCouncilOut(Schema):
    # Built from a Council overlaid with the requester's roles in it.
    slug: str
    name: str
    level: str
    parent_slug: str | None
    roles: list[str] = Field(description="The requester's roles in this council.")

    resolve_parent_slug = staticmethod(_parent_slug)


class MeOut(Schema):
    # Built from the User overlaid with their councils.
    id: int
    username: str
    full_name: str
    display_name: str
    is_platform_admin: bool
    councils: list[MyCouncilOut]

    @staticmethod
    def resolve_is_platform_admin(user: User) -> bool:
        return user.is_superuser


class CouncilOut(Schema):
    slug: str
    name: str
    level: str
    region_code: str
    parent_slug: str | None
    current_term: TermOut | None
    roles: list[str] = Field(description="The requester's roles in this council.")
    permissions: list[str] = Field(description="What the requester may do in this council.")

    resolve_parent_slug = staticmethod(_parent_slug)

    @staticmethod
    def resolve_current_term(council: Council) -> Term | None:
        return current_term(council)

    @staticmethod
    def resolve_roles(council: Council, context: Context) -> list[str]:
        return sorted(asking_actor(context).roles)

    @staticmethod
    def resolve_permissions(council: Council, context: Context) -> list[str]:
        return sorted(asking_actor(context).permissions)


def _sees_personal_data(context: Context) -> bool:
    return asking_actor(context).has(Perm.VIEW_PERSONAL_DATA)


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

    # Full ID and mobile numbers only for those who may view personal data;
    # for the others they are never decrypted into the answer.
    @staticmethod
    def resolve_mobile(member: Member, context: Context) -> str:
        return member.mobile if _sees_personal_data(context) else member.masked_mobile

    @staticmethod
    def resolve_id_number(member: Member, context: Context) -> str:
        return member.id_number if _sees_personal_data(context) else member.masked_id_number

    @staticmethod
    def resolve_personal_data_masked(member: Member, context: Context) -> bool:
        return not _sees_personal_data(context)


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

    @staticmethod
    def resolve_is_read(row: Notification) -> bool:
        return row.read_at is not None


class ReadAllOut(Schema):
    marked_read: int
