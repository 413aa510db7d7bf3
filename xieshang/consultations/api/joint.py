"""Joint consultations with lower councils: the upper council invites, the
lower council accepts and names its participants."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from xieshang.consultations.actions import joint as joint_actions
from xieshang.consultations.api.answers import JointInvitationDetailOut, JointInvitationOut, SentInvitationOut
from xieshang.consultations.api.schemas import JointAcceptIn, JointInvitationQuery, JointInviteIn, JointScope
from xieshang.consultations.models import JointInvitation
from xieshang.consultations.queries import (
    access_consultation,
    access_joint_invitation,
    joint_invitations_for,
    joint_invitations_to_accept,
    my_joint_invitations,
    sent_joint_invitations,
    upcoming_joint_invitations,
)
from xieshang.core.api import ERROR_RESPONSES, WRITE_ERROR_RESPONSES, ObjectId, Page, paginate
from xieshang.core.attachments import attachment_response, attachments_of
from xieshang.core.errors import require
from xieshang.councils.api.schemas import CouncilSlug
from xieshang.councils.api.scoping import council_actor
from xieshang.councils.queries import active_members, council_rows, lower_council
from xieshang.councils.roles import Actor, Perm

router = Router()


@router.get(
    "/c/{council_slug}/consultations/{consultation_id}/joint-invitations",
    response={200: list[SentInvitationOut], **ERROR_RESPONSES},
)
def list_sent_joint_invitations(
    request: HttpRequest, council_slug: CouncilSlug, consultation_id: ObjectId
) -> list[JointInvitation]:
    """The lower councils invited to a consultation, and which have accepted."""
    actor = council_actor(request, council_slug, Perm.VIEW_CONSULTATIONS)
    consultation = access_consultation(actor, consultation_id)
    return list(sent_joint_invitations(consultation))


@router.post(
    "/c/{council_slug}/consultations/{consultation_id}/joint-invitations",
    response={201: SentInvitationOut, **WRITE_ERROR_RESPONSES},
)
def invite_lower_council_to_consultation(
    request: HttpRequest, council_slug: CouncilSlug, consultation_id: ObjectId, payload: JointInviteIn
) -> Status[Any]:
    """Invite one of this council's lower councils; its staff are told in
    its own space. Inviting the same council twice is a conflict."""
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    consultation = access_consultation(actor, consultation_id)
    lower = lower_council(actor, payload.lower_council_id, field="lower_council_id")
    invitation = joint_actions.invite_lower_council(consultation, lower=lower, actor=actor)
    return Status(201, sent_joint_invitations(consultation).get(pk=invitation.pk))


def _received_invitations(actor: Actor, scope: JointScope) -> Any:
    if scope == JointScope.MINE:
        return my_joint_invitations(actor)
    if scope == JointScope.UPCOMING:
        return upcoming_joint_invitations(actor, timezone.now())
    if scope == JointScope.TO_ACCEPT:
        return joint_invitations_to_accept(actor)
    return joint_invitations_for(actor)


@router.get(
    "/c/{council_slug}/joint-invitations", response={200: Page[JointInvitationOut], **ERROR_RESPONSES}
)
def list_joint_invitations(
    request: HttpRequest, council_slug: CouncilSlug, query: Query[JointInvitationQuery]
) -> dict[str, Any]:
    """Upper councils' consultations this council was invited to: staff and
    leaders see every invitation, members the accepted ones naming them."""
    actor = council_actor(request, council_slug)
    require(actor.has(Perm.VIEW_CONSULTATIONS) or actor.has(Perm.SPEAK_AT_CONSULTATIONS))
    return paginate(_received_invitations(actor, query.scope), query)


@router.get(
    "/c/{council_slug}/joint-invitations/{invitation_id}",
    response={200: JointInvitationDetailOut, **ERROR_RESPONSES},
)
def get_joint_invitation(
    request: HttpRequest, council_slug: CouncilSlug, invitation_id: ObjectId
) -> JointInvitation:
    """One invitation with its consultation and the list of materials."""
    actor = council_actor(request, council_slug)
    return access_joint_invitation(actor, invitation_id)


@router.get(
    "/c/{council_slug}/joint-invitations/{invitation_id}/materials/{material_id}",
    response={200: None, **ERROR_RESPONSES},
    openapi_extra={
        "responses": {200: {"description": "The material file.", "content": {"application/octet-stream": {}}}}
    },
)
def download_joint_material(
    request: HttpRequest, council_slug: CouncilSlug, invitation_id: ObjectId, material_id: ObjectId
) -> FileResponse:
    """Download a material of the consultation, for whoever may see the invitation."""
    actor = council_actor(request, council_slug)
    invitation = access_joint_invitation(actor, invitation_id)
    material = attachments_of(invitation.consultation).filter(pk=material_id).first()
    if material is None:
        raise Http404
    return attachment_response(material)


@router.post(
    "/c/{council_slug}/joint-invitations/{invitation_id}/accept",
    response={200: JointInvitationDetailOut, **WRITE_ERROR_RESPONSES},
)
def accept_joint_invitation(
    request: HttpRequest, council_slug: CouncilSlug, invitation_id: ObjectId, payload: JointAcceptIn
) -> JointInvitation:
    """Accept and name the participants (this council's active members); the
    named members are told. Sending again replaces the participants."""
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    invitation = access_joint_invitation(actor, invitation_id)
    wanted = list(dict.fromkeys(payload.member_ids))
    if not wanted:
        raise ValidationError({"member_ids": _("Name at least one participant.")})
    members = council_rows(
        actor,
        active_members(actor.council),
        wanted,
        field="member_ids",
        message=_("Choose from this council's own list."),
    )
    invitation = joint_actions.accept_joint(invitation, members=members, actor=actor)
    return access_joint_invitation(actor, invitation.pk)
