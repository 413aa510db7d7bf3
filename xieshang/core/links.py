"""Links that leave the site (e-mail, SMS, a QR code, a link to copy): built
from the configured public address (settings.PUBLIC_URL), never from the
host and port a request or the server happens to use."""

from __future__ import annotations

from django.conf import settings


def public_url(path: str) -> str:
    """path (a site path such as /c/city/proposals/3/) as an address people
    outside can open; an address that is already absolute is kept."""
    if not path or "://" in path:
        return path
    return f"{settings.PUBLIC_URL.rstrip('/')}/{path.lstrip('/')}"
