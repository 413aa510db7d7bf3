"""Every supervision API write answers the version now stored (tests/api/versions.py)."""

from __future__ import annotations

import pytest
import time_machine

from tests.api.versions import Arrange, Write, check_write
from xieshang.supervision.actions import answer_letter, reply_recommendation
from xieshang.supervision.models import Recommendation, RecommendationLetter, SupervisionCampaign
from xieshang.supervision.tests.conftest import TODAY, World

pytestmark = pytest.mark.django_db


def create_supervision_campaign(world: World) -> Write:
    body = {"title": "街道精细化管理", "year": 2026, "starts_on": "2026-03-01", "ends_on": "2026-10-31"}
    return Write(world.cast.staff, "POST", "/supervision/campaigns", SupervisionCampaign, body)


def send_supervision_recommendation(world: World) -> Write:
    path = f"/supervision/campaigns/{world.campaign.pk}/recommendations"
    body = {"handling_unit_id": world.unit.pk, "title": "关于河道保洁的建议", "text": "建议增加保洁频次。"}
    return Write(world.cast.staff, "POST", path, Recommendation, body)


def answer_supervision_recommendation(world: World) -> Write:
    row = world.recommendation()
    path = f"/supervision/recommendations/{row.pk}/replies"
    return Write(world.cast.liaison, "POST", path, Recommendation, {"text": "已封堵排污口。"})


def resolve_supervision_recommendation(world: World) -> Write:
    row = world.recommendation()
    reply_recommendation(row, actor=world.actor("liaison"), text="已封堵。")
    row.refresh_from_db()
    path = f"/supervision/recommendations/{row.pk}/resolve"
    return Write(world.cast.staff, "POST", path, Recommendation, {"version": row.version})


def issue_recommendation_letter(world: World) -> Write:
    path = f"/supervision/postings/{world.posting.pk}/letters"
    return Write(
        world.cast.staff, "POST", path, RecommendationLetter, {"title": "建议书", "text": "建议如下。"}
    )


def answer_recommendation_letter(world: World) -> Write:
    letter = world.letter()
    path = f"/supervision/letters/{letter.pk}/replies"
    return Write(world.cast.liaison, "POST", path, RecommendationLetter, {"text": "已落实。"})


def return_recommendation_letter(world: World) -> Write:
    letter = world.letter()
    answer_letter(letter, actor=world.actor("liaison"), text="已落实。")
    letter.refresh_from_db()
    path = f"/supervision/letters/{letter.pk}/return"
    body = {"reason": "未写明时限。", "version": letter.version}
    return Write(world.cast.staff, "POST", path, RecommendationLetter, body)


def close_recommendation_letter(world: World) -> Write:
    letter = world.letter()
    answer_letter(letter, actor=world.actor("liaison"), text="已落实。")
    letter.refresh_from_db()
    path = f"/supervision/letters/{letter.pk}/close"
    return Write(world.cast.staff, "POST", path, RecommendationLetter, {"version": letter.version})


CASES: dict[str, Arrange] = {
    arrange.__name__: arrange
    for arrange in (
        create_supervision_campaign,
        send_supervision_recommendation,
        answer_supervision_recommendation,
        resolve_supervision_recommendation,
        issue_recommendation_letter,
        answer_recommendation_letter,
        return_recommendation_letter,
        close_recommendation_letter,
    )
}


@pytest.mark.parametrize("operation", sorted(CASES))
def test_write_answers_the_stored_version(operation: str, world: World) -> None:
    with time_machine.travel(TODAY, tick=False):
        check_write(CASES[operation](world))
