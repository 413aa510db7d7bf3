"""The consultation API: plans and their items, consultations, speeches and
outcomes, joint consultations with lower councils, online deliberation,
draft regulations, and themes across years, with the same permissions and
actions as the pages.

One module per area; `router` mounts them."""

from __future__ import annotations

from ninja import Router

from xieshang.consultations.api import (
    consultations,
    deliberation,
    joint,
    legislative,
    outcomes,
    plans,
    speeches,
    themes,
)

router = Router(tags=["consultations"])
for area in (plans, consultations, speeches, outcomes, deliberation, legislative, joint, themes):
    router.add_router("", area.router)
