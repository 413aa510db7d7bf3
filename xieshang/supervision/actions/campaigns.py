"""Campaigns (专项民主监督): target kinds, the campaign, its targets (typed
or imported from Excel), the groups assigned to them and the rounds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from xieshang.accounts.models import User
from xieshang.core.audit import audit
from xieshang.core.errors import require
from xieshang.core.events import history
from xieshang.core.states import ensure_state
from xieshang.core.versions import check_version, save_new_version
from xieshang.councils.models import Council, HandlingUnit, MemberGroup, MemberGroupKind
from xieshang.councils.roles import Actor
from xieshang.supervision import permissions as can
from xieshang.supervision.actions.common import own_row, raise_if, text_errors
from xieshang.supervision.models import (
    InspectionRound,
    SupervisionCampaign,
    SupervisionTarget,
    TargetAssignment,
    TargetKind,
)
from xieshang.supervision.states import CampaignStatus, EventType, ensure_campaign_transition

DEFAULT_TARGET_KINDS = (
    gettext_noop("river"),
    gettext_noop("street"),
    gettext_noop("market"),
    gettext_noop("construction site"),
)


def create_default_target_kinds(council: Council, *, user: User | None) -> int:
    """Give council the default target kinds when it has none; a second call
    creates nothing. Names are stored in the platform's language, since
    councils edit them as their own text."""
    if TargetKind.objects.filter(council=council).exists():
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        rows = [
            TargetKind(council=council, name=_(name), sort_order=i)
            for i, name in enumerate(DEFAULT_TARGET_KINDS, start=1)
        ]
    TargetKind.objects.bulk_create(rows)
    audit(
        "supervision.default_kinds.create", user=user, council=council, obj=council, data={"kinds": len(rows)}
    )
    return len(rows)


@transaction.atomic
def save_target_kind(
    kind: TargetKind | None, *, actor: Actor, name: str, is_active: bool = True
) -> TargetKind:
    """Add (kind=None) or rename a target kind. Raise PermissionDenied unless
    staff, ValidationError for an empty, long or repeated name."""
    require(can.is_staff(actor))
    errors: dict[str, str] = {}
    text_errors(errors, "name", name, limit=30, missing=_("Name the kind of target."))
    others = TargetKind.objects.filter(council=actor.council, name=name.strip())
    if kind is not None:
        others = others.exclude(pk=kind.pk)
    if "name" not in errors and others.exists():
        errors["name"] = _("This council already has a kind of that name.")
    raise_if(errors)
    if kind is None:
        kind = TargetKind(
            council=actor.council, sort_order=TargetKind.objects.filter(council=actor.council).count() + 1
        )
    kind.name = name.strip()
    kind.is_active = is_active
    kind.save()
    history(kind, EventType.TARGET_KIND_SAVED, actor, name=kind.name)
    return kind


@dataclass(frozen=True)
class CampaignData:
    title: str
    year: int
    starts_on: dt.date
    ends_on: dt.date
    theme: str = ""


def _check_campaign(data: CampaignData) -> None:
    errors: dict[str, str] = {}
    text_errors(errors, "title", data.title, limit=100, missing=_("Give the campaign a title."))
    if len(data.theme) > 2000:
        errors["theme"] = _("At most %(n)s characters.") % {"n": "2,000"}
    if data.ends_on < data.starts_on:
        errors["ends_on"] = _("The campaign cannot end before it starts.")
    if not 2000 <= data.year <= 2100:
        errors["year"] = _("Enter a year between 2000 and 2100.")
    raise_if(errors)


@transaction.atomic
def create_campaign(*, actor: Actor, data: CampaignData) -> SupervisionCampaign:
    """Start a campaign. Raise PermissionDenied unless staff, ValidationError
    for a missing title or an end before the start."""
    require(can.is_staff(actor), _("Only staff can start a supervision campaign."))
    _check_campaign(data)
    campaign = SupervisionCampaign.objects.create(
        council=actor.council,
        title=data.title.strip(),
        theme=data.theme.strip(),
        year=data.year,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        created_by=actor.user,
    )
    history(campaign, EventType.CAMPAIGN_CREATED, actor, title=campaign.title)
    return campaign


def ensure_open(campaign: SupervisionCampaign) -> None:
    """Raise InvalidTransition (naming the state) unless the campaign is under way."""
    ensure_state(campaign.status, [CampaignStatus.OPEN])


def _lock(campaign: SupervisionCampaign) -> SupervisionCampaign:
    return SupervisionCampaign.objects.select_for_update().get(pk=campaign.pk)


@transaction.atomic
def set_campaign_status(
    campaign: SupervisionCampaign, *, actor: Actor, status: str, expected_version: int | None = None
) -> SupervisionCampaign:
    """Conclude an open campaign, or reopen a concluded one.

    Raise PermissionDenied unless staff, InvalidTransition for a move the
    table does not allow, StaleEdit when changed since loaded."""
    campaign = _lock(campaign)
    require(can.is_staff(actor))
    check_version(campaign, expected_version)
    ensure_campaign_transition(campaign.status, status)
    campaign.status = status
    save_new_version(campaign, update_fields=["status"])
    event = EventType.CAMPAIGN_CLOSED if status == CampaignStatus.CLOSED else EventType.CAMPAIGN_REOPENED
    history(campaign, event, actor)
    return campaign


@dataclass(frozen=True)
class TargetData:
    code: str
    name: str
    district: str
    kind: TargetKind | None
    handling_unit: HandlingUnit | None
    latitude: Decimal | None = None
    longitude: Decimal | None = None


def target_errors(council: Council, data: TargetData) -> dict[str, str]:
    """What is wrong with one target (empty when nothing)."""
    errors: dict[str, str] = {}
    text_errors(errors, "code", data.code, limit=30, missing=_("Give the target's code."))
    text_errors(errors, "name", data.name, limit=100, missing=_("Name the target."))
    text_errors(errors, "district", data.district, limit=50, missing=_("Give the district."))
    if not own_row(council, data.kind):
        errors["kind"] = _("Choose one of this council's kinds of target.")
    if not own_row(council, data.handling_unit):
        errors["handling_unit"] = _("Choose a handling unit of this council as the responsible body.")
    if (data.latitude is None) != (data.longitude is None):
        errors["latitude"] = _("Give both latitude and longitude, or neither.")
    elif (
        data.latitude is not None
        and data.longitude is not None
        and not (-90 <= data.latitude <= 90 and -180 <= data.longitude <= 180)
    ):
        errors["latitude"] = _("Latitude lies between -90 and 90, longitude between -180 and 180.")
    return errors


@transaction.atomic
def add_targets(
    campaign: SupervisionCampaign, *, actor: Actor, targets: Sequence[TargetData]
) -> list[SupervisionTarget]:
    """Add targets to an open campaign, all or none.

    Raise PermissionDenied unless staff, InvalidTransition when the campaign
    is concluded, ValidationError naming each bad target (by position) or a
    code used twice."""
    campaign = _lock(campaign)
    require(can.is_staff(actor))
    ensure_open(campaign)
    problems: dict[str, str] = {}
    taken = set(SupervisionTarget.objects.filter(campaign=campaign).values_list("code", flat=True))
    for position, data in enumerate(targets, start=1):
        errors = target_errors(actor.council, data)
        code = data.code.strip()
        if "code" not in errors and code in taken:
            errors["code"] = _("The code %(code)s is used twice in this campaign.") % {"code": code}
        taken.add(code)
        if errors:
            problems[f"row_{position}"] = " ".join(errors.values())
    raise_if(problems)
    rows = SupervisionTarget.objects.bulk_create(
        SupervisionTarget(
            council=actor.council,
            campaign=campaign,
            kind=data.kind,
            code=data.code.strip(),
            name=data.name.strip(),
            district=data.district.strip(),
            handling_unit=data.handling_unit,
            latitude=data.latitude,
            longitude=data.longitude,
        )
        for data in targets
    )
    history(campaign, EventType.TARGETS_ADDED, actor, count=len(rows))
    return rows


@transaction.atomic
def assign_groups(
    campaign: SupervisionCampaign,
    *,
    actor: Actor,
    group: MemberGroup | None,
    targets: Sequence[SupervisionTarget],
) -> int:
    """Assign a contact group to targets of the campaign; return how many
    assignments are new (assigning again changes nothing).

    Raise PermissionDenied unless staff, InvalidTransition when concluded,
    ValidationError for a group of another kind or council, or a target of
    another campaign."""
    campaign = _lock(campaign)
    require(can.is_staff(actor))
    ensure_open(campaign)
    errors: dict[str, str] = {}
    if not own_row(actor.council, group) or group is None or group.kind == MemberGroupKind.SUPERVISORS:
        errors["group"] = _("Choose a member group of this council.")
    if not targets:
        errors["targets"] = _("Choose at least one target.")
    elif any(t.campaign_id != campaign.pk for t in targets):
        errors["targets"] = _("Choose targets of this campaign.")
    raise_if(errors)
    assert group is not None
    existing = set(
        TargetAssignment.objects.filter(group=group, target__in=targets).values_list("target_id", flat=True)
    )
    new = [t for t in targets if t.pk not in existing]
    TargetAssignment.objects.bulk_create(
        TargetAssignment(council=actor.council, campaign=campaign, group=group, target=t) for t in new
    )
    if new:
        history(campaign, EventType.GROUPS_ASSIGNED, actor, group=group.name, targets=len(new))
    return len(new)


@transaction.atomic
def add_round(
    campaign: SupervisionCampaign, *, actor: Actor, starts_on: dt.date, ends_on: dt.date
) -> InspectionRound:
    """Schedule the campaign's next round. Raise PermissionDenied unless staff,
    InvalidTransition when concluded, ValidationError for an end before the
    start or a round outside the campaign's dates."""
    campaign = _lock(campaign)
    require(can.is_staff(actor))
    ensure_open(campaign)
    if ends_on < starts_on:
        raise_if({"ends_on": _("The round cannot end before it starts.")})
    if starts_on < campaign.starts_on or ends_on > campaign.ends_on:
        raise_if({"starts_on": _("A round lies within the campaign's dates.")})
    number = InspectionRound.objects.filter(campaign=campaign).count() + 1
    row = InspectionRound.objects.create(
        council=actor.council, campaign=campaign, number=number, starts_on=starts_on, ends_on=ends_on
    )
    history(campaign, EventType.ROUND_ADDED, actor, round=number)
    return row
