"""Full-text search over proposals, and the similar-proposals hint shown
while a proposal is written or reviewed."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from xieshang.core.forms import NormalisedTextMixin, StyledFormMixin
from xieshang.councils.models import Affiliation, Council, HandlingUnit, Sector
from xieshang.councils.queries import bodies_of, session_years
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view
from xieshang.proposals.models import ProposalCategory
from xieshang.proposals.queries import access_proposal
from xieshang.proposals.search import (
    ProposalHit,
    SearchFilters,
    count_proposals,
    search_proposals,
    similar_proposals,
)
from xieshang.proposals.states import ProposalStatus

QUERY_MAX = 100
PER_PAGE = 20


def _choices(rows: Any, blank: Any) -> list[tuple[str, Any]]:
    return [("", blank), *((str(row.pk), row.name) for row in rows)]


class SearchForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Words to find"), max_length=QUERY_MAX, required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.TypedChoiceField(label=_("Category"), required=False, coerce=int, empty_value=None)
    unit = forms.TypedChoiceField(label=_("Handling unit"), required=False, coerce=int, empty_value=None)
    sector = forms.TypedChoiceField(label=_("Sector"), required=False, coerce=int, empty_value=None)
    affiliation = forms.TypedChoiceField(label=_("Affiliation"), required=False, coerce=int, empty_value=None)
    key = forms.ChoiceField(
        label=_("Key proposals"),
        required=False,
        choices=[("", _("Key or not")), ("yes", _("Key proposals only")), ("no", _("Other proposals"))],
    )

    def __init__(self, *args: Any, council: Council, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["year"].choices = [("", _("All years")), *((str(y), str(y)) for y in years)]
        fields["status"].choices = [
            ("", _("All statuses")),
            *((v, label) for v, label in ProposalStatus.choices if v != ProposalStatus.DRAFT),
        ]
        fields["category"].choices = _choices(bodies_of(council, ProposalCategory), _("All categories"))
        fields["unit"].choices = _choices(bodies_of(council, HandlingUnit), _("All units"))
        fields["sector"].choices = _choices(bodies_of(council, Sector), _("All sectors"))
        fields["affiliation"].choices = _choices(bodies_of(council, Affiliation), _("All affiliations"))

    def filters(self) -> SearchFilters:
        data = self.cleaned_data if self.is_valid() else {}
        key = data.get("key") or ""
        return SearchFilters(
            year=data.get("year"),
            status=data.get("status") or "",
            category_id=data.get("category"),
            unit_id=data.get("unit"),
            sector_id=data.get("sector"),
            affiliation_id=data.get("affiliation"),
            is_key={"yes": True, "no": False}.get(key),
        )


class _Results:
    """The hits of one query as a sequence the Paginator can slice: only the
    page shown is fetched."""

    def __init__(self, request: CouncilRequest, query: str, filters: SearchFilters) -> None:
        self.request, self.query, self.filters = request, query, filters

    @cached_property
    def _count(self) -> int:
        return count_proposals(self.request.actor, self.query, self.filters)

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: slice) -> list[ProposalHit]:
        start, stop = index.start or 0, index.stop or (index.start or 0) + PER_PAGE
        return search_proposals(
            self.request.actor, self.query, self.filters, limit=stop - start, offset=start
        )


@council_view()
def search(request: CouncilRequest) -> HttpResponse:
    """Find proposals by words in titles, bodies and released replies, among
    those the user may open, with the list filters."""
    form = SearchForm(request.GET, council=request.council, years=session_years(request.council))
    filters = form.filters()
    query = form.cleaned_data.get("q", "").strip() if form.is_valid() else ""
    page: Any = None
    if query:
        results: Any = _Results(request, query, filters)
        page = Paginator(results, PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "proposals/search/index.html",
        {"form": form, "q": query, "page": page, "query": params.urlencode()},
    )


class SimilarForm(NormalisedTextMixin, forms.Form):
    title = forms.CharField(required=False, max_length=300)
    situation = forms.CharField(required=False, max_length=20000)
    analysis = forms.CharField(required=False, max_length=20000)
    suggestions = forms.CharField(required=False, max_length=20000)
    proposal = forms.IntegerField(required=False)


@council_view()
def similar(request: CouncilRequest) -> HttpResponse:
    """An htmx fragment: existing proposals similar to the text being written
    (POSTed by the filing form) or to a filed proposal (GET ?proposal=<id>,
    on the review page)."""
    form = SimilarForm(request.POST if request.method == "POST" else request.GET)
    rows: list[Any] = []
    if form.is_valid():
        data = form.cleaned_data
        current = access_proposal(request.actor, data["proposal"]) if data.get("proposal") else None
        if current is not None:
            title, text = current.title, f"{current.situation}\n{current.analysis}\n{current.suggestions}"
        else:
            title = data.get("title") or ""
            text = "\n".join(data.get(name) or "" for name in ("situation", "analysis", "suggestions"))
        if (title + text).strip():
            rows = similar_proposals(request.actor, title=title, text=text, exclude=current)
    return render(
        request,
        "proposals/search/_similar.html",
        {"rows": rows, "is_staff": request.actor.has(Perm.VIEW_ALL_PROPOSALS)},
    )
