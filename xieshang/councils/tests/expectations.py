"""Permission-matrix expectations shared by the council administration tests.

Council administration pages belong to the council administrator (admin) and
the platform administrator; every other role in the city gets 403, the
province's staff (upper) too, staff of another city (outsider) get 404 as for
a council that does not exist, and anonymous visitors are sent to log in.
"""

from __future__ import annotations

from django.conf import settings
from django.test import Client

from xieshang.core.testing import Expect

REFUSED_IN_CITY = ("staff", "leader", "member", "liaison", "oversight", "upper")


def admin_only(status: int = 302) -> dict[str, Expect]:
    """Expectations for a write (status: what admin and platform get)."""
    out = {name: Expect(403) for name in REFUSED_IN_CITY}
    out.update(
        admin=Expect(status, changes=True),
        platform=Expect(status, changes=True),
        outsider=Expect(404),
        anonymous=Expect(302),
    )
    return out


def admin_only_page() -> dict[str, Expect]:
    """Expectations for a page that only shows (nothing may change)."""
    return {name: Expect(e.status) for name, e in admin_only(200).items()}


def in_english(client: Client) -> Client:
    """client, asking for English pages (the default is Chinese), for tests that
    read the wording of a message."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
