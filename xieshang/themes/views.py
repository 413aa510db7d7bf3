"""The page where staff tag an item with themes and remove them. The app
owning the item serves it at <item>/themes/ (URL names themes and
theme_untag in its namespace): its views resolve the item with its own
access function and hand it to tag_page() and untag_page() here."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from xieshang.core.pages import add_errors
from xieshang.councils.settings_catalog import WORD_SEPARATORS
from xieshang.councils.tenancy import CouncilRequest
from xieshang.themes import actions
from xieshang.themes.forms import TagForm
from xieshang.themes.queries import TaggedItem, tags_of, themes_of_council


def _route(request: CouncilRequest, name: str, item: TaggedItem, **extra: int) -> str:
    namespace = request.resolver_match.namespace if request.resolver_match else ""
    return reverse(
        f"{namespace}:{name}", kwargs={"council_slug": request.council.slug, "pk": item.obj.pk, **extra}
    )


def tag_page(request: CouncilRequest, item: TaggedItem) -> HttpResponse:
    """An item's themes: tag it with more (existing or new) or remove one."""
    form = TagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        names = WORD_SEPARATORS.split(form.cleaned_data["names"])
        try:
            tags = actions.tag_item(item.obj, year=item.year, names=names, actor=request.actor)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("Tagged with: %(names)s.") % {"names": "、".join(t.theme.name for t in tags)}
            )
            return redirect(_route(request, "themes", item))
    rows = [(tag, _route(request, "theme_untag", item, tag_id=tag.pk)) for tag in tags_of(item.obj)]
    return render(
        request,
        "themes/tag.html",
        {"item": item, "rows": rows, "form": form, "themes": list(themes_of_council(request.council))},
        status=400 if form.errors else 200,
    )


def untag_page(request: CouncilRequest, item: TaggedItem, tag_id: int) -> HttpResponse:
    """Remove one of the item's themes (by its tag id); 404 for a tag that
    is not the item's."""
    tag = tags_of(item.obj).filter(pk=tag_id).first()
    if tag is None:
        raise Http404
    actions.untag_item(tag, item=item.obj, actor=request.actor)
    messages.success(request, _("The theme “%(name)s” was removed.") % {"name": tag.theme.name})
    return redirect(_route(request, "themes", item))
