"""What the survey pages share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from xieshang.core.errors import Conflict
from xieshang.core.links import public_url
from xieshang.core.pages import flash_errors
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


def run_button(request: HttpRequest, call: Callable[[], Any], success: str, back: str) -> HttpResponse:
    """A button's post: call one action, say what happened, go back."""
    try:
        call()
    except ValidationError as error:
        flash_errors(request, error)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect(back)
