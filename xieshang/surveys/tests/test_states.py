"""Every (current, target) pair of the survey table."""

from __future__ import annotations

import pytest

from xieshang.core.errors import InvalidTransition
from xieshang.core.states import all_pairs
from xieshang.surveys.states import SURVEY_TRANSITIONS, SurveyStatus, ensure_survey_transition

ALLOWED = {("draft", "open"), ("open", "closed")}


@pytest.mark.parametrize(
    ("current", "target", "allowed"), all_pairs(SURVEY_TRANSITIONS, list(SurveyStatus.values))
)
def test_survey_transition_table(current: str, target: str, allowed: bool) -> None:
    assert allowed == ((current, target) in ALLOWED)
    if allowed:
        ensure_survey_transition(current, target)
    else:
        with pytest.raises(InvalidTransition):
            ensure_survey_transition(current, target)
