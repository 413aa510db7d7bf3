"""Every members API write answers the version now stored (tests/api/versions.py)."""

from __future__ import annotations

import pytest

from conftest import Cast
from tests.api.versions import Arrange, Write, check_write
from xieshang.councils.models import Member

pytestmark = pytest.mark.django_db


def add_member(cast: Cast) -> Write:
    return Write(cast.staff, "POST", "/members", Member, {"full_name": "孙新", "gender": "female"})


def change_member(cast: Cast) -> Write:
    member = cast.member_record
    return Write(
        cast.staff, "PATCH", f"/members/{member.pk}", Member, {"version": member.version, "full_name": "李新"}
    )


CASES: dict[str, Arrange] = {arrange.__name__: arrange for arrange in (add_member, change_member)}


@pytest.mark.parametrize("operation", sorted(CASES))
def test_write_answers_the_stored_version(operation: str, cast: Cast) -> None:
    check_write(CASES[operation](cast))
