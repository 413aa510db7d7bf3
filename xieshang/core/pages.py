"""What every app's pages share: showing an action's refusal on the form or
as messages, reading the version a form was loaded at, a button that runs one
action, and the page with one form that calls one action
(templates/core/form_page.html)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from xieshang.core.errors import Conflict


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """Show an action's ValidationError next to the form's fields (above the
    form for fields it does not have, and for errors of no field)."""
    if not hasattr(error, "error_dict"):
        for problem in error.messages:
            form.add_error(None, problem)
        return
    for name, problems in error.message_dict.items():
        target = name if name in form.fields else None
        for problem in problems:
            form.add_error(target, problem)


def flash_errors(request: HttpRequest, error: ValidationError) -> None:
    """Say each problem of an action's ValidationError as an error message
    (for a button, which has no form to show them on)."""
    for problem in error.messages:
        messages.error(request, problem)


def version_of(request: HttpRequest) -> int | None:
    """The version a button's form was loaded at (None when not sent)."""
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


def form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    title: str,
    back: str,
    call: Callable[[dict[str, Any]], Any],
    success: str,
    done: Callable[[Any], str] | None = None,
    subject: str = "",
    submit: str = "",
    danger: bool = False,
    confirm: str = "",
    multipart: bool = False,
    breadcrumb: str = "",
    template: str = "core/form_page.html",
    context: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """A page with one form that calls one action on a valid POST.

    call(cleaned_data) runs the action; its ValidationError is shown on the
    form, which keeps what was typed. On success the page says success and
    goes to done(result), or back, the page the form was opened from (its
    Cancel link too). subject is the line under the title; submit the
    button's words ("Save"); danger makes the button red and confirm asks
    before sending; breadcrumb names a template for the breadcrumb, given
    the title as `here`, instead of the Back link; context adds to what
    template (the shared one unless given) receives.
    """
    if request.method == "POST" and form.is_valid():
        try:
            result = call(form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(done(result) if done else back)
    page = {
        "form": form,
        "title": title,
        "subject": subject,
        "back": back,
        "submit": submit,
        "danger": danger,
        "confirm": confirm,
        "multipart": multipart,
        "breadcrumb": breadcrumb,
    }
    return render(request, template, {**page, **(context or {})})


def run_button(request: HttpRequest, call: Callable[[], Any], success: str, back: str) -> HttpResponse:
    """A button's post: call one action, say what happened (or why not, a
    conflict included), and go back to back."""
    try:
        call()
    except ValidationError as error:
        flash_errors(request, error)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect(back)
