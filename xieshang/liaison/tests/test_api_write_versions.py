"""Every liaison API write answers the version now stored (tests/api/versions.py)."""

from __future__ import annotations

import pytest
import time_machine

from tests.api.versions import Arrange, Write, check_write
from xieshang.liaison.actions import start_concern
from xieshang.liaison.models import Concern
from xieshang.liaison.tests.conftest import TODAY, World

pytestmark = pytest.mark.django_db


def start_liaison_concern(world: World) -> Write:
    concern = world.concern()
    path = f"/liaison/concerns/{concern.pk}/start"
    return Write(world.cast.liaison, "POST", path, Concern, {"version": concern.version})


def note_liaison_concern(world: World) -> Write:
    concern = world.concern()
    path = f"/liaison/concerns/{concern.pk}/notes"
    return Write(world.cast.liaison, "POST", path, Concern, {"text": "已派人现场查看。"})


def resolve_liaison_concern(world: World) -> Write:
    concern = start_concern(world.concern(), actor=world.actor("liaison"))
    path = f"/liaison/concerns/{concern.pk}/resolve"
    body = {"resolution": "已疏通排水管道。", "version": concern.version}
    return Write(world.cast.liaison, "POST", path, Concern, body)


CASES: dict[str, Arrange] = {
    arrange.__name__: arrange
    for arrange in (start_liaison_concern, note_liaison_concern, resolve_liaison_concern)
}


@pytest.mark.parametrize("operation", sorted(CASES))
def test_write_answers_the_stored_version(operation: str, world: World) -> None:
    with time_machine.travel(TODAY, tick=False):
        check_write(CASES[operation](world))
