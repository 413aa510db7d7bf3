"""The checks and the form every leader's instruction (批示) shares, on
whatever subject (each subject's app tests recording one)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError

from xieshang.councils.actions.instructions import InstructionDetails, check_instruction
from xieshang.councils.forms.instructions import InstructionForm

TODAY = dt.date(2026, 9, 1)


def details(**changes: object) -> InstructionDetails:
    base: dict[str, object] = {
        "leader_name": "王书记",
        "level": "city",
        "text": "请有关部门认真研究。",
        "instructed_on": TODAY,
        "leader_title": "市委书记",
    }
    return InstructionDetails(**{**base, **changes})  # type: ignore[arg-type]


def problems(not_before: dt.date | None = None, **changes: object) -> dict[str, list[str]]:
    with time_machine.travel(dt.datetime(2026, 9, 1, 10, 0), tick=False):
        try:
            check_instruction(details(**changes), not_before=not_before)
        except ValidationError as error:
            return error.message_dict
    return {}


def test_a_complete_instruction_passes() -> None:
    assert problems() == {}
    assert problems(leader_title="", not_before=TODAY) == {}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"leader_name": "  "}, {"leader_name": ["Name the leader who gave the instruction."]}),
        ({"level": "village"}, {"level": ["Choose the leader's level."]}),
        ({"text": "\n"}, {"text": ["Write the instruction's text."]}),
        (
            {"instructed_on": TODAY + dt.timedelta(days=1)},
            {"instructed_on": ["The date of the instruction cannot be in the future."]},
        ),
        (
            {"instructed_on": TODAY - dt.timedelta(days=1), "not_before": TODAY},
            {"instructed_on": ["The instruction cannot be older than the report it is on."]},
        ),
    ],
)
def test_each_problem_is_named_on_its_field(changes: dict[str, Any], expected: dict[str, list[str]]) -> None:
    assert problems(**changes) == expected


def test_every_problem_is_named_at_once() -> None:
    assert set(problems(leader_name="", level="", text="")) == {"leader_name", "level", "text"}


def test_the_form_offers_the_four_levels_and_starts_on_today() -> None:
    with time_machine.travel(dt.datetime(2026, 9, 1, 10, 0), tick=False):
        form = InstructionForm()
        assert form.fields["instructed_on"].initial == TODAY
    assert [value for value, _label in form.fields["level"].choices] == [
        "county",
        "city",
        "province",
        "national",
    ]  # type: ignore[attr-defined]
    bound = InstructionForm(
        {"leader_name": "王书记", "level": "city", "instructed_on": "2026-08-30", "text": "x" * 5001}
    )
    assert not bound.is_valid() and set(bound.errors) == {"text"}
