"""The page where staff tag a filed opinion report with themes (see the themes app)."""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.http import require_POST

from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view
from xieshang.opinions.queries import access_report_to_tag
from xieshang.themes.views import tag_page, untag_page


@council_view(Perm.MANAGE_CONSULTATIONS)
def themes(request: CouncilRequest, pk: int) -> HttpResponse:
    return tag_page(request, access_report_to_tag(request.actor, pk))


@require_POST
@council_view(Perm.MANAGE_CONSULTATIONS)
def theme_untag(request: CouncilRequest, pk: int, tag_id: int) -> HttpResponse:
    return untag_page(request, access_report_to_tag(request.actor, pk), tag_id)
