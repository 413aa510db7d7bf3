"""Joint consultations: an upper council invites a lower council to one of
its consultations; the lower council sees the invitation in its own space,
its staff accept and name participants, and those members see it too.

Everyone told is told in the lower council's own inbox, with a link into
its own space (the joint page), never into the upper council's pages.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.accounts.models import User
from xieshang.consultations.actions.common import users_with_role
from xieshang.consultations.models import Consultation, JointInvitation
from xieshang.consultations.queries import JOINT_ACCEPTED, JOINT_INVITED
from xieshang.consultations.states import ConsultationStatus
from xieshang.core.audit import audit
from xieshang.core.errors import Conflict, require
from xieshang.core.events import history
from xieshang.core.notifications import SMS, notify
from xieshang.councils.models import Council, Member
from xieshang.councils.roles import ROLE_PERMISSIONS, Actor, Perm

INVITED = JOINT_INVITED
ACCEPTED = JOINT_ACCEPTED
# A lower council can join only a consultation that has not yet taken place.
STILL_AHEAD = (ConsultationStatus.PREPARING, ConsultationStatus.NOTIFIED)


def _ensure_still_ahead(consultation: Consultation) -> None:
    if consultation.status not in STILL_AHEAD:
        raise Conflict(
            _("The consultation “%(topic)s” is %(status)s: lower councils can no longer join it.")
            % {"topic": consultation.topic, "status": consultation.get_status_display()}
        )


def joint_url(invitation: JointInvitation) -> str:
    """The invitation's page in the lower council's own space."""
    return reverse(
        "consultations:joint_detail",
        kwargs={"council_slug": invitation.lower_council.slug, "pk": invitation.pk},
    )


def lower_staff(invitation: JointInvitation) -> list[User]:
    """The lower council's users who prepare consultations (they accept)."""
    roles = [role for role, perms in ROLE_PERMISSIONS.items() if Perm.MANAGE_CONSULTATIONS in perms]
    return users_with_role(invitation.lower_council, *roles)


def named_users(invitation: JointInvitation) -> list[User]:
    return [
        m.user
        for m in invitation.members.select_related("user").order_by("pk")
        if m.user is not None and m.user.is_active
    ]


def when_and_where(consultation: Consultation) -> str:
    when = timezone.localtime(consultation.starts_at).strftime("%Y-%m-%d %H:%M")
    return _("On %(when)s at %(place)s.") % {
        "when": when,
        "place": consultation.place or _("a place to be announced"),
    }


def _tell(
    invitation: JointInvitation,
    recipients: Iterable[User],
    *,
    title: str,
    step: str,
    channels: Iterable[str] = (),
    body: str = "",
) -> None:
    notify(
        recipients=recipients,
        council=invitation.lower_council,
        title=title,
        body=body or when_and_where(invitation.consultation),
        url=joint_url(invitation),
        kind=f"consultations.joint_{step}",
        channels=channels,
        # Once per person and step, however often the step is repeated.
        dedupe_key=f"consultations.joint.{invitation.pk}.{step}",
    )


@transaction.atomic
def invite_lower_council(consultation: Consultation, *, lower: Council, actor: Actor) -> JointInvitation:
    require(actor.has(Perm.MANAGE_CONSULTATIONS) and consultation.council_id == actor.council.pk)
    if lower.parent_id != actor.council.pk or not lower.is_active:
        raise ValidationError({"lower_council": _("Choose one of this council's lower councils.")})
    _ensure_still_ahead(consultation)
    invitation, created = JointInvitation.objects.get_or_create(
        council=actor.council,
        consultation=consultation,
        lower_council=lower,
        defaults={"invited_by": actor.user},
    )
    if not created:
        raise Conflict(_("%(name)s is already invited.") % {"name": lower.name})
    history(consultation, "consultation.joint_invited", actor, lower_council=lower.name)
    _tell(
        invitation,
        lower_staff(invitation),
        title=_("%(council)s invites this council to the consultation “%(topic)s”; name the participants.")
        % {"council": actor.council.name, "topic": consultation.topic},
        step="invited",
    )
    return invitation


@transaction.atomic
def accept_joint(invitation: JointInvitation, *, members: list[Member], actor: Actor) -> JointInvitation:
    """The lower council's staff accept and name the participants."""
    invitation = JointInvitation.objects.select_for_update().get(pk=invitation.pk)
    require(actor.has(Perm.MANAGE_CONSULTATIONS) and invitation.lower_council_id == actor.council.pk)
    _ensure_still_ahead(invitation.consultation)
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
    _tell(
        invitation,
        named_users(invitation),
        title=_("You take part in the consultation “%(topic)s” of %(council)s.")
        % {"topic": invitation.consultation.topic, "council": invitation.council.name},
        step="named",
    )
    return invitation


def tell_invited_councils(consultation: Consultation, *, step: str) -> None:
    """Tell the invited lower councils that the upper council sent the
    notice (step "notice"), the materials ("materials") or called the
    consultation off ("cancelled"): their staff, and the members they named.
    Called inside the upper council's action."""
    titles = {
        "notice": _("Consultation notice: %(topic)s (%(council)s)"),
        "materials": _("Materials for the consultation: %(topic)s (%(council)s)"),
        "cancelled": _("Consultation cancelled: %(topic)s (%(council)s)"),
    }
    invitations = JointInvitation.objects.filter(consultation=consultation).select_related(
        "lower_council", "council", "consultation"
    )
    for invitation in invitations:
        recipients = lower_staff(invitation)
        if invitation.status == ACCEPTED:
            recipients += named_users(invitation)
        _tell(
            invitation,
            recipients,
            title=titles[step] % {"topic": consultation.topic, "council": consultation.council.name},
            step=step,
            channels=(SMS,) if step in ("notice", "cancelled") else (),
            body=consultation.cancel_reason if step == "cancelled" else "",
        )
