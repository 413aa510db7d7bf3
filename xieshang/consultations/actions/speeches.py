"""The speakers list: booked speeches (texts submitted beforehand) and
impromptu ones, their order, and the time each actually took."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.consultations import permissions as can
from xieshang.consultations.actions.common import same_council
from xieshang.consultations.models import Consultation, Participant, Speech
from xieshang.consultations.states import EventType, ParticipantCategory, SpeechKind
from xieshang.core.errors import Conflict, require
from xieshang.core.events import history
from xieshang.councils.models import Member
from xieshang.councils.queries import get_setting
from xieshang.councils.roles import Actor, Perm

# Longer than any sitting: a duration beyond it is a typing mistake.
MAX_SPEECH_SECONDS = 4 * 3600


def allotted_seconds(consultation: Consultation, kind: str) -> int:
    key = "booked_speech_minutes" if kind == SpeechKind.BOOKED else "impromptu_speech_minutes"
    return 60 * int(get_setting(consultation.council, key, year=consultation.year))


@transaction.atomic
def add_speech(
    consultation: Consultation,
    *,
    member: Member,
    kind: str,
    title: str,
    actor: Actor,
    text: str = "",
) -> Speech:
    """Put a speech on the speakers list, last. Staff add any member of the
    council (who becomes a participant); an invited member books their own
    speech with its text before the day."""
    consultation = (
        Consultation.objects.select_for_update(of=("self",)).select_related("council").get(pk=consultation.pk)
    )
    by_staff = can.can_arrange_speeches(actor, consultation)
    own = (
        actor.member is not None and member.pk == actor.member.pk and can.can_book_speech(actor, consultation)
    )
    require(by_staff or own)
    same_council(actor, "member", member)
    if kind not in SpeechKind.values:
        raise ValidationError({"kind": _("Choose booked or impromptu.")})
    if not by_staff and kind != SpeechKind.BOOKED:
        raise ValidationError({"kind": _("Members book their speeches; staff add impromptu speakers.")})
    if not title.strip():
        raise ValidationError({"title": _("Enter the title of the speech.")})
    if kind == SpeechKind.BOOKED and not by_staff and not text.strip():
        raise ValidationError({"text": _("Submit the text of a booked speech beforehand.")})
    if consultation.speeches.filter(member=member, kind=kind).exists():
        raise Conflict(
            _("%(name)s already has a speech of this kind on the list.") % {"name": member.full_name}
        )
    if not consultation.participants.filter(member=member).exists():
        Participant.objects.create(
            council=actor.council,
            consultation=consultation,
            category=ParticipantCategory.MEMBER,
            member=member,
            name=member.full_name,
            organisation=member.employer_title,
        )
    position = (consultation.speeches.aggregate(m=Max("position"))["m"] or 0) + 1
    speech = Speech.objects.create(
        council=actor.council,
        consultation=consultation,
        member=member,
        kind=kind,
        title=title.strip()[:100],
        text=text.strip(),
        position=position,
        allotted_seconds=allotted_seconds(consultation, kind),
    )
    history(
        consultation, EventType.SPEECH_BOOKED, actor, speech=speech.pk, member=member.full_name, kind=kind
    )
    return speech


@transaction.atomic
def move_speech(speech: Speech, *, up: bool, actor: Actor) -> Speech:
    """Swap the speech with the one before (up) or after it in the order."""
    consultation = Consultation.objects.select_for_update().get(pk=speech.consultation_id)
    require(can.can_arrange_speeches(actor, consultation))
    rows = list(
        Speech.objects.select_for_update().filter(consultation=consultation).order_by("position", "id")
    )
    index = next(i for i, row in enumerate(rows) if row.pk == speech.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(rows):
        return rows[index]
    rows[index], rows[other] = rows[other], rows[index]
    for position, row in enumerate(rows, start=1):
        if row.position != position:
            Speech.objects.filter(pk=row.pk).update(position=position)
    history(consultation, EventType.UPDATED, actor, moved=speech.pk, up=up)
    return Speech.objects.get(pk=speech.pk)


@transaction.atomic
def remove_speech(speech: Speech, *, actor: Actor) -> None:
    consultation = Consultation.objects.select_for_update().get(pk=speech.consultation_id)
    require(can.can_arrange_speeches(actor, consultation))
    history(consultation, EventType.UPDATED, actor, removed_speech=speech.title)
    speech.delete()


@transaction.atomic
def record_speech_duration(speech: Speech, *, duration_seconds: int, actor: Actor) -> Speech:
    """Record how long the speech actually took; a speech past its allotted
    time is flagged as over time (and stays on record with its duration)."""
    speech = Speech.objects.select_for_update(of=("self",)).select_related("consultation").get(pk=speech.pk)
    require(can.can_time_speeches(actor, speech.consultation) and actor.has(Perm.MANAGE_CONSULTATIONS))
    if not 1 <= duration_seconds <= MAX_SPEECH_SECONDS:
        raise ValidationError(
            {"duration_seconds": _("Enter the duration in seconds, between 1 second and 4 hours.")}
        )
    speech.duration_seconds = duration_seconds
    speech.is_over_time = duration_seconds > speech.allotted_seconds
    speech.delivered_at = timezone.now()
    speech.save(update_fields=["duration_seconds", "is_over_time", "delivered_at"])
    history(
        speech.consultation,
        EventType.SPEECH_TIMED,
        actor,
        speech=speech.pk,
        member=speech.member.full_name,
        seconds=duration_seconds,
        over_time=speech.is_over_time or None,
    )
    return speech
