"""The concern workflow: every (current, target) pair of the table, and the
actions refusing what the table refuses."""

from __future__ import annotations

import pytest
import time_machine

from xieshang.core.errors import InvalidTransition
from xieshang.core.states import all_pairs
from xieshang.liaison.actions import close_concern, resolve_concern, start_concern
from xieshang.liaison.models import Concern
from xieshang.liaison.states import CONCERN_TRANSITIONS, ConcernStatus, ensure_concern_transition
from xieshang.liaison.tests.conftest import TODAY

S = ConcernStatus
ALLOWED = {
    (S.OPEN, S.IN_PROGRESS),
    (S.OPEN, S.RESOLVED),
    (S.OPEN, S.CLOSED),
    (S.IN_PROGRESS, S.RESOLVED),
    (S.IN_PROGRESS, S.CLOSED),
}


@pytest.mark.parametrize(("current", "target", "allowed"), all_pairs(CONCERN_TRANSITIONS, list(S.values)))
def test_concern_transition_table_allows_exactly_the_drawn_arrows(current, target, allowed):
    assert allowed == ((current, target) in ALLOWED)
    if allowed:
        ensure_concern_transition(current, target)
    else:
        with pytest.raises(InvalidTransition):
            ensure_concern_transition(current, target)


ACTIONS = {
    S.IN_PROGRESS: lambda concern, actor: start_concern(concern, actor=actor),
    S.RESOLVED: lambda concern, actor: resolve_concern(concern, actor=actor, resolution="已疏通排水管网。"),
    S.CLOSED: lambda concern, actor: close_concern(
        concern, actor=actor, reason="已并入市政改造项目统一解决。"
    ),
}


@pytest.mark.parametrize("current", list(S.values))
@pytest.mark.parametrize("target", list(ACTIONS))
def test_concern_actions_follow_the_table(world, current, target):
    with time_machine.travel(TODAY):
        concern = world.concern()
        Concern.objects.filter(pk=concern.pk).update(status=current)
        concern.refresh_from_db()
        staff = world.actor("staff")
        if (current, target) in ALLOWED:
            ACTIONS[target](concern, staff)
            concern.refresh_from_db()
            assert concern.status == target
        else:
            with pytest.raises(InvalidTransition):
                ACTIONS[target](concern, staff)
            concern.refresh_from_db()
            assert concern.status == current
