"""Map the errors actions raise to responses, once for every page; refuse
addresses too long to be a real request; keep the API's errors JSON; run a
form post sent twice only once."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import connections
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from xieshang.core.audit import audit
from xieshang.core.errors import Conflict
from xieshang.core.models import FormSubmission
from xieshang.core.rejections import api_error, is_api, refuse, too_long_address
from xieshang.core.submissions import claim, fingerprint, first_result, forget, remember


class AddressLengthMiddleware:
    """Refuse (414) an address longer than settings.MAX_URL_LENGTH, before
    anything reads its query string.

    gunicorn lets long request lines through (deploy/gunicorn.conf.py) so
    that the refusal comes from here, in the user's language, rather than as
    the web server's empty 414; nginx bounds the line far above this limit.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = len(request.path_info) + len(request.META.get("QUERY_STRING", ""))
        if length > settings.MAX_URL_LENGTH:
            return too_long_address(request)
        return self.get_response(request)


# What an API client is told when something below the API answered an error
# without a body of its own (django-ninja's 405, for one).
def _status_messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood. Check it and try again."),
        401: _("Log in or send a valid API token."),
        403: _("You do not have permission to do this."),
        404: _("Not found."),
        405: _("This address does not accept this method. See /api/v1/docs for what it accepts."),
        409: str(Conflict().message),
    }


class ErrorMappingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_api(request) and response.status_code >= 400 and not _is_json(response):
            messages = _status_messages()
            fallback = _("The request could not be done.")
            answer = api_error(response.status_code, messages.get(response.status_code, fallback))
            if response.has_header("Allow"):
                answer["Allow"] = response["Allow"]
            return answer
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, PermissionDenied):
            # Written outside the failed action's transaction, which has rolled back.
            audit(
                "permission_denied",
                user=request.user,
                council=getattr(request, "council", None),
                data={"path": request.path[:300], "method": request.method},
                outcome="denied",
                request=request,
            )
            return None  # Django renders 403.html
        if isinstance(exception, Conflict):
            return render(request, "409.html", {"message": exception.message}, status=409)
        return None


def _is_json(response: HttpResponse) -> bool:
    return str(response.get("Content-Type", "")).startswith("application/json")


class SubmitOnceMiddleware:
    """Run a page's form post once: the same post sent again (same
    submission key, same contents) by the same user is sent where the first
    one led (core.submissions). API requests and htmx requests, which answer
    in place rather than by redirect, are left alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user_id = _page_form_poster(request)
        digest = fingerprint(request) if user_id is not None else None
        if user_id is None or digest is None:
            return self.get_response(request)
        submission = claim(user_id, digest)
        if submission is None:
            result = first_result(user_id, digest, wait_seconds=settings.SUBMISSION_WAIT_SECONDS)
            if result.location:
                messages.info(request, _("This form had already been sent; here is what it did."))
                return HttpResponseRedirect(result.location)
            # The first post ended without a redirect (a form with errors): run this one.
            submission = claim(user_id, digest) if result.is_forgotten else None
            if submission is None:
                return _still_running(request)
        return self._run_first(request, submission)

    def _run_first(self, request: HttpRequest, submission: FormSubmission) -> HttpResponse:
        try:
            response = self.get_response(request)
        except BaseException:
            forget(submission)
            raise
        if 300 <= response.status_code < 400 and response.has_header("Location"):
            remember(submission, response["Location"])
        else:
            forget(submission)
        return response


def _page_form_poster(request: HttpRequest) -> int | None:
    """The id of the logged-in user posting a page's form (not the API's,
    not htmx's), else None."""
    if request.method != "POST" or is_api(request) or request.headers.get("HX-Request"):
        return None
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return cast(int, user.pk)


def _still_running(request: HttpRequest) -> HttpResponse:
    message = _(
        "This form is still being handled after your first click. Wait a moment, then reload the page."
    )
    return refuse(request, 409, message, title=_("Already sent"))


slow_log = logging.getLogger("xieshang.slow_requests")


class SlowRequestMiddleware:
    """Log each request that takes SLOW_REQUEST_MS or longer (negative: none)
    with its method, path, status, time and number of database queries, on
    the logger xieshang.slow_requests at WARNING. First in the middleware
    list, so that the time includes every other middleware; a streamed
    answer is timed until its first byte is ready."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        threshold = settings.SLOW_REQUEST_MS
        if threshold < 0:
            return self.get_response(request)
        counter = _QueryCounter()
        start = time.perf_counter()
        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(counter))
            response = self.get_response(request)
        elapsed_ms = (time.perf_counter() - start) * 1000
        if elapsed_ms >= threshold:
            slow_log.warning(
                "slow request: %s %s status %s in %.0f ms, %d queries",
                request.method,
                request.path[:300],
                response.status_code,
                elapsed_ms,
                counter.queries,
            )
        return response


class _QueryCounter:
    def __init__(self) -> None:
        self.queries = 0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        self.queries += 1
        return execute(sql, params, many, context)
