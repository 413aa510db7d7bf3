"""Legislative consultation pages: staff add a draft regulation (pasted or
a Word file) and invite experts; members and experts comment article by
article; staff read the comments by article and export them."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xieshang.consultations.actions import legislative as actions
from xieshang.consultations.models import DraftRegulation
from xieshang.consultations.permissions import can_comment
from xieshang.consultations.queries import access_consultation, access_draft
from xieshang.consultations.views.common import error_text
from xieshang.core.errors import Conflict
from xieshang.core.exports import DOCX_TYPE, content_disposition, xlsx_response
from xieshang.core.forms import StyledFormMixin
from xieshang.core.links import public_url
from xieshang.core.pages import form_page
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class DraftForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=100)
    text = forms.CharField(
        label=gettext_lazy("Text of the draft"),
        help_text=gettext_lazy(
            "Paste the draft, or upload a Word file below. Articles start with 第一条, 第二条 …"
        ),
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
    )
    file = forms.FileField(label=gettext_lazy("Word file (.docx)"), required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None:
            if upload.size > actions.MAX_DOCX_BYTES or not upload.name.lower().endswith(".docx"):
                raise ValidationError({"file": _("Upload a Word (.docx) file of at most 10 MB.")})
            data["text"] = actions.docx_text(upload.read())
        if not (data.get("text") or "").strip():
            raise ValidationError({"text": _("Paste the draft or upload a Word file.")})
        return data


class CommentForm(StyledFormMixin, forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000
    )


class ExpertForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=50)
    organisation = forms.CharField(
        label=gettext_lazy("Organisation and title"), max_length=100, required=False
    )
    expires_at = forms.DateTimeField(label=gettext_lazy("Link valid until"), widget=DATETIME)


def draft_url(draft: DraftRegulation) -> str:
    return reverse("consultations:draft", kwargs={"council_slug": draft.council.slug, "pk": draft.pk})


@council_view(Perm.MANAGE_CONSULTATIONS)
def draft_create(request: CouncilRequest, pk: int) -> HttpResponse:
    consultation = access_consultation(request.actor, pk)
    form = DraftForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form,
        title=_("Add a draft regulation"),
        subject=consultation.topic,
        back=reverse("consultations:detail", args=[request.council.slug, consultation.pk]),
        call=lambda data: actions.add_draft(
            consultation, title=data["title"], text=data["text"], actor=request.actor
        ),
        success=_("The draft was split into its articles."),
        done=draft_url,
        multipart=True,
    )


@council_view(None)
def draft(request: CouncilRequest, pk: int) -> HttpResponse:
    item = access_draft(request.actor, pk)
    staff = actions.can_manage_drafts(request.actor, item.consultation)
    grouped = actions.comments_by_article(item)
    if not staff:
        grouped = [(a, [c for c in cs if c.user_id == request.actor.user.pk]) for a, cs in grouped]
    return render(
        request,
        "consultations/legislative/draft.html",
        {
            "draft": item,
            "grouped": grouped,
            "staff": staff,
            "may_comment": can_comment(request.actor, item),
            "form": CommentForm(),
            "experts": item.experts.all() if staff else [],
        },
    )


@require_POST
@council_view(None)
def draft_comment(request: CouncilRequest, pk: int, number: int) -> HttpResponse:
    item = access_draft(request.actor, pk)
    form = CommentForm(request.POST)
    back = draft_url(item) + f"#article-{number}"
    if not form.is_valid():
        messages.error(request, _("Write your comment."))
        return redirect(back)
    try:
        actions.comment_on_article(item, number=number, text=form.cleaned_data["text"], actor=request.actor)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Your comment was recorded."))
    return redirect(back)


@council_view(Perm.MANAGE_CONSULTATIONS)
def draft_export(request: CouncilRequest, pk: int, fmt: str) -> HttpResponse:
    item = access_draft(request.actor, pk)
    name = _("Comments on %(title)s") % {"title": item.title}
    if fmt == "xlsx":
        return xlsx_response(
            filename=f"{name}.xlsx",
            sheet_title=str(_("Comments")),
            headers=[_("Article"), _("Text of the article"), _("Commented by"), _("Comment"), _("Date")],
            rows=actions.comment_rows(item),
        )
    if fmt == "docx":
        response = HttpResponse(actions.comments_docx(item), content_type=DOCX_TYPE)
        response["Content-Disposition"] = content_disposition(f"{name}.docx")
        return response
    raise Http404


@council_view(Perm.MANAGE_CONSULTATIONS)
def expert_invite(request: CouncilRequest, pk: int) -> HttpResponse:
    item = access_draft(request.actor, pk)
    form = ExpertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, token = actions.invite_expert(item, actor=request.actor, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            link = public_url(
                reverse(
                    "consultations:draft_expert",
                    kwargs={"council_slug": request.council.slug, "token": token},
                )
            )
            return render(
                request,
                "consultations/legislative/invited.html",
                {"draft": item, "invitation": invitation, "link": link},
            )
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "title": _("Invite an expert to comment"),
            "subject": item.title,
            "back": draft_url(item),
        },
    )


def expert_page(request: HttpRequest, council_slug: str, token: str) -> HttpResponse:
    """An invited expert's page: no login, the signed link is the key."""
    try:
        invitation = actions.invitation_from_token(token)
    except Conflict as error:
        return render(
            request, "consultations/legislative/expired.html", {"message": error.message}, status=410
        )
    if invitation.council.slug != council_slug:
        raise Http404
    item = invitation.draft
    if request.method == "POST":
        form = CommentForm(request.POST)
        number = request.POST.get("article", "")
        if form.is_valid() and number.isdigit():
            try:
                actions.comment_on_article(
                    item, number=int(number), text=form.cleaned_data["text"], expert=invitation
                )
            except ValidationError as error:
                messages.error(request, error_text(error))
            else:
                messages.success(request, _("Your comment was recorded. Thank you."))
            return redirect(request.path + f"#article-{number}")
        messages.error(request, _("Write your comment."))
    grouped = [
        (a, [c for c in cs if c.expert_id == invitation.pk]) for a, cs in actions.comments_by_article(item)
    ]
    return render(
        request,
        "consultations/legislative/expert.html",
        {"draft": item, "invitation": invitation, "grouped": grouped, "form": CommentForm()},
    )
