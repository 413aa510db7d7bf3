"""Where to go after a form: the `next` address, when it is a path on this site."""

from __future__ import annotations

import unicodedata

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

# Longer is no link anyone followed, and would make a redirect header that
# proxies refuse.
NEXT_MAX_LENGTH = 2000


def safe_next(request: HttpRequest, fallback: str = "/") -> str:
    """The `next` address of the request when it is a path on this site,
    else fallback.

    Only a path from the root is followed: no scheme, no host, no
    protocol-relative or backslash form, no control character. So no value
    sends anyone to another site, and none reaches redirect()'s view-name
    lookup (where "abc" raised NoReverseMatch).
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if is_local_path(request, target) else fallback


def is_local_path(request: HttpRequest, target: str) -> bool:
    if not target.startswith("/") or target.startswith(("//", "/\\")) or len(target) > NEXT_MAX_LENGTH:
        return False
    if any(unicodedata.category(char) == "Cc" for char in target):
        return False
    return url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
