"""The democratic supervision API (/api/v1/c/<slug>/supervision/…), with
the same permissions, checks and actions as the pages. Photos travel as
multipart uploads, one per request; everything else as JSON."""

from __future__ import annotations

from ninja import Router

from xieshang.supervision.api import campaigns, recommendations, resident, statistics

router = Router(tags=["supervision"])
for area in (statistics, campaigns, recommendations, resident):
    router.add_router("", area.router)
