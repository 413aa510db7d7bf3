"""Every opinions API write answers the version now stored (tests/api/versions.py)."""

from __future__ import annotations

import pytest

from tests.api.versions import Arrange, Write, check_write
from xieshang.opinions.models import OpinionReport
from xieshang.opinions.tests.conftest import World

pytestmark = pytest.mark.django_db

BODY = {
    "title": "关于加强老旧小区加装电梯工作的建议",
    "problem": "我市老旧小区加装电梯推进缓慢。",
    "analysis": "审批流程繁琐。",
    "suggestion": "建议简化审批流程。",
}


def file_opinion_report(world: World) -> Write:
    return Write(world.cast.member, "POST", "/opinions", OpinionReport, BODY)


def adopt_opinion_report(world: World) -> Write:
    report = world.filed()
    return Write(world.cast.staff, "POST", f"/opinions/{report.pk}/adopt", OpinionReport, {})


def forward_opinion_report(world: World) -> Write:
    report = world.adopted()
    return Write(
        world.cast.staff, "POST", f"/opinions/{report.pk}/forward", OpinionReport, {"target": "parent"}
    )


CASES: dict[str, Arrange] = {
    arrange.__name__: arrange
    for arrange in (file_opinion_report, adopt_opinion_report, forward_opinion_report)
}


@pytest.mark.parametrize("operation", sorted(CASES))
def test_write_answers_the_stored_version(operation: str, world: World) -> None:
    check_write(CASES[operation](world))
