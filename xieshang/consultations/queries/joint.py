"""Joint consultations: an upper council's consultation seen from a lower
council it invited."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, QuerySet
from django.http import Http404

from xieshang.consultations.models import Consultation, JointInvitation
from xieshang.consultations.states import ConsultationStatus
from xieshang.councils.roles import Actor, Perm

# An upper council's consultation seen from a lower council it invited. The
# lower council reads it only through its invitation: its staff and leaders
# see every invitation the council received, its members the accepted ones
# that name them. Nothing here reads another council's rows otherwise.

JOINT_INVITED = "invited"
JOINT_ACCEPTED = "accepted"


def sent_joint_invitations(consultation: Consultation) -> QuerySet[JointInvitation]:
    """The invitations of a consultation the caller has read through
    access_consultation, to the lower councils, with their participants counted."""
    return (
        JointInvitation.objects.filter(council=consultation.council_id, consultation=consultation)
        .select_related("lower_council")
        .annotate(participant_count=Count("members"))
        .order_by("lower_council__name", "pk")
    )


def joint_invitations_for(actor: Actor) -> QuerySet[JointInvitation]:
    """The invitations the actor's council received that the actor may see,
    soonest consultation first."""
    rows = JointInvitation.objects.filter(lower_council=actor.council).select_related(
        "consultation", "council"
    )
    if actor.has(Perm.VIEW_CONSULTATIONS):
        return rows.order_by("-consultation__starts_at", "-id")
    if actor.member is not None and actor.has(Perm.SPEAK_AT_CONSULTATIONS):
        return rows.filter(status=JOINT_ACCEPTED, members=actor.member).order_by(
            "-consultation__starts_at", "-id"
        )
    return rows.none()


def access_joint_invitation(actor: Actor, invitation_id: int) -> JointInvitation:
    """An invitation of the actor's council, with its upper council's
    consultation, if the actor may see it; Http404 otherwise."""
    invitation = joint_invitations_for(actor).filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404
    return invitation


def my_joint_invitations(actor: Actor) -> QuerySet[JointInvitation]:
    """Accepted invitations naming the actor as a member (their own list)."""
    if actor.member is None or not actor.has(Perm.SPEAK_AT_CONSULTATIONS):
        return JointInvitation.objects.none()
    return (
        JointInvitation.objects.filter(
            lower_council=actor.council, status=JOINT_ACCEPTED, members=actor.member
        )
        .select_related("consultation", "council")
        .order_by("-consultation__starts_at", "-id")
    )


def upcoming_joint_invitations(actor: Actor, now: dt.datetime) -> QuerySet[JointInvitation]:
    """my_joint_invitations whose consultation is still to be held."""
    return my_joint_invitations(actor).filter(
        consultation__status__in=(ConsultationStatus.PREPARING, ConsultationStatus.NOTIFIED),
        consultation__starts_at__gte=now,
    )


def joint_invitations_to_accept(actor: Actor) -> QuerySet[JointInvitation]:
    """Invitations the actor's council has not answered yet (staff work)."""
    if not actor.has(Perm.MANAGE_CONSULTATIONS):
        return JointInvitation.objects.none()
    return (
        JointInvitation.objects.filter(lower_council=actor.council, status=JOINT_INVITED)
        .exclude(consultation__status=ConsultationStatus.CANCELLED)
        .select_related("consultation", "council")
        .order_by("consultation__starts_at", "id")
    )
