"""Joint consultations: an upper council invites a lower council to one of
its consultations; the lower council sees the invitation in its own space,
its staff accept and name participants, and those members see it too."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.consultations.actions.common import history
from xieshang.consultations.models import Consultation, JointInvitation
from xieshang.core.audit import audit
from xieshang.core.errors import Conflict, require
from xieshang.councils.models import Council, Member
from xieshang.councils.roles import Actor, Perm

INVITED = "invited"
ACCEPTED = "accepted"


@transaction.atomic
def invite_lower_council(consultation: Consultation, *, lower: Council, actor: Actor) -> JointInvitation:
    require(actor.has(Perm.MANAGE_CONSULTATIONS) and consultation.council_id == actor.council.pk)
    if lower.parent_id != actor.council.pk or not lower.is_active:
        raise ValidationError({"lower_council": _("Choose one of this council's lower councils.")})
    invitation, created = JointInvitation.objects.get_or_create(
        council=actor.council,
        consultation=consultation,
        lower_council=lower,
        defaults={"invited_by": actor.user},
    )
    if not created:
        raise Conflict(_("%(name)s is already invited.") % {"name": lower.name})
    history(consultation, "consultation.joint_invited", actor, lower_council=lower.name)
    return invitation


def invitations_for(actor: Actor) -> QuerySet[JointInvitation]:
    """The invitations the actor's council received: all of them for its
    staff and leaders, the ones naming the member for a member."""
    rows = JointInvitation.objects.filter(lower_council=actor.council).select_related(
        "consultation", "council"
    )
    if actor.has(Perm.VIEW_CONSULTATIONS):
        return rows
    if actor.member is not None and actor.has(Perm.SPEAK_AT_CONSULTATIONS):
        return rows.filter(status=ACCEPTED, members=actor.member)
    return rows.none()


@transaction.atomic
def accept_joint(invitation: JointInvitation, *, members: list[Member], actor: Actor) -> JointInvitation:
    """The lower council's staff accept and name the participants."""
    invitation = JointInvitation.objects.select_for_update().get(pk=invitation.pk)
    require(actor.has(Perm.MANAGE_CONSULTATIONS) and invitation.lower_council_id == actor.council.pk)
    if not members:
        raise ValidationError({"members": _("Name at least one participant.")})
    if any(m.council_id != actor.council.pk for m in members):
        raise ValidationError({"members": _("Choose from this council's own list.")})
    invitation.status = ACCEPTED
    invitation.accepted_by = actor.user
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["status", "accepted_by", "accepted_at"])
    invitation.members.set(members)
    audit(
        "consultations.joint_accepted",
        user=actor.user,
        council=actor.council,
        obj=invitation,
        data={"members": [m.pk for m in members]},
    )
    return invitation
