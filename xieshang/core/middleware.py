"""Map the errors actions raise to responses, once for every page."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xieshang.core.audit import audit
from xieshang.core.errors import Conflict


class ErrorMappingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

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
