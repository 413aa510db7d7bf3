"""Continuity across years: each theme's years, and the lower councils';
and the page where staff tag a proposal or an opinion report with themes."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xieshang.consultations.actions import continuity as actions
from xieshang.consultations.actions.continuity import continuity
from xieshang.consultations.queries import access_taggable, tags_of, themes_of_council
from xieshang.core.forms import StyledFormMixin
from xieshang.core.pages import add_errors
from xieshang.councils.roles import Perm
from xieshang.councils.settings_catalog import WORD_SEPARATORS
from xieshang.councils.tenancy import CouncilRequest, council_view


@council_view(Perm.VIEW_CONSULTATIONS)
def themes(request: CouncilRequest) -> HttpResponse:
    result = continuity(request.actor)
    return render(request, "consultations/themes/continuity.html", {"result": result, "years": result.years})


class TagForm(StyledFormMixin, forms.Form):
    names = forms.CharField(
        label=gettext_lazy("Themes"),
        max_length=300,
        help_text=gettext_lazy(
            "Choose one of the council's themes or type a new one; separate several by commas."
        ),
        widget=forms.TextInput(attrs={"list": "council-themes", "autocomplete": "off"}),
    )


def tag_url(request: CouncilRequest, kind: str, item_id: int) -> str:
    return reverse(
        "consultations:theme_tag",
        kwargs={"council_slug": request.council.slug, "kind": kind, "item_id": item_id},
    )


@council_view(Perm.MANAGE_CONSULTATIONS)
def theme_tag(request: CouncilRequest, kind: str, item_id: int) -> HttpResponse:
    """An item's themes: tag it with more (existing or new) or remove one."""
    item = access_taggable(request.actor, kind, item_id)
    form = TagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        names = WORD_SEPARATORS.split(form.cleaned_data["names"])
        try:
            tags = actions.tag_item(item.obj, year=item.year, names=names, actor=request.actor)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Tagged with: %(names)s.") % {"names": "、".join(t.theme.name for t in tags)},
            )
            return redirect(tag_url(request, kind, item_id))
    return render(
        request,
        "consultations/themes/tag.html",
        {
            "item": item,
            "tags": list(tags_of(item.obj)),
            "form": form,
            "themes": list(themes_of_council(request.council)),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@council_view(Perm.MANAGE_CONSULTATIONS)
def theme_untag(request: CouncilRequest, kind: str, item_id: int, tag_id: int) -> HttpResponse:
    item = access_taggable(request.actor, kind, item_id)
    tag = tags_of(item.obj).filter(pk=tag_id).first()
    if tag is None:
        raise Http404
    actions.untag_item(tag, actor=request.actor)
    messages.success(request, _("The theme “%(name)s” was removed.") % {"name": tag.theme.name})
    return redirect(tag_url(request, kind, item_id))
