from __future__ import annotations

import pytest

from xieshang.councils.models import Role
from xieshang.councils.tests.factories import (
    CouncilFactory,
    CouncilRoleFactory,
    HandlingUnitFactory,
    MemberFactory,
    TermFactory,
)
from xieshang.proposals.demo import builder as demo
from xieshang.proposals.models import Proposal
from xieshang.proposals.states import ProposalStatus
from xieshang.proposals.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def test_demo_seed_reaches_every_status_once_and_is_idempotent(monkeypatch: pytest.MonkeyPatch) -> None:
    council = CouncilFactory(slug=demo.DEMO_SLUG)
    term = TermFactory(council=council)
    SessionFactory(council=council, term=term, number=4, year=demo.YEAR)
    CouncilRoleFactory(council=council, role=Role.STAFF)
    CouncilRoleFactory(council=council, role=Role.LEADER)
    for _ in range(6):
        MemberFactory(council=council, term=term)
    for name in ("市教育局", "市民政局", "市卫生健康委员会"):
        HandlingUnitFactory(council=council, name=name)
    monkeypatch.setattr(demo, "PLAN", tuple((status, 1) for status in ProposalStatus.values))

    assert demo.seed_demo_proposals() == len(ProposalStatus.values)
    statuses = set(Proposal.objects.values_list("status", flat=True))
    assert statuses == set(ProposalStatus.values)
    assert all("建议" in title for title in Proposal.objects.values_list("title", flat=True))
    assert demo.seed_demo_proposals() == 0
