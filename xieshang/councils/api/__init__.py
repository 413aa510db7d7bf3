"""The councils app's HTTP API: who am I, my councils, a council's members,
units, groups, sectors, affiliations, and my messages.

Scoped exactly like the pages: /c/{council_slug}/… resolves the council and
the Actor (404 for missing and forbidden alike), requires a permission (403),
reads through queries.py and writes through the same actions and form rules
as the member pages.
"""

from __future__ import annotations

from ninja import Router

from xieshang.councils.api import councils, members, notifications

router = Router()
router.add_router("", councils.router)
router.add_router("", members.router)
router.add_router("", notifications.router)
