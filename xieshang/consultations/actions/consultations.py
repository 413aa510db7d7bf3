"""Preparing and holding a consultation: details and due dates, participants
(invited by SMS and e-mail when they are not users), materials, research
activities, the notice, holding it, the minutes, closing and cancelling."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.consultations import permissions as can
from xieshang.consultations.actions.common import consultation_url, office_users, same_council
from xieshang.consultations.actions.joint import tell_invited_councils
from xieshang.consultations.delivery import invite_participants
from xieshang.consultations.models import Activity, Consultation, Participant, PlanItem
from xieshang.consultations.queries import minutes_due_date, preparation_due_dates
from xieshang.consultations.states import (
    ActivityKind,
    ConsultationKind,
    ConsultationStatus,
    EventType,
    ParticipantCategory,
    ensure_consultation_transition,
)
from xieshang.core.attachments import DOCUMENTS, attach, attachments_of, store_upload
from xieshang.core.errors import Conflict, require
from xieshang.core.events import history
from xieshang.core.models import Attachment
from xieshang.core.notifications import SMS, notify
from xieshang.core.states import ensure_state
from xieshang.core.versions import check_version, save_new_version
from xieshang.councils.models import HandlingUnit, Member, SpecialCommittee
from xieshang.councils.roles import Actor
from xieshang.themes.actions import themes_named

MATERIALS = "consultation.material"


@dataclass(frozen=True)
class ConsultationDetails:
    kind: str
    topic: str
    starts_at: dt.datetime
    place: str = ""
    description: str = ""
    lead_committee: SpecialCommittee | None = None
    themes: Sequence[str] = field(default_factory=tuple)


def _lock(consultation: Consultation) -> Consultation:
    return (
        Consultation.objects.select_for_update(of=("self",)).select_related("council").get(pk=consultation.pk)
    )


# Consultations are planned for the near past and future; a year outside this
# range is a typing mistake (and would overflow the working-day arithmetic).
FIRST_YEAR = 2000
LAST_YEAR = 2100


def _check_details(actor: Actor, details: ConsultationDetails) -> None:
    errors: dict[str, str] = {}
    if not details.topic.strip():
        errors["topic"] = _("Enter the topic.")
    if details.kind not in ConsultationKind.values:
        errors["kind"] = _("Choose the kind of consultation.")
    if not FIRST_YEAR <= details.starts_at.year <= LAST_YEAR:
        errors["starts_at"] = _("Choose a date between %(first)s and %(last)s.") % {
            "first": FIRST_YEAR,
            "last": LAST_YEAR,
        }
    if errors:
        raise ValidationError(errors)
    same_council(actor, "lead_committee", details.lead_committee)


def _apply_details(consultation: Consultation, details: ConsultationDetails) -> None:
    day = timezone.localtime(details.starts_at).date()
    due = preparation_due_dates(consultation.council, day)
    consultation.kind = details.kind
    consultation.topic = details.topic.strip()[:100]
    consultation.starts_at = details.starts_at
    consultation.year = day.year
    consultation.place = details.place.strip()[:200]
    consultation.description = details.description.strip()
    consultation.lead_committee = details.lead_committee
    consultation.notice_due_on = due.notice_due_on
    consultation.materials_due_on = due.materials_due_on


@transaction.atomic
def create_consultation(
    *, details: ConsultationDetails, actor: Actor, plan_item: PlanItem | None = None
) -> Consultation:
    """Set up a consultation, from a plan item or ad hoc, with its notice and
    materials due dates (working days before the day, per the settings)."""
    require(can.can_create_consultation(actor))
    _check_details(actor, details)
    if plan_item is not None:
        same_council(actor, "plan_item", plan_item)
        if plan_item.is_withdrawn:
            raise ValidationError({"plan_item": _("This item was withdrawn from the plan.")})
    consultation = Consultation(council=actor.council, plan_item=plan_item, created_by=actor.user)
    _apply_details(consultation, details)
    consultation.save()
    names = list(details.themes)
    if plan_item is not None and not names:
        names = [t.name for t in plan_item.themes.all()]
    consultation.themes.set(themes_named(actor, names))
    history(
        consultation,
        EventType.CREATED,
        actor,
        plan_item=plan_item.pk if plan_item else None,
        starts_at=consultation.starts_at.isoformat(),
    )
    return consultation


@transaction.atomic
def update_consultation(
    consultation: Consultation,
    *,
    details: ConsultationDetails,
    actor: Actor,
    expected_version: int | None = None,
) -> Consultation:
    """Change the details until the consultation is held; due dates follow the day."""
    consultation = _lock(consultation)
    check_version(consultation, expected_version)
    ensure_state(consultation.status, {ConsultationStatus.PREPARING, ConsultationStatus.NOTIFIED})
    require(can.can_edit_consultation(actor, consultation))
    _check_details(actor, details)
    moved = consultation.starts_at != details.starts_at
    _apply_details(consultation, details)
    save_new_version(consultation)
    consultation.themes.set(themes_named(actor, details.themes))
    history(
        consultation,
        EventType.UPDATED,
        actor,
        starts_at=consultation.starts_at.isoformat() if moved else None,
    )
    if moved and consultation.status == ConsultationStatus.NOTIFIED:
        notify(
            recipients=_member_users(consultation),
            council=actor.council,
            title=_("Consultation moved: %(topic)s") % {"topic": consultation.topic},
            url=consultation_url(consultation),
            kind="consultations.moved",
            channels=(SMS,),
        )
    return consultation


def _member_users(consultation: Consultation) -> list:  # type: ignore[type-arg]
    return [
        p.member.user
        for p in consultation.participants.select_related("member__user").filter(member__user__isnull=False)
        if p.member is not None
    ]


@transaction.atomic
def add_participant(
    consultation: Consultation,
    *,
    category: str,
    actor: Actor,
    member: Member | None = None,
    handling_unit: HandlingUnit | None = None,
    name: str = "",
    organisation: str = "",
    phone: str = "",
    email: str = "",
) -> Participant:
    """Add a member (by record) or a person recorded with contact details.
    Once the notice is out, the new participant is invited at once."""
    consultation = _lock(consultation)
    require(can.can_edit_consultation(actor, consultation))
    if category not in ParticipantCategory.values:
        raise ValidationError({"category": _("Choose who this participant is.")})
    same_council(actor, "member", member)
    same_council(actor, "handling_unit", handling_unit)
    if category == ParticipantCategory.MEMBER:
        if member is None:
            raise ValidationError({"member": _("Choose the member.")})
        if consultation.participants.filter(member=member).exists():
            raise Conflict(_("%(name)s is already taking part.") % {"name": member.full_name})
        name = member.full_name
        organisation = member.employer_title
        phone = email = ""
    else:
        member = None
        phone = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
        if not name.strip():
            raise ValidationError({"name": _("Enter the participant's name.")})
        if phone and not 7 <= len(phone) <= 16:
            raise ValidationError({"phone": _("Enter a valid mobile number.")})
        if email:
            try:
                validate_email(email)
            except ValidationError as exc:
                raise ValidationError({"email": _("Enter a valid e-mail address.")}) from exc
    participant = Participant.objects.create(
        council=actor.council,
        consultation=consultation,
        category=category,
        member=member,
        handling_unit=handling_unit,
        name=name.strip()[:50],
        organisation=organisation.strip()[:100],
        phone=phone,
        email=email.strip(),
    )
    history(consultation, EventType.PARTICIPANT_ADDED, actor, participant=participant.name, category=category)
    if consultation.status == ConsultationStatus.NOTIFIED:
        _invite(consultation, [participant])
    save_new_version(consultation, update_fields=[])
    return participant


@transaction.atomic
def remove_participant(participant: Participant, *, actor: Actor) -> None:
    consultation = _lock(participant.consultation)
    require(can.can_edit_consultation(actor, consultation))
    if participant.member_id and consultation.speeches.filter(member_id=participant.member_id).exists():
        raise Conflict(_("This member is on the speakers list; remove the speech first."))
    history(consultation, EventType.UPDATED, actor, removed=participant.name)
    participant.delete()
    save_new_version(consultation, update_fields=[])


def _invite(consultation: Consultation, participants: Sequence[Participant]) -> None:
    """Members get the notice in their inbox and by SMS; others by SMS and
    e-mail, from a task after the transaction commits."""
    members = [p.member.user for p in participants if p.member is not None and p.member.user is not None]
    when = timezone.localtime(consultation.starts_at).strftime("%Y-%m-%d %H:%M")
    notify(
        recipients=members,
        council=consultation.council,
        title=_("Consultation notice: %(topic)s") % {"topic": consultation.topic},
        body=_("On %(when)s at %(place)s.") % {"when": when, "place": consultation.place},
        url=consultation_url(consultation),
        kind="consultations.notice",
        channels=(SMS,),
        dedupe_key=f"consultations.notice.{consultation.pk}",
    )
    if any(p.member_id is None for p in participants):
        transaction.on_commit(partial(invite_participants.enqueue, consultation_id=consultation.pk))


@transaction.atomic
def send_notice(consultation: Consultation, *, actor: Actor) -> Consultation:
    """Send the notice to every participant; late notices are still sent and
    shown as late on the page."""
    consultation = _lock(consultation)
    ensure_consultation_transition(consultation.status, ConsultationStatus.NOTIFIED)
    require(can.can_send_notice(actor, consultation))
    participants = list(consultation.participants.select_related("member__user"))
    if not participants:
        raise ValidationError(_("Add the participants before sending the notice."))
    consultation.status = ConsultationStatus.NOTIFIED
    consultation.notice_sent_at = timezone.now()
    save_new_version(consultation, update_fields=["status", "notice_sent_at", "updated_at"])
    history(
        consultation,
        EventType.NOTICE_SENT,
        actor,
        late=timezone.localdate() > consultation.notice_due_on or None,
        participants=len(participants),
    )
    _invite(consultation, participants)
    tell_invited_councils(consultation, step="notice")
    return consultation


@transaction.atomic
def add_materials(consultation: Consultation, *, uploads: Sequence[File], actor: Actor) -> list[Attachment]:
    """Store documents for the consultation (PDF, Word, Excel)."""
    consultation = _lock(consultation)
    require(can.can_edit_consultation(actor, consultation))
    if not uploads:
        raise ValidationError({"material": _("Choose the files to add.")})
    stored = []
    for upload in uploads:
        attachment = store_upload(
            upload, council=actor.council, user=actor.user, allowed_kinds=DOCUMENTS, purpose=MATERIALS
        )
        stored.append(attach(attachment, consultation))
    history(consultation, EventType.UPDATED, actor, materials=[a.original_name for a in stored])
    return stored


@transaction.atomic
def send_materials(consultation: Consultation, *, actor: Actor) -> Consultation:
    """Tell the invited members that the materials are ready to read."""
    consultation = _lock(consultation)
    require(can.can_send_materials(actor, consultation))
    if not attachments_of(consultation).exists():
        raise ValidationError({"material": _("Add the materials before sending them.")})
    consultation.materials_sent_at = timezone.now()
    save_new_version(consultation, update_fields=["materials_sent_at", "updated_at"])
    history(
        consultation,
        EventType.MATERIALS_SENT,
        actor,
        late=timezone.localdate() > consultation.materials_due_on or None,
    )
    notify(
        recipients=_member_users(consultation),
        council=actor.council,
        title=_("Materials for the consultation: %(topic)s") % {"topic": consultation.topic},
        url=consultation_url(consultation),
        kind="consultations.materials",
    )
    tell_invited_councils(consultation, step="materials")
    return consultation


@transaction.atomic
def record_activity(
    consultation: Consultation,
    *,
    kind: str,
    title: str,
    held_on: dt.date,
    members: Sequence[Member],
    actor: Actor,
    place: str = "",
    report: str = "",
) -> Activity:
    """Record pre-consultation research or an inspection with its report and
    the members who took part (each counts in their duty record)."""
    consultation = _lock(consultation)
    require(can.can_record_activity(actor, consultation))
    if kind not in ActivityKind.values:
        raise ValidationError({"kind": _("Choose research or inspection.")})
    if not title.strip():
        raise ValidationError({"title": _("Enter the title.")})
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("Record activities that have taken place.")})
    same_council(actor, "members", *members)
    activity = Activity.objects.create(
        council=actor.council,
        consultation=consultation,
        kind=kind,
        title=title.strip()[:100],
        held_on=held_on,
        place=place.strip()[:200],
        report=report.strip(),
        recorded_by=actor.user,
    )
    activity.members.set(members)
    history(consultation, EventType.ACTIVITY_RECORDED, actor, activity=activity.pk, members=len(members))
    return activity


@transaction.atomic
def mark_held(consultation: Consultation, *, held_on: dt.date, actor: Actor) -> Consultation:
    """Record that the consultation took place; the minutes fall due the
    configured working days after held_on."""
    consultation = _lock(consultation)
    ensure_consultation_transition(consultation.status, ConsultationStatus.HELD)
    require(can.can_mark_held(actor, consultation))
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("A consultation is recorded as held once it has taken place.")})
    if held_on < timezone.localtime(consultation.starts_at).date():
        raise ValidationError(
            {
                "held_on": _(
                    "This is before the consultation's day; if it was brought forward, change its date first."
                )
            }
        )
    consultation.status = ConsultationStatus.HELD
    consultation.held_on = held_on
    consultation.minutes_due_on = minutes_due_date(consultation.council, held_on)
    save_new_version(consultation, update_fields=["status", "held_on", "minutes_due_on", "updated_at"])
    history(consultation, EventType.HELD, actor, held_on=held_on.isoformat())
    return consultation


@transaction.atomic
def send_minutes(consultation: Consultation, *, minutes: str, actor: Actor) -> Consultation:
    """Record the minutes and send them to the party-committee and government
    offices; late minutes are sent too, and stay marked late."""
    consultation = _lock(consultation)
    require(can.can_send_minutes(actor, consultation))
    if not minutes.strip():
        raise ValidationError({"minutes": _("Write the minutes before sending them.")})
    consultation.minutes = minutes.strip()
    consultation.minutes_sent_at = timezone.now()
    save_new_version(consultation, update_fields=["minutes", "minutes_sent_at", "updated_at"])
    due = consultation.minutes_due_on
    history(
        consultation, EventType.MINUTES_SENT, actor, late=bool(due and timezone.localdate() > due) or None
    )
    notify(
        recipients=office_users(actor.council),
        council=actor.council,
        title=_("Minutes of the consultation: %(topic)s") % {"topic": consultation.topic},
        body=consultation.minutes[:500],
        url=consultation_url(consultation),
        kind="consultations.minutes",
    )
    return consultation


@transaction.atomic
def close_consultation(consultation: Consultation, *, actor: Actor) -> Consultation:
    consultation = _lock(consultation)
    ensure_consultation_transition(consultation.status, ConsultationStatus.CLOSED)
    require(can.can_close(actor, consultation))
    consultation.status = ConsultationStatus.CLOSED
    save_new_version(consultation, update_fields=["status", "updated_at"])
    history(consultation, EventType.CLOSED, actor)
    return consultation


@transaction.atomic
def cancel_consultation(consultation: Consultation, *, reason: str, actor: Actor) -> Consultation:
    """Call the consultation off, with a reason the participants are told."""
    consultation = _lock(consultation)
    ensure_consultation_transition(consultation.status, ConsultationStatus.CANCELLED)
    require(can.can_cancel(actor, consultation))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the consultation is cancelled.")})
    was_notified = consultation.status == ConsultationStatus.NOTIFIED
    consultation.status = ConsultationStatus.CANCELLED
    consultation.cancel_reason = reason.strip()[:300]
    save_new_version(consultation, update_fields=["status", "cancel_reason", "updated_at"])
    history(consultation, EventType.CANCELLED, actor, reason=consultation.cancel_reason)
    if was_notified:
        notify(
            recipients=_member_users(consultation),
            council=actor.council,
            title=_("Consultation cancelled: %(topic)s") % {"topic": consultation.topic},
            body=consultation.cancel_reason,
            url=consultation_url(consultation),
            kind="consultations.cancelled",
            channels=(SMS,),
        )
    tell_invited_councils(consultation, step="cancelled")
    return consultation
