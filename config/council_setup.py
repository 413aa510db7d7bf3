"""What each app gives a council when the platform administrator creates it.

config is the top layer, so it may name any app's actions; create_council
(councils/actions/platform.py) calls each entry, in order, inside its own
transaction, so a council never exists without them. Each entry takes the new
council and the creating user, writes through the app's own models, audits
what it wrote, and does nothing on a second call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from xieshang.proposals.actions.config import create_default_lists
from xieshang.supervision.actions import create_default_target_kinds

COUNCIL_SETUP: tuple[Callable[..., Any], ...] = (
    # The national categories, grounds for not accepting and reply categories
    # (DOMAIN.md §1), which staff then edit as the council's own lists.
    create_default_lists,
    # The kinds of supervision target (river, street, market, site), which
    # staff then edit as the council's own list.
    create_default_target_kinds,
)
