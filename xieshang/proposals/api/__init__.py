"""The proposals API: the whole lifecycle, with the same permissions, checks
and actions as the pages (/api/v1/c/<slug>/proposals/…).

Batches (accepting from the queue, the assignment meeting) are all or
nothing, as on the pages: an id that is not the council's is a 404, a
proposal someone else got to first a 409 naming it, and either way nothing
changes. Files travel as multipart uploads; everything else as JSON.

One module per area; `router` mounts them. Filing comes last: its
/proposals/{proposal_id} would otherwise take the fixed paths of the
others (/proposals/meeting, /proposals/statistics …), and within it the
fixed paths come first for the same reason."""

from __future__ import annotations

from ninja import Router

from xieshang.proposals.api import (
    collective,
    files,
    filing,
    follow_through,
    followups,
    handling,
    replies,
    review,
    search,
    statistics,
    themes,
)

router = Router(tags=["proposals"])
for area in (
    followups,
    collective,
    files,
    review,
    handling,
    replies,
    follow_through,
    themes,
    search,
    statistics,
    filing,
):
    router.add_router("", area.router)
