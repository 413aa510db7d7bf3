"""A member's own constituent list (phone first): list, add, change."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from xieshang.core.pages import add_errors
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view
from xieshang.liaison.actions import save_constituent
from xieshang.liaison.forms import ConstituentForm
from xieshang.liaison.queries import access_constituent, my_constituents


@council_view(Perm.KEEP_CONSTITUENTS)
def constituents(request: CouncilRequest) -> HttpResponse:
    """The people and organisations I keep contact with. Phones show in full
    here: it is the member's own list."""
    rows = my_constituents(request.actor).order_by("-is_active", "name", "id")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "liaison/constituents.html", {"page": page, "total": page.paginator.count})


@council_view(Perm.KEEP_CONSTITUENTS)
def constituent_edit(request: CouncilRequest, pk: int | None = None) -> HttpResponse:
    actor = request.actor
    row = access_constituent(actor, pk) if pk is not None else None
    form = ConstituentForm(
        request.POST or None,
        initial=ConstituentForm.initial_from(row) if row is not None else {"is_active": True},
    )
    if request.method == "POST" and form.is_valid():
        try:
            save_constituent(row, actor=actor, data=form.data_object())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved to your list."))
            return redirect("liaison:constituents", council_slug=actor.council.slug)
    return render(request, "liaison/constituent_form.html", {"form": form, "constituent": row})
