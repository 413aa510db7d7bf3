"""The workflow tables, pair by pair, against the diagrams in states.py: the
proposal's and the next-year follow-up's."""

from __future__ import annotations

import pytest

from xieshang.core.errors import InvalidTransition
from xieshang.core.states import all_pairs
from xieshang.proposals.states import (
    ALLOWED_TRANSITIONS,
    FOLLOW_UP_TRANSITIONS,
    FollowUpStatus,
    ProposalStatus,
    ensure_follow_up_transition,
    ensure_proposal_transition,
)

S = ProposalStatus
F = FollowUpStatus

# The diagram, written out independently of the table it checks.
EDGES = {
    (S.DRAFT, S.SUBMITTED),
    (S.SUBMITTED, S.ACCEPTED),
    (S.SUBMITTED, S.DECLINED),
    (S.SUBMITTED, S.CONVERTED),
    (S.SUBMITTED, S.MERGED),
    (S.SUBMITTED, S.RETURNED),
    (S.RETURNED, S.SUBMITTED),
    (S.ACCEPTED, S.ASSIGNED),
    (S.ASSIGNED, S.REPLIED),
    (S.REPLIED, S.RELEASED),
    (S.REPLIED, S.ASSIGNED),
    (S.REPLIED, S.REHANDLING),
    (S.RELEASED, S.RATED),
    (S.RELEASED, S.CONCLUDED),
    (S.RATED, S.CONCLUDED),
    (S.RATED, S.REHANDLING),
    (S.REHANDLING, S.REPLIED),
}

PAIRS = [(a, b) for a in S.values for b in S.values]


def test_table_covers_every_status() -> None:
    assert set(ALLOWED_TRANSITIONS) == set(S.values)


@pytest.mark.parametrize(("current", "target"), PAIRS)
def test_transition_allowed_exactly_when_the_diagram_has_the_edge(current: str, target: str) -> None:
    if (current, target) in EDGES:
        ensure_proposal_transition(current, target)
    else:
        with pytest.raises(InvalidTransition):
            ensure_proposal_transition(current, target)


def test_all_pairs_lists_the_same_edges() -> None:
    allowed = {(a, b) for a, b, ok in all_pairs(ALLOWED_TRANSITIONS, list(S.values)) if ok}
    assert allowed == EDGES


def test_terminal_statuses_lead_nowhere() -> None:
    for status in (S.DECLINED, S.CONVERTED, S.MERGED, S.CONCLUDED):
        assert not any(a == status for a, _b in EDGES)
        assert not ALLOWED_TRANSITIONS[status]


# The follow-up's diagram: the unit reports (and may correct its report) until
# staff close it; a closed follow-up stays closed.
FOLLOW_UP_EDGES = {
    (F.OPEN, F.REPORTED),
    (F.REPORTED, F.REPORTED),
    (F.REPORTED, F.CLOSED),
}


def test_follow_up_table_covers_every_status() -> None:
    assert set(FOLLOW_UP_TRANSITIONS) == set(F.values)


@pytest.mark.parametrize(("current", "target", "allowed"), all_pairs(FOLLOW_UP_TRANSITIONS, list(F.values)))
def test_follow_up_transition_allowed_exactly_when_the_diagram_has_the_edge(
    current: str, target: str, allowed: bool
) -> None:
    assert allowed == ((current, target) in FOLLOW_UP_EDGES)
    if allowed:
        ensure_follow_up_transition(current, target)
    else:
        with pytest.raises(InvalidTransition):
            ensure_follow_up_transition(current, target)
