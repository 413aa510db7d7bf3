"""Inviting participants who are not users of the platform (experts, citizen
representatives, grassroots workers, department people) by SMS and e-mail.

A participant is claimed (invited_at set by compare-and-swap) before the
message goes out, so a task that runs twice never invites twice; a failed
send is logged and the participant stays marked, as with notifications (a
lost message is preferred to a duplicate; staff see who was invited).
"""

from __future__ import annotations

import logging

from django.core.mail import EmailMessage
from django.tasks import task
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from xieshang.consultations.models import Consultation, Participant
from xieshang.core.sms import send_sms

logger = logging.getLogger("xieshang.consultations")


def invitation_text(consultation: Consultation, participant: Participant) -> str:
    when = date_format(timezone.localtime(consultation.starts_at), "DATETIME_FORMAT")
    return _(
        "%(name)s: %(council)s invites you to the consultation “%(topic)s” on %(when)s at %(place)s."
    ) % {
        "name": participant.name,
        "council": consultation.council.name,
        "topic": consultation.topic,
        "when": when,
        "place": consultation.place or _("a place to be announced"),
    }


@task()
def invite_participants(consultation_id: int) -> dict[str, int]:
    """Send the invitation to every not-yet-invited participant without a
    user account who has a mobile number or an e-mail address."""
    consultation = Consultation.objects.select_related("council").filter(pk=consultation_id).first()
    if consultation is None:
        return {"sms": 0, "email": 0}
    sent = {"sms": 0, "email": 0}
    waiting = Participant.objects.filter(
        consultation=consultation, member__isnull=True, invited_at__isnull=True
    )
    for participant in waiting:
        if not (participant.phone or participant.email):
            continue
        claimed = Participant.objects.filter(pk=participant.pk, invited_at__isnull=True).update(
            invited_at=timezone.now()
        )
        if not claimed:
            continue
        text = invitation_text(consultation, participant)
        try:
            if participant.phone:
                send_sms(participant.phone, text)
                sent["sms"] += 1
            if participant.email:
                subject = f"[{consultation.council.name}] {consultation.topic}"
                EmailMessage(subject=subject, body=text, to=[participant.email]).send(using="default")
                sent["email"] += 1
        except Exception as exc:  # any gateway failure is logged; staff may invite by phone
            logger.warning("invitation to participant %s failed: %s", participant.pk, exc)
    return sent
