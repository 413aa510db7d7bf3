"""What follows the events the platform records.

core.events.record_event hands each event, as it is written inside the
action's transaction, to every function listed here. config is the top
layer, so it may name any app's function; a follower reads nothing and
writes nothing in that transaction (it may register work to run once the
transaction commits), so an action costs the same with or without it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from xieshang.duty.tasks import follow_event

EVENT_FOLLOWERS: tuple[Callable[[Any], None], ...] = (
    # Duty records follow the work within a minute (duty/refresh.py).
    follow_event,
)
