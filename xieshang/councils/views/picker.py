"""The person picker's search (core.widgets.PersonPicker): one page of the
council's members matching what was typed, as JSON. The browser builds
the list from it with textContent, so a name is always shown as text."""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse

from xieshang.core.errors import require
from xieshang.councils.forms.picker import PickerQueryForm
from xieshang.councils.queries import may_pick_members, pick_members
from xieshang.councils.tenancy import CouncilRequest, council_view


@council_view()
def member_pick(request: CouncilRequest) -> HttpResponse:
    """Who may pick: those who see the roster, and members choosing
    cosigners; everyone else with a place in the council gets 403."""
    require(may_pick_members(request.actor))
    form = PickerQueryForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"results": [], "more": False}, status=400)
    data = form.cleaned_data
    found = pick_members(
        request.actor, data["q"], page=data["page"] or 1, term_id=data["term"], exclude=data["exclude"]
    )
    results = [
        {"id": m.pk, "name": m.full_name, "detail": m.sector.name if m.sector else ""} for m in found.members
    ]
    return JsonResponse({"results": results, "more": found.more})
