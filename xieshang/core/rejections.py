"""Answers to requests refused before any view runs: a body or an address
too large, a form whose CSRF check failed, and the status pages Django
renders itself (400, 403, 404, 500).

Each says why, in the user's language. Under /api/ the answer is JSON in the
API's error shape ({"detail": …, "errors": {}}); elsewhere it is one of the
platform's own pages. config/urls.py names these views as Django's error
handlers and settings.CSRF_FAILURE_VIEW names csrf_failure.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware import csrf
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults

API_PREFIX = "/api/"
MEGABYTE = 1024 * 1024


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def api_error(status: int, detail: str) -> JsonResponse:
    """An error answer of the API, in the shape of core.api.ErrorOut."""
    return JsonResponse({"detail": detail, "errors": {}}, status=status)


def refuse(request: HttpRequest, status: int, message: str, *, title: str) -> HttpResponse:
    """JSON for the API, the platform's refusal page for everything else."""
    if is_api(request):
        return api_error(status, message)
    return render(request, "refused.html", {"title": title, "message": message}, status=status)


def too_large_message() -> str:
    limit = max(1, round(settings.DATA_UPLOAD_MAX_MEMORY_SIZE / MEGABYTE))
    return _(
        "What was sent is too large: at most %(limit)s MB can be sent at once, not counting "
        "attached files. Shorten the text, or send it in several parts."
    ) % {"limit": limit}


def too_long_address_message() -> str:
    return _(
        "The address is too long: at most %(limit)s characters are accepted. "
        "Search with fewer or shorter words and filters."
    ) % {"limit": settings.MAX_URL_LENGTH}


def too_many_fields_message() -> str:
    return _("The form sent too many fields or files at once. Send fewer items at a time.")


def too_large(request: HttpRequest) -> HttpResponse:
    return refuse(request, 413, too_large_message(), title=_("Too much data"))


def too_long_address(request: HttpRequest) -> HttpResponse:
    return refuse(request, 414, too_long_address_message(), title=_("Address too long"))


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's handler400: a body over DATA_UPLOAD_MAX_MEMORY_SIZE is 413."""
    if isinstance(exception, RequestDataTooBig):
        return too_large(request)
    if isinstance(exception, (TooManyFieldsSent, TooManyFilesSent)):
        return refuse(request, 400, too_many_fields_message(), title=_("Bad request"))
    if is_api(request):
        return api_error(400, _("The request could not be understood. Check it and try again."))
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        message = str(exception) if exception.args else ""
        return api_error(403, message or _("You do not have permission to do this."))
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return api_error(404, _("This address is not part of the API. See /api/v1/docs for its addresses."))
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return api_error(500, _("The server ran into an error; it was logged. Try again later."))
    return defaults.server_error(request)


# Django's reasons (django.middleware.csrf), grouped by what the user can do.
_CSRF_ORIGIN_REASONS = ("Origin checking failed", "Referer checking failed")


def csrf_message(reason: str) -> str:
    """What to do about a CSRF failure, for Django's English reason."""
    if reason == csrf.REASON_NO_CSRF_COOKIE:
        return _(
            "Your browser did not send this site's security cookie, so the form was not accepted. "
            "Allow cookies for this site, reload the page and send the form again."
        )
    if reason.startswith(_CSRF_ORIGIN_REASONS):
        return _(
            "The form was not sent from a page of this site, so it was not accepted. "
            "Open the page on this site and send the form from there."
        )
    return _(
        "The form's security token has expired or is missing, so the form was not accepted "
        "(this happens after logging in again in another tab, or after a long pause). "
        "Reload the page and send the form again."
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """settings.CSRF_FAILURE_VIEW: say why the form was refused and what to do."""
    return refuse(request, 403, csrf_message(reason), title=_("Form not accepted"))
