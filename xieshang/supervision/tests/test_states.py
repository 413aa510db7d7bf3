"""The supervision workflows: every (current, target) pair of each table, and
the actions refusing what the tables refuse."""

from __future__ import annotations

import pytest
import time_machine

from xieshang.core.errors import InvalidTransition
from xieshang.core.states import all_pairs
from xieshang.supervision.actions import (
    answer_letter,
    close_letter,
    reply_recommendation,
    resolve_recommendation,
    return_letter,
    set_campaign_status,
)
from xieshang.supervision.models import Recommendation, RecommendationLetter, SupervisionCampaign
from xieshang.supervision.states import (
    CAMPAIGN_TRANSITIONS,
    LETTER_TRANSITIONS,
    RECOMMENDATION_TRANSITIONS,
    CampaignStatus,
    LetterStatus,
    RecommendationStatus,
    ensure_campaign_transition,
    ensure_letter_transition,
    ensure_recommendation_transition,
)
from xieshang.supervision.tests.conftest import TODAY

CAMPAIGN_ALLOWED = {
    (CampaignStatus.OPEN, CampaignStatus.CLOSED),
    (CampaignStatus.CLOSED, CampaignStatus.OPEN),
}
RECOMMENDATION_ALLOWED = {
    (RecommendationStatus.SENT, RecommendationStatus.REPLIED),
    (RecommendationStatus.REPLIED, RecommendationStatus.REPLIED),
    (RecommendationStatus.REPLIED, RecommendationStatus.RESOLVED),
}
LETTER_ALLOWED = {
    (LetterStatus.ISSUED, LetterStatus.ANSWERED),
    (LetterStatus.ANSWERED, LetterStatus.RETURNED),
    (LetterStatus.ANSWERED, LetterStatus.CLOSED),
    (LetterStatus.RETURNED, LetterStatus.ANSWERED),
}


def _check(ensure, allowed_set, current, target, allowed):
    assert allowed == ((current, target) in allowed_set)
    if allowed:
        ensure(current, target)
    else:
        with pytest.raises(InvalidTransition):
            ensure(current, target)


@pytest.mark.parametrize(
    ("current", "target", "allowed"), all_pairs(CAMPAIGN_TRANSITIONS, list(CampaignStatus.values))
)
def test_campaign_table_allows_exactly_the_drawn_arrows(current, target, allowed):
    _check(ensure_campaign_transition, CAMPAIGN_ALLOWED, current, target, allowed)


@pytest.mark.parametrize(
    ("current", "target", "allowed"), all_pairs(RECOMMENDATION_TRANSITIONS, list(RecommendationStatus.values))
)
def test_recommendation_table_allows_exactly_the_drawn_arrows(current, target, allowed):
    _check(ensure_recommendation_transition, RECOMMENDATION_ALLOWED, current, target, allowed)


@pytest.mark.parametrize(
    ("current", "target", "allowed"), all_pairs(LETTER_TRANSITIONS, list(LetterStatus.values))
)
def test_letter_table_allows_exactly_the_drawn_arrows(current, target, allowed):
    _check(ensure_letter_transition, LETTER_ALLOWED, current, target, allowed)


@pytest.mark.parametrize("current", list(CampaignStatus.values))
@pytest.mark.parametrize("target", list(CampaignStatus.values))
def test_campaign_action_follows_the_table(world, current, target):
    SupervisionCampaign.objects.filter(pk=world.campaign.pk).update(status=current)
    world.campaign.refresh_from_db()
    staff = world.actor("staff")
    if (current, target) in CAMPAIGN_ALLOWED:
        set_campaign_status(world.campaign, actor=staff, status=target)
        world.campaign.refresh_from_db()
        assert world.campaign.status == target
    else:
        with pytest.raises(InvalidTransition):
            set_campaign_status(world.campaign, actor=staff, status=target)
        world.campaign.refresh_from_db()
        assert world.campaign.status == current


RECOMMENDATION_ACTIONS = {
    RecommendationStatus.REPLIED: lambda row, world: reply_recommendation(
        row, actor=world.actor("liaison"), text="已封堵排污口。", today=TODAY
    ),
    RecommendationStatus.RESOLVED: lambda row, world: resolve_recommendation(
        row, actor=world.actor("staff"), today=TODAY
    ),
}


@pytest.mark.parametrize("current", list(RecommendationStatus.values))
@pytest.mark.parametrize("target", list(RECOMMENDATION_ACTIONS))
def test_recommendation_actions_follow_the_table(world, current, target):
    with time_machine.travel(TODAY):
        row = world.recommendation()
        Recommendation.objects.filter(pk=row.pk).update(status=current)
        row.refresh_from_db()
        if (current, target) in RECOMMENDATION_ALLOWED:
            RECOMMENDATION_ACTIONS[target](row, world)
            row.refresh_from_db()
            assert row.status == target
        else:
            with pytest.raises(InvalidTransition):
                RECOMMENDATION_ACTIONS[target](row, world)
            row.refresh_from_db()
            assert row.status == current


LETTER_ACTIONS = {
    LetterStatus.ANSWERED: lambda row, world: answer_letter(
        row, actor=world.actor("liaison"), text="已延长午间办事时间。", today=TODAY
    ),
    LetterStatus.RETURNED: lambda row, world: return_letter(
        row, actor=world.actor("staff"), reason="未说明落实时限。"
    ),
    LetterStatus.CLOSED: lambda row, world: close_letter(row, actor=world.actor("staff")),
}


@pytest.mark.parametrize("current", list(LetterStatus.values))
@pytest.mark.parametrize("target", list(LETTER_ACTIONS))
def test_letter_actions_follow_the_table(world, current, target):
    with time_machine.travel(TODAY):
        row = world.letter()
        RecommendationLetter.objects.filter(pk=row.pk).update(status=current)
        row.refresh_from_db()
        if (current, target) in LETTER_ALLOWED:
            LETTER_ACTIONS[target](row, world)
            row.refresh_from_db()
            assert row.status == target
        else:
            with pytest.raises(InvalidTransition):
                LETTER_ACTIONS[target](row, world)
            row.refresh_from_db()
            assert row.status == current
