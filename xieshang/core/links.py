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


def qr_code(content: str, *, scale: int = 8) -> str:
    """content (an address, an authenticator key …) as a QR code, in an SVG
    data URI an <img> shows under the strict CSP."""
    import segno  # 10 MB; only the pages showing a code need it.

    return str(segno.make(content, error="m").svg_data_uri(scale=scale, border=2, dark="#000", light="#fff"))
