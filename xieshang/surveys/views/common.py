"""What the survey pages share."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from xieshang.core.links import public_url
from xieshang.councils.tenancy import CouncilRequest
from xieshang.surveys.models import Survey


def to_detail(request: CouncilRequest, survey: Survey) -> HttpResponse:
    return redirect("surveys:detail", council_slug=request.council.slug, pk=survey.pk)


def detail_url(survey: Survey) -> str:
    return reverse("surveys:detail", kwargs={"council_slug": survey.council.slug, "pk": survey.pk})


def public_link(survey: Survey) -> str:
    """The address the public opens (and the QR code encodes)."""
    return public_url(
        reverse("surveys:public", kwargs={"council_slug": survey.council.slug, "pk": survey.pk})
    )
