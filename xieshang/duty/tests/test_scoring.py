"""Scoring arithmetic on hand-built cases: base, caps, joint split, negative
items, manual points, grades, and the validation of rule tables."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from xieshang.duty.scoring import (
    DEFAULT_RULES,
    RecordFact,
    Rule,
    RuleTable,
    default_table,
    median,
    preview,
    score_members,
    validate_rules,
)
from xieshang.duty.states import DutyKind as K
from xieshang.duty.states import Grade, SourceRole, grade_for

LEAD, COSIGNER = SourceRole.LEAD, SourceRole.COSIGNER


def fact(
    kind: str, role: str = LEAD, *, member: int = 1, points: int = 0, manual: bool = False
) -> RecordFact:
    return RecordFact(member_id=member, kind=kind, role=role, points=points, is_manual=manual)


def test_hand_built_year_adds_up_with_caps_joint_split_and_negative_items() -> None:
    facts = [
        # Plenary: two sittings attended (+20), one excused (+6), one unexcused (−30).
        fact(K.PLENARY_PRESENT),
        fact(K.PLENARY_PRESENT),
        fact(K.PLENARY_EXCUSED),
        fact(K.PLENARY_ABSENT),
        # Proposals: led one, accepted (10 + 15); co-signed one, accepted (5 + 5):
        # 35, held to the proposals cap of 25.
        fact(K.PROPOSAL_FILED),
        fact(K.PROPOSAL_ACCEPTED),
        fact(K.PROPOSAL_FILED, COSIGNER),
        fact(K.PROPOSAL_ACCEPTED, COSIGNER),
        # Activities: 7 × 2 = 14, held to 10.
        *[fact(K.ACTIVITY) for _ in range(7)],
        # Offline work entered by staff carries its own points.
        fact(K.OFFLINE, points=4, manual=True),
    ]
    score = score_members([1], facts, default_table())[1]
    assert score.total == 60 + 20 + 6 - 30 + 25 + 10 + 4 == 95
    assert score.by_kind[K.PROPOSAL_FILED] == 15
    assert score.by_kind[K.PROPOSAL_ACCEPTED] == 20
    assert score.capped_groups == {K.PROPOSAL_FILED, K.ACTIVITY}
    assert score.grade == Grade.EXCELLENT
    assert score.record_count == 16


def test_a_cosigner_gets_cosigner_points_and_a_lead_the_full_points() -> None:
    scores = score_members(
        [1, 2],
        [fact(K.PROPOSAL_FILED, member=1), fact(K.PROPOSAL_FILED, COSIGNER, member=2)],
        default_table(),
    )
    assert (scores[1].total, scores[2].total) == (70, 65)


def test_a_cap_never_lifts_a_negative_sum() -> None:
    table = RuleTable.of([Rule(K.BASE, 60), Rule(K.PLENARY_ABSENT, -30, cap_per_year=10)])
    score = score_members([1], [fact(K.PLENARY_ABSENT), fact(K.PLENARY_ABSENT)], table)[1]
    assert score.total == 0
    assert score.grade == Grade.NOT_COMPETENT


def test_a_member_without_records_has_the_base_and_a_kind_without_rule_scores_nothing() -> None:
    table = RuleTable.of([Rule(K.BASE, 50)])
    scores = score_members([1, 2], [fact(K.SPEECH, member=2)], table)
    assert scores[1].total == 50
    assert scores[2].total == 50
    assert scores[2].record_count == 1


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        (100, Grade.EXCELLENT),
        (90, Grade.EXCELLENT),
        (89, Grade.GOOD),
        (80, Grade.GOOD),
        (79, Grade.COMPETENT),
        (60, Grade.COMPETENT),
        (59, Grade.NOT_COMPETENT),
        (-10, Grade.NOT_COMPETENT),
    ],
)
def test_grade_bands_follow_the_domain_rules(score: int, grade: Grade) -> None:
    assert grade_for(score) == grade


def test_the_default_table_is_valid_and_has_the_domain_numbers() -> None:
    validate_rules(DEFAULT_RULES)
    table = default_table()
    assert table.is_default
    assert table.base == 60
    assert table.rules[K.PLENARY_ABSENT].points == -30
    assert table.cap_of(K.OPINION_REPORT) == 30
    assert table.cap_group(K.OPINION_INSTRUCTED) == K.OPINION_REPORT


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ([Rule(K.SPEECH, 5, cap_per_year=-1)], "cannot be negative"),
        ([Rule(K.SPEECH, 5), Rule(K.SPEECH, 6)], "more than once"),
        ([Rule(K.PROPOSAL_ACCEPTED, 15, shares_cap_of=K.PROPOSAL_FILED)], "not in the table"),
        ([Rule(K.SPEECH, 5, shares_cap_of=K.SPEECH)], "its own cap"),
        (
            [
                Rule(K.PROPOSAL_FILED, 10, cap_per_year=25),
                Rule(K.PROPOSAL_ACCEPTED, 15, shares_cap_of=K.PROPOSAL_FILED),
                Rule(K.PROPOSAL_KEY, 5, shares_cap_of=K.PROPOSAL_ACCEPTED),
            ],
            "itself counts toward another cap",
        ),
        (
            [
                Rule(K.PROPOSAL_FILED, 10, cap_per_year=25),
                Rule(K.PROPOSAL_ACCEPTED, 15, 5, 20, K.PROPOSAL_FILED),
            ],
            "keep one",
        ),
        ([Rule(K.BASE, 60, cap_per_year=100)], "base points"),
        ([Rule("bonus", 5)], "not a known item"),
    ],
)
def test_bad_rule_tables_are_refused_with_a_clear_message(rules: list[Rule], message: str) -> None:
    with pytest.raises(ValidationError) as error:
        validate_rules(rules)
    assert any(message in text for text in error.value.messages)


def test_preview_counts_members_whose_grade_changes() -> None:
    facts = [fact(K.SPEECH, member=1), fact(K.SPEECH, member=1), fact(K.SPEECH, member=2)]
    before = RuleTable.of([Rule(K.BASE, 78), Rule(K.SPEECH, 1)])
    after = RuleTable.of([Rule(K.BASE, 78), Rule(K.SPEECH, 1, cap_per_year=1)])
    result = preview([1, 2, 3], facts, before, after)
    assert result.score_changes == 1  # member 1: 80 → 79
    assert [r.member_id for r in result.grade_changes] == [1]


def test_median_of_odd_even_and_empty_lists() -> None:
    assert median([3, 1, 2]) == 2
    assert median([4, 1, 3, 2]) == 2.5
    assert median([]) is None
