"""Helpers every consultation page shares."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect

from xieshang.councils.tenancy import CouncilRequest


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def run_post(request: CouncilRequest, call: Callable[[], Any], success: str, back: str) -> HttpResponse:
    """Run one action for a button (a POST without a form page): say what
    happened, or why not, and go back."""
    try:
        call()
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, success)
    return redirect(back)
