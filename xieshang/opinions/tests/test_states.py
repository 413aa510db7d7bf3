"""Every (current, target) pair of the workflow tables."""

from __future__ import annotations

import pytest

from xieshang.core.errors import InvalidTransition
from xieshang.core.states import all_pairs
from xieshang.opinions.states import (
    ISSUE_TRANSITIONS,
    RECEIPT_TRANSITIONS,
    REPORT_TRANSITIONS,
    IssueStatus,
    ReceiptStatus,
    ReportStatus,
    ensure_issue_transition,
    ensure_receipt_transition,
    ensure_report_transition,
    higher_level,
)

REPORT_ALLOWED = {
    ("draft", "submitted"),
    ("submitted", "adopted"),
    ("submitted", "declined"),
    ("adopted", "published"),
}


@pytest.mark.parametrize(("current", "target", "allowed"), all_pairs(REPORT_TRANSITIONS, ReportStatus.values))
def test_report_transition_table(current: str, target: str, allowed: bool) -> None:
    assert allowed == ((current, target) in REPORT_ALLOWED)
    if allowed:
        ensure_report_transition(current, target)
    else:
        with pytest.raises(InvalidTransition):
            ensure_report_transition(current, target)


@pytest.mark.parametrize(
    ("current", "target", "allowed"), all_pairs(RECEIPT_TRANSITIONS, ReceiptStatus.values)
)
def test_receipt_transition_table(current: str, target: str, allowed: bool) -> None:
    assert allowed == (current == "received" and target in ("adopted", "declined"))
    if allowed:
        ensure_receipt_transition(current, target)
    else:
        with pytest.raises(InvalidTransition):
            ensure_receipt_transition(current, target)


@pytest.mark.parametrize(("current", "target", "allowed"), all_pairs(ISSUE_TRANSITIONS, IssueStatus.values))
def test_issue_transition_table(current: str, target: str, allowed: bool) -> None:
    assert allowed == (current == "draft" and target == "published")
    if allowed:
        ensure_issue_transition(current, target)
    else:
        with pytest.raises(InvalidTransition):
            ensure_issue_transition(current, target)


def test_higher_level_never_goes_down() -> None:
    assert higher_level("", "city") == "city"
    assert higher_level("province", "city") == "province"
    assert higher_level("city", "national") == "national"
