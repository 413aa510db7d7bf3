"""Inspections recorded on a phone: the target, the date, announced or
unannounced (明察 / 暗访), the participants, the findings with photos, and
the problems found, each with the body responsible."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.attachments import attach, attachments_of, store_upload
from xieshang.core.errors import require
from xieshang.core.events import audit_only, history
from xieshang.core.uploads import IMAGES, strip_photo_metadata, validate_upload
from xieshang.councils.models import HandlingUnit, Member, MemberGroup
from xieshang.councils.queries import get_setting
from xieshang.councils.roles import Actor
from xieshang.supervision import permissions as can
from xieshang.supervision.actions.campaigns import ensure_open
from xieshang.supervision.actions.common import own_row, raise_if, text_errors
from xieshang.supervision.models import (
    Inspection,
    InspectionRound,
    Problem,
    SupervisionCampaign,
    SupervisionTarget,
    TargetAssignment,
)
from xieshang.supervision.queries import in_assigned_group
from xieshang.supervision.states import EventType

MAX_PHOTOS = 9
MAX_PROBLEMS = 20


@dataclass(frozen=True)
class ProblemData:
    description: str
    handling_unit: HandlingUnit | None


@dataclass(frozen=True)
class InspectionData:
    target: SupervisionTarget | None
    inspected_on: dt.date
    is_unannounced: bool
    participants: Sequence[Member]
    findings: str
    problems: Sequence[ProblemData] = ()
    photos: Sequence[File] = field(default_factory=tuple)
    round: InspectionRound | None = None


def _check(actor: Actor, campaign: SupervisionCampaign, data: InspectionData, today: dt.date) -> None:
    errors: dict[str, str] = {}
    if data.target is None or data.target.campaign_id != campaign.pk:
        errors["target"] = _("Choose a target of this campaign.")
    if data.inspected_on > today:
        errors["inspected_on"] = _(
            "An inspection is recorded after it took place; the date is in the future."
        )
    elif not campaign.starts_on <= data.inspected_on <= campaign.ends_on:
        errors["inspected_on"] = _("The date lies outside the campaign's dates.")
    if not data.participants:
        errors["participants"] = _("Name the members who took part.")
    elif any(not own_row(actor.council, m) or not m.is_active for m in data.participants):
        errors["participants"] = _("Choose seated members of this council.")
    text_errors(errors, "findings", data.findings, limit=3000, missing=_("Write what was found."))
    if data.round is not None and data.round.campaign_id != campaign.pk:
        errors["round"] = _("Choose a round of this campaign.")
    if len(data.photos) > MAX_PHOTOS:
        errors["photos"] = _("At most %(n)s photos per inspection.") % {"n": MAX_PHOTOS}
    if len(data.problems) > MAX_PROBLEMS:
        errors["problems"] = _("At most %(n)s problems per inspection.") % {"n": MAX_PROBLEMS}
    for position, problem in enumerate(data.problems, start=1):
        if not problem.description.strip() or len(problem.description) > 500:
            errors[f"problem_{position}"] = _("Describe problem %(n)s in at most 500 characters.") % {
                "n": position
            }
        elif not own_row(actor.council, problem.handling_unit):
            errors[f"problem_{position}"] = _("Choose the handling unit responsible for problem %(n)s.") % {
                "n": position
            }
    raise_if(errors)


def clean_photos(actor: Actor, photos: Sequence[File]) -> list[ContentFile]:
    """Each photo inspected (a real JPG or PNG, within the size limit, no
    decompression bomb) and stripped of its metadata, the location kept only
    where the council allows. Raise ValidationError on "photos" naming the
    photo and what is wrong with it."""
    limit = int(get_setting(actor.council, "supervision_photo_max_mb")) * 1024 * 1024
    keep_gps = bool(get_setting(actor.council, "supervision_photo_keep_gps"))
    cleaned = []
    for photo in photos:
        try:
            validate_upload(photo, allowed_kinds=IMAGES, max_bytes=limit)
            cleaned.append(strip_photo_metadata(photo, keep_gps=keep_gps))
        except ValidationError as error:
            message = _("Photo «%(name)s»: %(problem)s") % {
                "name": (photo.name or "")[:60],
                "problem": " ".join(error.messages),
            }
            raise ValidationError({"photos": message}) from error
    return cleaned


def _group_for(target: SupervisionTarget, participants: Sequence[Member]) -> MemberGroup | None:
    """The assigned group the participants belong to, if any."""
    ids = [m.pk for m in participants]
    assignment = (
        TargetAssignment.objects.filter(target=target, group__members__in=ids).select_related("group").first()
    )
    return assignment.group if assignment else None


@transaction.atomic
def record_inspection(
    campaign: SupervisionCampaign, *, actor: Actor, data: InspectionData, today: dt.date | None = None
) -> Inspection:
    """Record an inspection with its photos and problems.

    Raise PermissionDenied unless staff or a member of a group assigned to
    the target; InvalidTransition when the campaign is concluded;
    ValidationError for a target of another campaign, a future date, no
    participants or findings, a bad photo or an incomplete problem. Nothing
    is stored then."""
    today = today or timezone.localdate()
    ensure_open(campaign)
    if data.target is None or data.target.campaign_id != campaign.pk:
        raise_if({"target": _("Choose a target of this campaign.")})
    assert data.target is not None
    require(
        can.can_inspect(actor, campaign, in_assigned_group=in_assigned_group(actor, data.target)),
        _("Only staff or a member of a group assigned to the target can record its inspection."),
    )
    _check(actor, campaign, data, today)
    photos = clean_photos(actor, data.photos)
    inspection = Inspection.objects.create(
        council=actor.council,
        campaign=campaign,
        target=data.target,
        round=data.round,
        group=_group_for(data.target, data.participants),
        inspected_on=data.inspected_on,
        year=data.inspected_on.year,
        is_unannounced=data.is_unannounced,
        findings=data.findings.strip(),
        recorded_by=actor.user,
    )
    inspection.participants.set(list(data.participants))
    Problem.objects.bulk_create(
        Problem(
            council=actor.council,
            inspection=inspection,
            target=data.target,
            description=problem.description.strip(),
            handling_unit=problem.handling_unit,
        )
        for problem in data.problems
    )
    for photo in photos:
        stored = store_upload(
            photo, council=actor.council, user=actor.user, allowed_kinds=IMAGES, purpose="inspection"
        )
        attach(stored, inspection)
    history(
        inspection,
        EventType.INSPECTION_RECORDED,
        actor,
        target=data.target.code,
        unannounced=data.is_unannounced,
        problems=len(data.problems),
        photos=len(photos),
    )
    return inspection


@transaction.atomic
def add_inspection_photo(inspection: Inspection, *, actor: Actor, photo: File) -> Inspection:
    """Add a photo to an inspection (the API sends photos one by one after
    the inspection). Raise PermissionDenied unless staff or the member who
    recorded it, InvalidTransition when the campaign is concluded,
    ValidationError for a bad photo or one too many."""
    inspection = Inspection.objects.select_for_update().select_related("campaign").get(pk=inspection.pk)
    ensure_open(inspection.campaign)
    require(
        can.is_staff(actor) or inspection.recorded_by_id == actor.user.pk,
        _("Only staff or the member who recorded the inspection can add its photos."),
    )
    if attachments_of(inspection).count() >= MAX_PHOTOS:
        raise_if({"photos": _("At most %(n)s photos per inspection.") % {"n": MAX_PHOTOS}})
    (cleaned,) = clean_photos(actor, [photo])
    stored = store_upload(
        cleaned, council=actor.council, user=actor.user, allowed_kinds=IMAGES, purpose="inspection"
    )
    attach(stored, inspection)
    audit_only("supervision.photo_added", actor, inspection, name=stored.original_name)
    return inspection
