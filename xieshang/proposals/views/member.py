"""Members' pages: my proposals, the filing form, co-signing, rating."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.core.attachments import attachments_of
from xieshang.core.errors import StaleEdit, require
from xieshang.core.models import Attachment
from xieshang.core.pages import add_errors, flash_errors, version_of
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view
from xieshang.proposals.actions.feedback import rate_reply
from xieshang.proposals.actions.filing import answer_cosign, invite_cosigners, save_draft, submit_proposal
from xieshang.proposals.forms import InviteCosignersForm, ProposalForm, RatingForm
from xieshang.proposals.models import Proposal
from xieshang.proposals.permissions import can_edit, can_file
from xieshang.proposals.queries import (
    access_cosign_request,
    access_proposal,
    access_reply,
    body_from_key,
    collective_authorisations,
    cosign_requests,
    my_proposals,
)
from xieshang.proposals.states import Window
from xieshang.proposals.window import WindowStatus, window_status


def _to_detail(request: CouncilRequest, proposal: Proposal) -> HttpResponse:
    return redirect("proposals:detail", council_slug=request.council.slug, pk=proposal.pk)


@council_view(Perm.FILE_PROPOSALS)
def mine(request: CouncilRequest) -> HttpResponse:
    """The member's proposals (filed, led or co-signed), and waiting invitations."""
    rows = my_proposals(request.actor)
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "proposals/mine.html",
        {"page": page, "invitations": list(cosign_requests(request.actor)[:20])},
    )


@council_view(None)
def edit(request: CouncilRequest, pk: int | None = None) -> HttpResponse:
    """Write a new proposal or change a draft / returned one. "Save draft"
    keeps it private; "Submit" files it for review. Staff use the same form
    to enter a proposal for a member who cannot go online."""
    actor = request.actor
    require(can_file(actor))
    proposal = access_proposal(actor, pk) if pk is not None else None
    if proposal is not None and not can_edit(actor, proposal):
        return _to_detail(request, proposal)
    window = window_status(request.council, timezone.localdate())
    attached = list(attachments_of(proposal)) if proposal is not None else []
    form = _proposal_form(request, proposal, window=window, attached=attached)
    if request.method == "POST" and form.is_valid():
        submitting = "submit" in request.POST
        refused: ValidationError | None = None
        try:
            # Save and submit together: an incomplete proposal stays as it
            # was, and the form shows what is missing with the text kept.
            with transaction.atomic():
                saved = save_draft(
                    proposal,
                    actor=actor,
                    content=form.content(),
                    expected_version=form.cleaned_data["version"],
                    on_behalf_of=form.cleaned_data.get("proposer"),
                    collective_author=body_from_key(request.council, form.cleaned_data.get("file_as") or ""),
                    files=form.new_files(),
                    remove_files=form.files_to_remove(),
                )
                if submitting:
                    try:
                        with transaction.atomic():
                            submit_proposal(saved, actor=actor)
                    except ValidationError as error:
                        # New files cannot be shown again in the form: keep
                        # them with the draft, and say what stops submission.
                        if not form.new_files():
                            raise
                        refused = error
        except ValidationError as error:
            add_errors(form, error)
        else:
            if refused is not None:
                messages.warning(
                    request, _("The draft and its files were saved, but it cannot be submitted yet:")
                )
                flash_errors(request, refused)
                return redirect("proposals:edit", council_slug=request.council.slug, pk=saved.pk)
            if submitting:
                messages.success(request, _("The proposal was submitted for review."))
            else:
                messages.success(request, _("The draft was saved."))
            return _to_detail(request, saved)
    context = {
        "form": form,
        "proposal": proposal,
        "on_behalf": form.on_behalf,
        "window": window,
        "attached": attached,
    }
    return render(request, "proposals/form.html", context)


def _proposal_form(
    request: CouncilRequest,
    proposal: Proposal | None,
    *,
    window: WindowStatus,
    attached: list[Attachment],
    for_autosave: bool = False,
) -> ProposalForm:
    """The filing form for a new proposal (proposal=None) or a draft, bound
    to the request's data when it has any."""
    actor = request.actor
    bodies = (
        [(filer.body_key, filer.body_label) for filer in collective_authorisations(actor)]
        if proposal is None
        else []
    )
    bound = request.method == "POST"
    data = request.POST.copy() if bound else None
    if data is not None and for_autosave:
        # Ticked files are removed by the form's buttons only.
        data.pop("remove_attachments", None)
    form = ProposalForm(
        data,
        request.FILES if bound and not for_autosave else None,
        initial=ProposalForm.initial_from(proposal) if proposal is not None else None,
        council=request.council,
        on_behalf=proposal is None and not actor.has(Perm.FILE_PROPOSALS),
        bodies=bodies,
        session_open=window.is_open,
        keep_session=proposal is not None and proposal.window == Window.SESSION,
        attached=attached,
    )
    return form


@require_POST
@council_view(None)
def autosave(request: CouncilRequest) -> HttpResponse:
    """Save the filing form as a draft while the member writes (called by
    proposal-draft.js); answer in JSON so the page can carry on editing.
    A new proposal becomes a draft on the first save; the answer says where
    it now lives and which version the form holds."""
    actor = request.actor
    require(can_file(actor))
    raw_pk = request.POST.get("proposal", "")
    proposal = access_proposal(actor, int(raw_pk)) if raw_pk.isdigit() else None
    if proposal is not None and not can_edit(actor, proposal):
        return JsonResponse(
            {"saved": False, "errors": {"__all__": [_("This proposal can no longer be changed.")]}},
            status=409,
        )
    # Files are attached only with the form's buttons, never by autosave.
    window = window_status(request.council, timezone.localdate())
    form = _proposal_form(request, proposal, window=window, attached=[], for_autosave=True)
    if not form.is_valid():
        return JsonResponse({"saved": False, "errors": form.errors.get_json_data()}, status=400)
    try:
        saved = save_draft(
            proposal,
            actor=actor,
            content=form.content(),
            expected_version=form.cleaned_data["version"],
            on_behalf_of=form.cleaned_data.get("proposer"),
            collective_author=body_from_key(request.council, form.cleaned_data.get("file_as") or ""),
        )
    except ValidationError as error:
        return JsonResponse({"saved": False, "errors": error.message_dict}, status=400)
    except StaleEdit as error:
        return JsonResponse({"saved": False, "errors": {"__all__": [error.message]}}, status=409)
    return JsonResponse(
        {
            "saved": True,
            "proposal": saved.pk,
            "version": saved.version,
            "edit_url": reverse(
                "proposals:edit", kwargs={"council_slug": request.council.slug, "pk": saved.pk}
            ),
            "saved_at": timezone.localtime().strftime("%H:%M"),
        }
    )


@require_POST
@council_view(None)
def submit(request: CouncilRequest, pk: int) -> HttpResponse:
    require(can_file(request.actor))
    proposal = access_proposal(request.actor, pk)
    try:
        submit_proposal(proposal, actor=request.actor, expected_version=version_of(request))
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("proposals:edit", council_slug=request.council.slug, pk=proposal.pk)
    messages.success(request, _("Your proposal was submitted for review."))
    return _to_detail(request, proposal)


@require_POST
@council_view(Perm.FILE_PROPOSALS)
def invite(request: CouncilRequest, pk: int) -> HttpResponse:
    proposal = access_proposal(request.actor, pk)
    form = InviteCosignersForm(request.POST, proposal=proposal)
    if form.is_valid():
        try:
            invite_cosigners(proposal, actor=request.actor, members=list(form.cleaned_data["members"]))
        except ValidationError as error:
            add_errors(form, error)
    if form.errors:
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, problem)
    else:
        messages.success(request, _("The invitations were sent."))
    return _to_detail(request, proposal)


@council_view(Perm.FILE_PROPOSALS)
def cosign_list(request: CouncilRequest) -> HttpResponse:
    return render(
        request, "proposals/cosign_requests.html", {"invitations": list(cosign_requests(request.actor))}
    )


@require_POST
@council_view(Perm.FILE_PROPOSALS)
def cosign_answer(request: CouncilRequest, pk: int) -> HttpResponse:
    row = access_cosign_request(request.actor, pk)
    answer = request.POST.get("answer")
    if answer not in ("confirm", "refuse"):
        return HttpResponseBadRequest(_("Choose to co-sign or to decline."))
    confirm = answer == "confirm"
    answer_cosign(row, actor=request.actor, confirm=confirm)
    messages.success(request, _("You co-signed the proposal.") if confirm else _("You declined to co-sign."))
    return redirect("proposals:cosign_requests", council_slug=request.council.slug)


@council_view(Perm.FILE_PROPOSALS)
def rate(request: CouncilRequest, pk: int) -> HttpResponse:
    """Rate a released reply within the feedback window."""
    reply = access_reply(request.actor, pk)
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rate_reply(
                reply,
                actor=request.actor,
                satisfaction=form.cleaned_data["satisfaction"],
                comment=form.cleaned_data["comment"],
                today=timezone.localdate(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Thank you: your rating was recorded."))
            return _to_detail(request, reply.assignment.proposal)
    return render(
        request, "proposals/rate.html", {"form": form, "reply": reply, "proposal": reply.assignment.proposal}
    )
