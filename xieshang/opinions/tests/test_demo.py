"""The demo seed: every status, forwardings up to the province, instructions
at several levels, numbered issues, and safe to run twice."""

from __future__ import annotations

import pytest
import time_machine

from xieshang.councils.models import Level, OversightKind, Role
from xieshang.councils.tests.factories import (
    CouncilFactory,
    CouncilRoleFactory,
    MemberFactory,
    OversightOfficeFactory,
    TermFactory,
    UserFactory,
)
from xieshang.opinions import demo
from xieshang.opinions.models import BulletinIssue, Forwarding, OpinionReport, ReportInstruction
from xieshang.opinions.states import ReportStatus

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-11-20 10:00 +0800", tick=False)
def test_demo_seed_covers_every_status_and_level_and_is_idempotent(monkeypatch: pytest.MonkeyPatch) -> None:
    province = CouncilFactory(slug=demo.PROVINCE_SLUG, level=Level.PROVINCE)
    city = CouncilFactory(slug=demo.DEMO_SLUG, level=Level.CITY, parent=province)
    term = TermFactory(council=city, is_current=True)
    CouncilRoleFactory(council=city, role=Role.STAFF)
    CouncilRoleFactory(council=province, role=Role.STAFF)
    OversightOfficeFactory(council=city, name="中共明湖市委办公室", kind=OversightKind.PARTY_COMMITTEE)
    for _ in range(4):
        MemberFactory(council=city, term=term, user=UserFactory())
    monkeypatch.setattr(
        demo,
        "PLAN",
        (
            (ReportStatus.DRAFT, 1),
            (ReportStatus.SUBMITTED, 1),
            (ReportStatus.DECLINED, 1),
            (ReportStatus.ADOPTED, 4),
            (ReportStatus.PUBLISHED, 8),
        ),
    )

    assert demo.seed_demo_opinions() == 15
    assert set(OpinionReport.objects.values_list("status", flat=True)) == set(ReportStatus.values)
    assert Forwarding.objects.filter(council=province, target="parent").exists()
    assert {"city", "province", "national"} <= set(ReportInstruction.objects.values_list("level", flat=True))
    assert BulletinIssue.objects.filter(council=city, status="published").exists()
    assert demo.seed_demo_opinions() == 0
    assert OpinionReport.objects.count() == 15
