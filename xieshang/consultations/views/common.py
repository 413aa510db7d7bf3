"""Helpers every consultation page shares."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from xieshang.councils.tenancy import CouncilRequest


def add_errors(form: forms.Form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        for problem in error.messages:
            form.add_error(None, problem)
        return
    for name, problems in error.message_dict.items():
        target = name if name in form.fields else None
        for problem in problems:
            form.add_error(target, problem)


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


def form_page(
    request: CouncilRequest,
    form: forms.Form,
    *,
    title: str,
    back: str,
    call: Callable[[dict[str, Any]], Any],
    success: str,
    done: Callable[[Any], str] | None = None,
    subject: str = "",
    submit: str = "",
    multipart: bool = False,
    confirm: str = "",
) -> HttpResponse:
    """A page with one form that calls one action on a valid POST."""
    if request.method == "POST" and form.is_valid():
        try:
            result = call(form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(done(result) if done else back)
    return render(
        request,
        "consultations/form.html",
        {
            "form": form,
            "title": title,
            "subject": subject,
            "back": back,
            "submit": submit,
            "multipart": multipart,
            "confirm": confirm,
        },
    )
