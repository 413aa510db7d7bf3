"""Every (current, target) pair of the plan, consultation, suggestion and
outcome tables: allowed pairs pass, all others raise InvalidTransition."""

from __future__ import annotations

import pytest

from xieshang.consultations.states import (
    CONSULTATION_TRANSITIONS,
    OUTCOME_TRANSITIONS,
    PLAN_TRANSITIONS,
    SUGGESTION_TRANSITIONS,
    ConsultationStatus,
    OutcomeStatus,
    PlanStatus,
    SuggestionStatus,
    ensure_consultation_transition,
    ensure_outcome_transition,
    ensure_plan_transition,
    ensure_suggestion_transition,
)
from xieshang.core.errors import InvalidTransition
from xieshang.core.states import all_pairs

PLAN_ALLOWED = {
    ("draft", "in_revision"),
    ("in_revision", "draft"),
    ("in_revision", "approved"),
    ("approved", "in_revision"),
    ("approved", "issued"),
}
CONSULTATION_ALLOWED = {
    ("preparing", "notified"),
    ("preparing", "cancelled"),
    ("notified", "held"),
    ("notified", "cancelled"),
    ("held", "closed"),
}
OUTCOME_ALLOWED = {("draft", "sent"), ("sent", "converted")}
SUGGESTION_ALLOWED = {("open", "accepted"), ("open", "rejected")}


def _check(table, states, ensure, expected):  # type: ignore[no-untyped-def]
    pairs = all_pairs(table, list(states))
    assert len(pairs) == len(states) ** 2
    for current, target, allowed in pairs:
        assert allowed == ((current, target) in expected), (current, target)
        if allowed:
            ensure(current, target)
        else:
            with pytest.raises(InvalidTransition):
                ensure(current, target)


def test_plan_table_allows_exactly_the_drawn_steps() -> None:
    _check(PLAN_TRANSITIONS, PlanStatus.values, ensure_plan_transition, PLAN_ALLOWED)


def test_consultation_table_allows_exactly_the_drawn_steps() -> None:
    _check(
        CONSULTATION_TRANSITIONS,
        ConsultationStatus.values,
        ensure_consultation_transition,
        CONSULTATION_ALLOWED,
    )


def test_outcome_table_allows_exactly_the_drawn_steps() -> None:
    _check(OUTCOME_TRANSITIONS, OutcomeStatus.values, ensure_outcome_transition, OUTCOME_ALLOWED)


def test_suggestion_table_allows_exactly_the_drawn_steps() -> None:
    _check(SUGGESTION_TRANSITIONS, SuggestionStatus.values, ensure_suggestion_transition, SUGGESTION_ALLOWED)


def test_issued_plans_and_closed_or_converted_items_are_final() -> None:
    assert not PLAN_TRANSITIONS[PlanStatus.ISSUED]
    assert not CONSULTATION_TRANSITIONS[ConsultationStatus.CLOSED]
    assert not CONSULTATION_TRANSITIONS[ConsultationStatus.CANCELLED]
    assert not OUTCOME_TRANSITIONS[OutcomeStatus.CONVERTED]
