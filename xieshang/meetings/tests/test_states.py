"""Every (current, target) pair of the meeting and leave tables."""

from __future__ import annotations

import pytest

from xieshang.core.errors import InvalidTransition
from xieshang.core.states import all_pairs
from xieshang.meetings.states import (
    LEAVE_TRANSITIONS,
    MEETING_TRANSITIONS,
    LeaveStatus,
    MeetingStatus,
    ensure_leave_transition,
    ensure_meeting_transition,
)

MEETING_ALLOWED = {
    ("draft", "published"),
    ("draft", "cancelled"),
    ("published", "closed"),
    ("published", "cancelled"),
}
LEAVE_ALLOWED = {("pending", "approved"), ("pending", "refused"), ("pending", "withdrawn")}


@pytest.mark.parametrize(
    ("current", "target", "allowed"), all_pairs(MEETING_TRANSITIONS, list(MeetingStatus.values))
)
def test_meeting_transition_table(current: str, target: str, allowed: bool) -> None:
    assert allowed == ((current, target) in MEETING_ALLOWED)
    if allowed:
        ensure_meeting_transition(current, target)
    else:
        with pytest.raises(InvalidTransition):
            ensure_meeting_transition(current, target)


@pytest.mark.parametrize(
    ("current", "target", "allowed"), all_pairs(LEAVE_TRANSITIONS, list(LeaveStatus.values))
)
def test_leave_transition_table(current: str, target: str, allowed: bool) -> None:
    assert allowed == ((current, target) in LEAVE_ALLOWED)
    if allowed:
        ensure_leave_transition(current, target)
    else:
        with pytest.raises(InvalidTransition):
            ensure_leave_transition(current, target)
