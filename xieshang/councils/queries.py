"""Reads of the council's own records, always scoped by the acting council."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, overload

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from xieshang.accounts.models import User
from xieshang.core.models import CalendarOverride, Event, Notification
from xieshang.core.pinyin import search_text
from xieshang.councils.models import (
    Council,
    CouncilRole,
    CouncilSetting,
    HandlingUnit,
    Instruction,
    Member,
    MemberGroup,
    NamedBody,
    OversightOffice,
    Role,
    Sector,
    Session,
    Term,
)
from xieshang.councils.roles import Actor, Perm
from xieshang.councils.settings_catalog import SPECS, SPECS_BY_KEY, SettingSpec


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


# Who may search the council's members in the person picker: those who see
# the roster, and members choosing cosigners for their proposals.
PICKER_PERMS = (Perm.VIEW_MEMBERS, Perm.FILE_PROPOSALS)
PICKER_PAGE = 20


def may_pick_members(actor: Actor) -> bool:
    return any(actor.has(perm) for perm in PICKER_PERMS)


@dataclass(frozen=True)
class PickerPage:
    members: list[Member]
    more: bool


def pick_members(
    actor: Actor, text: str, *, page: int = 1, term_id: int | None = None, exclude: Iterable[int] = ()
) -> PickerPage:
    """One page of the actor's council's seated members whose name, pinyin,
    initials (core.pinyin), sector or group matches text, by name. Nobody
    for an actor who may not pick members."""
    if not may_pick_members(actor):
        return PickerPage([], False)
    rows = Member.objects.filter(council=actor.council, is_active=True).exclude(pk__in=list(exclude))
    if term_id is not None:
        rows = rows.filter(term_id=term_id)
    text = text.strip()
    if text:
        match = Q(full_name__icontains=text) | Q(sector__name__icontains=text)
        match |= Q(
            pk__in=Member.groups.through.objects.filter(membergroup__name__icontains=text).values("member_id")
        )
        if key := search_text(text):
            match |= Q(search_key__contains=key)
        rows = rows.filter(match)
    start = (max(page, 1) - 1) * PICKER_PAGE
    found = list(rows.select_related("sector").order_by("full_name", "id")[start : start + PICKER_PAGE + 1])
    return PickerPage(found[:PICKER_PAGE], len(found) > PICKER_PAGE)


def access_member(actor: Actor, member_id: int) -> Member:
    """The member with this id in the actor's council, or Http404 (also when
    the actor may not see members at all)."""
    member = members_for(actor).filter(pk=member_id).first()
    if member is None:
        raise Http404
    return member


def bodies_of[B: NamedBody](council: Council, model: type[B], *, active_only: bool = False) -> QuerySet[B]:
    """The council's bodies of one kind (units, sectors, categories …) in
    their order; only the active ones, to choose from, with active_only."""
    rows = model._default_manager.filter(council=council)
    if active_only:
        rows = rows.filter(is_active=True)
    return rows.order_by("sort_order", "name", "id")


def active_members(council: Council) -> QuerySet[Member]:
    """The council's seated members, by name: the members to choose from."""
    return Member.objects.filter(council=council, is_active=True).order_by("full_name")


def inbox_of(actor: Actor) -> QuerySet[Notification]:
    """The actor's own messages in their council, newest first."""
    rows = Notification.objects.filter(recipient=actor.user, council=actor.council)
    return rows.order_by("-created_at", "-id")


def access_notification(actor: Actor, notification_id: int) -> Notification:
    """One of the actor's own messages in their council; anyone else's, or
    none, is Http404."""
    notification = inbox_of(actor).filter(pk=notification_id).first()
    if notification is None:
        raise Http404
    return notification


def seated_member_users(council: Council) -> QuerySet[User]:
    """The logins of the council's seated members."""
    seated = Member.objects.filter(council=council, is_active=True, user__isnull=False)
    return User.objects.filter(pk__in=seated.values("user_id"))


def users_with_role(council: Council, role: str) -> QuerySet[User]:
    """The users holding role in council."""
    holders = CouncilRole.objects.filter(council=council, role=role).values("user_id")
    return User.objects.filter(pk__in=holders)


def has_terms(council: Council) -> bool:
    return Term.objects.filter(council=council).exists()


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


# ---- The ids a request names, resolved to this council's rows ----


def _this_councils[M: models.Model](actor: Actor, rows: type[M] | QuerySet[M]) -> QuerySet[M]:
    """rows narrowed to the actor's council: rows with its council, or, for
    users, those holding a role in it."""
    queryset = rows._default_manager.all() if isinstance(rows, type) else rows
    if queryset.model is User:
        return queryset.filter(pk__in=CouncilRole.objects.filter(council=actor.council).values("user_id"))
    try:
        field = queryset.model._meta.get_field("council")
    except FieldDoesNotExist:
        field = None
    if field is None or field.related_model is not Council:
        raise TypeError(f"{queryset.model.__name__} rows do not belong to one council")
    return queryset.filter(council=actor.council)


def council_rows[M: models.Model](
    actor: Actor,
    rows: type[M] | QuerySet[M],
    ids: Iterable[int],
    *,
    field: str | None = None,
    message: str | None = None,
) -> list[M]:
    """The rows with these ids, in the order first given and each once, among
    rows (a model, or a narrower queryset of one) of the actor's council: for a
    model with a council, its rows in the actor's council; for users, those
    holding a role there.

    An id that is missing, another council's or outside rows raises the same
    error for all, so that no answer tells whether another council's row
    exists: a ValidationError on field (an id in the request's body, with
    message or a general one), or Http404 without field (an id in the URL).
    """
    wanted = list(dict.fromkeys(ids))
    found = {row.pk: row for row in _this_councils(actor, rows).filter(pk__in=wanted)}
    if len(found) != len(wanted):
        if field is None:
            raise Http404
        raise ValidationError({field: message or _("Choose among this council's own entries.")})
    return [found[pk] for pk in wanted]


@overload
def council_row[M: models.Model](
    actor: Actor,
    rows: type[M] | QuerySet[M],
    pk: int,
    *,
    field: str | None = None,
    message: str | None = None,
) -> M: ...
@overload
def council_row[M: models.Model](
    actor: Actor,
    rows: type[M] | QuerySet[M],
    pk: None,
    *,
    field: str | None = None,
    message: str | None = None,
) -> None: ...
def council_row[M: models.Model](
    actor: Actor,
    rows: type[M] | QuerySet[M],
    pk: int | None,
    *,
    field: str | None = None,
    message: str | None = None,
) -> M | None:
    """One row by council_rows; None (nothing named) stays None."""
    return None if pk is None else council_rows(actor, rows, [pk], field=field, message=message)[0]


def lower_council(actor: Actor, pk: int, *, field: str) -> Council:
    """The active council directly below the actor's with this id, or a
    ValidationError on field, the same for any other council."""
    council = Council.objects.filter(pk=pk, parent=actor.council, is_active=True).first()
    if council is None:
        raise ValidationError({field: _("Choose one of this council's lower councils.")})
    return council


def parent_council(actor: Actor, slug: str, *, field: str) -> Council:
    """The actor's parent council when slug names it, else a ValidationError
    on field, the same for any other council and for none."""
    parent = actor.council.parent
    if parent is None or parent.slug != slug:
        raise ValidationError({field: _("Reports go upward to this council's parent council only.")})
    return parent


def members_per_sector(council: Council) -> list[dict[str, Any]]:
    """Seated members per sector: the aggregate upper councils may read."""
    rows = (
        Sector.objects.filter(council=council)
        .annotate(count=Count("member", filter=Q(member__is_active=True)))
        .values("name", "count")
        .order_by("sort_order", "name")
    )
    return [dict(row) for row in rows]


# ---- Council administration: structure, roles, settings, calendar, tree ----


def access_term(actor: Actor, term_id: int) -> Term:
    term = Term.objects.filter(council=actor.council, pk=term_id).first()
    if term is None:
        raise Http404
    return term


def access_session(actor: Actor, session_id: int) -> Session:
    session = Session.objects.filter(council=actor.council, pk=session_id).select_related("term").first()
    if session is None:
        raise Http404
    return session


def session_years(council: Council) -> list[int]:
    """The years of the council's sessions, newest first (a few rows, however
    many proposals there are)."""
    years = Session.objects.filter(council=council).values_list("year", flat=True)
    return sorted(set(years), reverse=True)


def terms_with_sessions(council: Council) -> list[Term]:
    """The council's terms, newest first, each with its sessions prefetched."""
    return list(
        Term.objects.filter(council=council).prefetch_related(
            Prefetch("sessions", queryset=Session.objects.order_by("number"))
        )
    )


def bodies_with_people[B: NamedBody](
    council: Council, model: type[B], *, people_role: str | None
) -> QuerySet[B]:
    """Every body of one kind, active ones first; units and oversight offices
    with their people counted (as `people`)."""
    rows: QuerySet[Any] = bodies_of(council, model)
    if people_role == Role.UNIT_LIAISON:
        rows = rows.annotate(people=Count("liaisons"))
    elif people_role == Role.OVERSIGHT:
        rows = rows.annotate(people=Count("users"))
    return rows.order_by("-is_active", "sort_order", "name")


def roles_by_council(user: User) -> dict[int, list[str]]:
    """council id → the roles user holds there, for every council they have one in."""
    roles: dict[int, set[str]] = {}
    for council_id, role in CouncilRole.objects.filter(user=user).values_list("council_id", "role"):
        roles.setdefault(council_id, set()).add(role)
    return {council_id: sorted(names) for council_id, names in roles.items()}


def council_admins(council: Council) -> QuerySet[CouncilRole]:
    """The council's administrators, by name (for the platform administrator)."""
    return (
        CouncilRole.objects.filter(council=council, role=Role.COUNCIL_ADMIN)
        .select_related("user")
        .order_by("user__full_name", "user__username")
    )


def access_body[B: NamedBody](actor: Actor, model: type[B], body_id: int) -> B:
    """A named body (sector, unit …) of the actor's council, or Http404."""
    body = model.objects.filter(council=actor.council, pk=body_id).first()  # type: ignore[attr-defined]
    if body is None:
        raise Http404
    return body  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Reference:
    """Rows of one kind that point at an object (and keep it from deletion)."""

    label: str
    count: int


def references_to(obj: models.Model) -> list[Reference]:
    """Every kind of row that points at obj, with counts; empty when obj may be
    deleted. Reads the model's reverse relations, so relations added by other
    apps are counted too."""
    found = []
    for relation in obj._meta.related_objects:
        related = relation.related_model
        # Filtering the other side by its field works for foreign keys and
        # many-to-many alike, also where the relation has no reverse accessor.
        count = related._default_manager.filter(**{relation.field.name: obj}).count()  # type: ignore[union-attr]
        if count:
            found.append(Reference(label=str(related._meta.verbose_name_plural), count=count))  # type: ignore[union-attr]
    return found


def council_roles(council: Council) -> list[CouncilRole]:
    """Every role held in council, with user and organisation, by role then name."""
    order = {value: index for index, value in enumerate(Role.values)}
    rows = list(
        CouncilRole.objects.filter(council=council).select_related(
            "user", "handling_unit", "oversight_office"
        )
    )
    rows.sort(key=lambda r: (order.get(r.role, 99), r.user.full_name or r.user.username, r.pk))
    return rows


def access_council_role(actor: Actor, role_id: int) -> CouncilRole:
    row = CouncilRole.objects.filter(council=actor.council, pk=role_id).select_related("user").first()
    if row is None:
        raise Http404
    return row


def access_council_user(actor: Actor, user_id: int) -> User:
    """An account that holds a role in the actor's council; 404 otherwise."""
    user = User.objects.filter(pk=user_id, council_roles__council=actor.council).distinct().first()
    if user is None:
        raise Http404
    return user


def people_of(body: HandlingUnit | OversightOffice) -> list[CouncilRole]:
    """The liaisons of a handling unit, or the users of an oversight office."""
    rows = CouncilRole.objects.filter(council_id=body.council_id).select_related("user")
    if isinstance(body, HandlingUnit):
        rows = rows.filter(handling_unit=body)
    else:
        rows = rows.filter(oversight_office=body)
    return list(rows.order_by("user__full_name", "user__username"))


@dataclass(frozen=True)
class SettingState:
    """One setting of one council: its spec, the value for all years, and the
    years with a value of their own."""

    spec: SettingSpec
    value: Any
    is_default: bool
    year_values: dict[int, Any]


def settings_overview(council: Council) -> list[SettingState]:
    """Every catalogue setting with the council's current values (one query)."""
    newest: dict[tuple[str, int | None], CouncilSetting] = {}
    for row in CouncilSetting.objects.filter(council=council).order_by("-changed_at", "-id"):
        newest.setdefault((row.key, row.year), row)
    states = []
    for spec in SPECS:
        base = newest.get((spec.key, None))
        is_default = base is None or base.is_reset
        years = {
            year: row.value
            for (key, year), row in sorted(newest.items(), key=lambda item: item[0][1] or 0)
            if key == spec.key and year is not None and not row.is_reset
        }
        states.append(
            SettingState(
                spec=spec,
                value=spec.default if is_default else base.value,  # type: ignore[union-attr]
                is_default=is_default,
                year_values=years,
            )
        )
    return states


def setting_history(council: Council, key: str) -> QuerySet[Event]:
    """Changes of one setting in council, newest first (events of the rows)."""
    return (
        Event.objects.filter(
            council=council,
            content_type=ContentType.objects.get_for_model(CouncilSetting),
            type__in=("setting.changed", "setting.reset"),
            data__key=key,
        )
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


def calendar_overrides(council: Council, *, since: dt.date) -> QuerySet[CalendarOverride]:
    return CalendarOverride.objects.filter(council=council, date__gte=since).order_by("date")


def access_calendar_override(actor: Actor, override_id: int) -> CalendarOverride:
    row = CalendarOverride.objects.filter(council=actor.council, pk=override_id).first()
    if row is None:
        raise Http404
    return row


def council_and_lower(council: Council) -> list[Council]:
    """council first, then its active lower councils (children and theirs), by
    level and name."""
    lower = Council.objects.filter(
        Q(parent=council) | Q(parent__parent=council), is_active=True
    ).select_related("parent")
    return [council, *sorted(lower, key=lambda c: (c.parent_id != council.pk, c.level, c.name))]


@dataclass(frozen=True)
class SectorCounts:
    """Seated members per sector name, and in total, for one council."""

    council: Council
    per_sector: dict[str, int]
    total: int


def members_per_sector_of(councils: list[Council]) -> list[SectorCounts]:
    """Seated members per sector for each council, in two queries; members
    without a sector count in the total only."""
    ids = [c.pk for c in councils]
    per: dict[int, dict[str, int]] = {pk: {} for pk in ids}
    sectors = (
        Sector.objects.filter(council_id__in=ids)
        .annotate(count=Count("member", filter=Q(member__is_active=True)))
        .order_by("sort_order", "name")
        .values_list("council_id", "name", "count")
    )
    for council_id, name, count in sectors:
        per[council_id][name] = count
    totals = dict(
        Member.objects.filter(council_id__in=ids, is_active=True)
        .values("council_id")
        .annotate(n=Count("id"))
        .values_list("council_id", "n")
    )
    return [SectorCounts(council=c, per_sector=per[c.pk], total=totals.get(c.pk, 0)) for c in councils]


def council_forest() -> list[Council]:
    """Every province with its cities and their counties prefetched (inactive
    ones included), for the platform's council tree."""
    counties = Prefetch("children", queryset=Council.objects.order_by("name"))
    cities = Prefetch("children", queryset=Council.objects.order_by("name").prefetch_related(counties))
    return list(Council.objects.filter(parent__isnull=True).order_by("name").prefetch_related(cities))


def instructions_of_year(council: Council, year: int) -> QuerySet[Instruction]:
    """Every leader's instruction (批示) recorded in the council in a year,
    whatever it is on, in one query; join a subject's table (e.g.
    select_related("reportinstruction")) to know what each is on."""
    return (
        Instruction.objects.filter(council=council, instructed_on__year=year)
        .select_related("office")
        .order_by("instructed_on", "id")
    )
