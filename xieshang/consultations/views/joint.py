"""Joint consultations: the upper council invites a lower council; the
lower council's pages list the invitations it received and show each one's
consultation (date, place, description, materials) in its own space."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xieshang.consultations.actions import joint as actions
from xieshang.consultations.queries import access_consultation, access_joint_invitation, joint_invitations_for
from xieshang.consultations.states import CONSULTATION_STATUS_CSS
from xieshang.consultations.views.common import error_text
from xieshang.core.attachments import attachment_response, attachments_of
from xieshang.core.errors import Conflict
from xieshang.core.forms import StyledFormMixin
from xieshang.core.pages import form_page
from xieshang.councils.forms.picker import use_member_picker
from xieshang.councils.models import Council, Member
from xieshang.councils.queries import active_members
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view


class InviteForm(StyledFormMixin, forms.Form):
    lower_council = forms.ModelChoiceField(
        label=gettext_lazy("Lower council"), queryset=Council.objects.none()
    )

    def __init__(self, *args: object, council: Council, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["lower_council"].queryset = Council.objects.filter(parent=council, is_active=True)  # type: ignore[attr-defined]


class AcceptForm(StyledFormMixin, forms.Form):
    members = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Participants"), queryset=Member.objects.none()
    )

    def __init__(self, *args: object, council: Council, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["members"].queryset = active_members(council)  # type: ignore[attr-defined]
        use_member_picker(self.fields["members"], council)


@council_view(Perm.MANAGE_CONSULTATIONS)
def joint_invite(request: CouncilRequest, pk: int) -> HttpResponse:
    consultation = access_consultation(request.actor, pk)
    back = reverse("consultations:detail", args=[request.council.slug, consultation.pk])
    form = InviteForm(request.POST or None, council=request.council)
    try:
        return form_page(
            request,
            form,
            title=_("Invite a lower council"),
            subject=consultation.topic,
            back=back,
            call=lambda data: actions.invite_lower_council(
                consultation, lower=data["lower_council"], actor=request.actor
            ),
            success=_("The lower council was invited; it sees the consultation in its own space."),
        )
    except Conflict as error:
        messages.error(request, error.message)
        return redirect(back)


@council_view(None)
def joint_list(request: CouncilRequest) -> HttpResponse:
    rows = joint_invitations_for(request.actor)
    if not (request.actor.has(Perm.VIEW_CONSULTATIONS) or request.actor.has(Perm.SPEAK_AT_CONSULTATIONS)):
        raise Http404
    staff = request.actor.has(Perm.MANAGE_CONSULTATIONS)
    return render(
        request,
        "consultations/joint/list.html",
        {
            "invitations": list(rows.prefetch_related("members")),
            "staff": staff,
            "form": AcceptForm(council=request.council) if staff else None,
        },
    )


@council_view(Perm.MANAGE_CONSULTATIONS)
def joint_accept(request: CouncilRequest, pk: int) -> HttpResponse:
    invitation = access_joint_invitation(request.actor, pk)
    back = reverse("consultations:joint_list", args=[request.council.slug])
    form = AcceptForm(request.POST or None, council=request.council)
    if request.method == "POST" and form.is_valid():
        try:
            actions.accept_joint(invitation, members=list(form.cleaned_data["members"]), actor=request.actor)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Accepted; the participants see the consultation in their list."))
        return redirect(back)
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "title": _("Accept and name participants"),
            "subject": invitation.consultation.topic,
            "back": back,
        },
    )


@council_view(None)
def joint_detail(request: CouncilRequest, pk: int) -> HttpResponse:
    """The upper council's consultation as the invited lower council sees it."""
    invitation = access_joint_invitation(request.actor, pk)
    staff = request.actor.has(Perm.VIEW_CONSULTATIONS)
    return render(
        request,
        "consultations/joint/detail.html",
        {
            "invitation": invitation,
            "consultation": invitation.consultation,
            "status_css": CONSULTATION_STATUS_CSS,
            "materials": list(attachments_of(invitation.consultation)),
            "members": list(invitation.members.order_by("full_name")) if staff else [],
            "may_accept": request.actor.has(Perm.MANAGE_CONSULTATIONS),
        },
    )


@council_view(None)
def joint_material(request: CouncilRequest, pk: int, attachment_id: int) -> HttpResponse:
    """A material of the consultation, for whoever may see the invitation."""
    invitation = access_joint_invitation(request.actor, pk)
    attachment = attachments_of(invitation.consultation).filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    return cast(HttpResponse, attachment_response(attachment))
