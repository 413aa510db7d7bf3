"""Online deliberation pages: staff open and moderate it, members post and
support comments, the public page (no login, SMS-verified participants),
and the summary that feeds the consultation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xieshang.consultations.actions import deliberation as actions
from xieshang.consultations.models import Deliberation, PublicIdentity
from xieshang.consultations.queries import (
    access_comment,
    access_consultation,
    access_deliberation,
    public_deliberation,
    public_identity,
    visible_comments,
)
from xieshang.consultations.views.common import error_text
from xieshang.core.errors import Conflict
from xieshang.core.forms import StyledFormMixin
from xieshang.core.pages import form_page
from xieshang.councils.models import Council
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class DeliberationForm(StyledFormMixin, forms.Form):
    topic = forms.CharField(label=gettext_lazy("Topic"), max_length=100)
    background = forms.CharField(label=gettext_lazy("Background"), widget=forms.Textarea, required=False)
    questions = forms.CharField(label=gettext_lazy("Questions"), widget=forms.Textarea, required=False)
    opens_at = forms.DateTimeField(label=gettext_lazy("Open from"), widget=DATETIME)
    closes_at = forms.DateTimeField(label=gettext_lazy("Open until"), widget=DATETIME)
    public_enabled = forms.BooleanField(label=gettext_lazy("Open to the public"), required=False)
    blocked_words = forms.CharField(
        label=gettext_lazy("Further blocked words"),
        help_text=gettext_lazy(
            "Separated by commas; added to the council's own list of blocked words (in its settings)."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class DeliberationCommentForm(StyledFormMixin, forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your comment"),
        max_length=actions.MAX_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class HideForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason (the author sees it)"), max_length=200)


class MobileForm(StyledFormMixin, forms.Form):
    mobile = forms.CharField(
        label=gettext_lazy("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class VerifyForm(MobileForm):
    code = forms.CharField(
        label=gettext_lazy("Code from the SMS"),
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    nickname = forms.CharField(
        label=gettext_lazy("Nickname shown with your comments"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("Needed the first time only."),
    )


# Reads -----------------------------------------------------------------------


def deliberation_url(deliberation: Deliberation) -> str:
    return reverse(
        "consultations:deliberation",
        kwargs={"council_slug": deliberation.council.slug, "pk": deliberation.pk},
    )


def public_url(deliberation: Deliberation) -> str:
    return reverse(
        "consultations:deliberation_public",
        kwargs={"council_slug": deliberation.council.slug, "pk": deliberation.pk},
    )


def _run(request: HttpRequest, call: Any, success: str, back: str) -> HttpResponse:
    try:
        call()
    except ValidationError as error:
        messages.error(request, error_text(error))
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect(back)


# Staff and members -----------------------------------------------------------


@council_view(Perm.MANAGE_CONSULTATIONS)
def deliberation_create(request: CouncilRequest, pk: int) -> HttpResponse:
    consultation = access_consultation(request.actor, pk)
    form = DeliberationForm(request.POST or None, initial={"topic": consultation.topic})
    return form_page(
        request,
        form,
        title=_("Open an online deliberation"),
        subject=consultation.topic,
        back=reverse("consultations:detail", args=[request.council.slug, consultation.pk]),
        call=lambda data: actions.open_deliberation(consultation, actor=request.actor, **data),
        success=_("The online deliberation was opened."),
        done=deliberation_url,
    )


def post_or_keep(form: DeliberationCommentForm, call: Any) -> bool:
    """Post the comment; on a refusal put the reason next to the text, which
    the page shows again as typed."""
    if not form.is_valid():
        return False
    try:
        call(form.cleaned_data["text"])
    except ValidationError as error:
        for problem in error.messages:
            form.add_error("text", problem)
        return False
    except Conflict as error:
        form.add_error("text", error.message)
        return False
    return True


@council_view(None)
def deliberation(request: CouncilRequest, pk: int) -> HttpResponse:
    return member_page(request, access_deliberation(request.actor, pk), DeliberationCommentForm())


def member_page(
    request: CouncilRequest, item: Deliberation, form: DeliberationCommentForm, status: int = 200
) -> HttpResponse:
    staff = actions.can_manage_deliberation(request.actor, item)
    comments = visible_comments(item, user_id=request.actor.user.pk, staff=staff).select_related("identity")
    supported = set(item.comments.filter(supports__user=request.actor.user).values_list("pk", flat=True))
    return render(
        request,
        "consultations/deliberation/detail.html",
        {
            "deliberation": item,
            "comments": comments,
            "supported": supported,
            "staff": staff,
            "is_open": actions.is_open(item),
            "form": form,
            "may_post": request.actor.has(Perm.SPEAK_AT_CONSULTATIONS) or staff,
            "public_url": public_url(item),
        },
        status=status,
    )


@require_POST
@council_view(None)
def comment_post(request: CouncilRequest, pk: int) -> HttpResponse:
    item = access_deliberation(request.actor, pk)
    form = DeliberationCommentForm(request.POST)
    poster = actions.Poster.of_actor(request.actor)
    if not post_or_keep(form, lambda text: actions.post_comment(item, text=text, poster=poster)):
        return member_page(request, item, form, status=400)
    messages.success(request, _("Your comment was posted."))
    return redirect(deliberation_url(item))


@require_POST
@council_view(None)
def comment_support(request: CouncilRequest, pk: int, comment_id: int) -> HttpResponse:
    item = access_deliberation(request.actor, pk)
    comment = access_comment(item, comment_id)
    return _run(
        request,
        lambda: actions.support_comment(comment, poster=actions.Poster.of_actor(request.actor)),
        _("You support this comment."),
        deliberation_url(item),
    )


@council_view(Perm.MANAGE_CONSULTATIONS)
def comment_hide(request: CouncilRequest, pk: int, comment_id: int) -> HttpResponse:
    item = access_deliberation(request.actor, pk)
    comment = access_comment(item, comment_id)
    return form_page(
        request,
        HideForm(request.POST or None),
        title=_("Hide a comment"),
        subject=comment.text[:200],
        back=deliberation_url(item),
        call=lambda data: actions.hide_comment(comment, reason=data["reason"], actor=request.actor),
        success=_("The comment is hidden; its author sees the reason."),
        submit=_("Hide"),
    )


@require_POST
@council_view(Perm.MANAGE_CONSULTATIONS)
def comment_unhide(request: CouncilRequest, pk: int, comment_id: int) -> HttpResponse:
    item = access_deliberation(request.actor, pk)
    comment = access_comment(item, comment_id)
    return _run(
        request,
        lambda: actions.unhide_comment(comment, actor=request.actor),
        _("The comment is shown again."),
        deliberation_url(item),
    )


def _word_chart(words: list[tuple[str, int]]) -> dict[str, Any]:
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"containLabel": True, "top": 16, "left": 8, "right": 8, "bottom": 8},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "inverse": True, "data": [w for w, _n in words]},
        "series": [{"name": str(_("Comments")), "type": "bar", "data": [n for _w, n in words]}],
    }


@council_view(Perm.VIEW_CONSULTATIONS)
def summary(request: CouncilRequest, pk: int) -> HttpResponse:
    item = access_deliberation(request.actor, pk)
    result = actions.summarise(item)
    return render(
        request,
        "consultations/deliberation/summary.html",
        {
            "deliberation": item,
            "summary": result,
            "chart": _word_chart(result.words),
            "may_record": actions.can_manage_deliberation(request.actor, item),
        },
    )


@require_POST
@council_view(Perm.MANAGE_CONSULTATIONS)
def summary_record(request: CouncilRequest, pk: int) -> HttpResponse:
    item = access_deliberation(request.actor, pk)
    return _run(
        request,
        lambda: actions.record_summary(item, actor=request.actor),
        _("The summary was added to the consultation's record."),
        reverse("consultations:detail", args=[request.council.slug, item.consultation_id]),
    )


# The public page ------------------------------------------------------------


def _session_key(council: Council) -> str:
    return f"deliberation_identity_{council.pk}"


def _identity(request: HttpRequest, council: Council) -> PublicIdentity | None:
    return public_identity(council, request.session.get(_session_key(council)))


def _ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def public(request: HttpRequest, council_slug: str, pk: int) -> HttpResponse:
    item = public_deliberation(council_slug, pk)
    return public_page(request, item, DeliberationCommentForm())


def public_page(
    request: HttpRequest, item: Deliberation, form: DeliberationCommentForm, status: int = 200
) -> HttpResponse:
    identity = _identity(request, item.council)
    comments = visible_comments(item, identity_id=identity.pk if identity else None)
    supported: set[int] = set()
    if identity is not None:
        supported = set(item.comments.filter(supports__identity=identity).values_list("pk", flat=True))
    return render(
        request,
        "consultations/deliberation/public.html",
        {
            "deliberation": item,
            "council": item.council,
            "identity": identity,
            "comments": comments[:200],
            "supported": supported,
            "is_open": actions.is_open(item),
            "form": form,
            "mobile_form": MobileForm(),
            "verify_form": VerifyForm(initial={"mobile": request.session.get("deliberation_mobile", "")}),
        },
        status=status,
    )


@require_POST
def public_code(request: HttpRequest, council_slug: str, pk: int) -> HttpResponse:
    item = public_deliberation(council_slug, pk)
    form = MobileForm(request.POST)
    back = public_url(item) + "#verify"
    if not form.is_valid():
        messages.error(request, _("Enter an 11-digit mainland mobile number."))
        return redirect(back)
    request.session["deliberation_mobile"] = form.cleaned_data["mobile"]
    return _run(
        request,
        lambda: actions.request_code(
            council=item.council, mobile=form.cleaned_data["mobile"], ip=_ip(request)
        ),
        _("A 6-digit code was sent by SMS. It is valid for 10 minutes."),
        back,
    )


@require_POST
def public_verify(request: HttpRequest, council_slug: str, pk: int) -> HttpResponse:
    item = public_deliberation(council_slug, pk)
    form = VerifyForm(request.POST)
    back = public_url(item)
    if not form.is_valid():
        messages.error(request, _("Enter your mobile number and the code from the SMS."))
        return redirect(back + "#verify")
    try:
        identity = actions.verify_code(council=item.council, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect(back + "#verify")
    except Conflict as error:
        messages.error(request, error.message)
        return redirect(back + "#verify")
    request.session.cycle_key()
    request.session[_session_key(item.council)] = identity.pk
    messages.success(request, _("Verified. You take part as %(name)s.") % {"name": identity.nickname})
    return redirect(back)


@require_POST
def public_post(request: HttpRequest, council_slug: str, pk: int) -> HttpResponse:
    item = public_deliberation(council_slug, pk)
    identity = _identity(request, item.council)
    back = public_url(item)
    if identity is None:
        messages.error(request, _("Verify your mobile number first."))
        return redirect(back + "#verify")
    form = DeliberationCommentForm(request.POST)
    poster = actions.Poster.of_identity(identity)
    if not post_or_keep(form, lambda text: actions.post_comment(item, text=text, poster=poster)):
        return public_page(request, item, form, status=400)
    messages.success(request, _("Your comment was posted."))
    return redirect(back)


@require_POST
def public_support(request: HttpRequest, council_slug: str, pk: int, comment_id: int) -> HttpResponse:
    item = public_deliberation(council_slug, pk)
    identity = _identity(request, item.council)
    back = public_url(item)
    if identity is None:
        messages.error(request, _("Verify your mobile number first."))
        return redirect(back + "#verify")
    comment = access_comment(item, comment_id)
    return _run(
        request,
        lambda: actions.support_comment(comment, poster=actions.Poster.of_identity(identity)),
        _("You support this comment."),
        back,
    )


@require_POST
def public_leave(request: HttpRequest, council_slug: str, pk: int) -> HttpResponse:
    item = public_deliberation(council_slug, pk)
    request.session.pop(_session_key(item.council), None)
    return redirect(public_url(item))
