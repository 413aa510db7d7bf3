"""The proposals world on top of the shared cast (see the root conftest.py).

In the city council: a session of the current term (14-3), the default lists,
the liaison's unit (unit) and a second unit (other_unit); member files, and
cosigner is another seated member of the city.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from conftest import AppWorld, Cast
from xieshang.accounts.models import User
from xieshang.councils.models import Council, CouncilRole, CouncilSetting, HandlingUnit, Member, Role, Session
from xieshang.councils.tests.factories import (
    CouncilRoleFactory,
    HandlingUnitFactory,
    MemberFactory,
    UserFactory,
)
from xieshang.proposals.actions.config import create_default_lists
from xieshang.proposals.actions.feedback import rate_reply
from xieshang.proposals.actions.filing import ProposalContent, save_draft, submit_proposal
from xieshang.proposals.actions.handling import (
    ReplyContent,
    UnitRole,
    assign_proposal,
    release_reply,
    save_reply,
)
from xieshang.proposals.actions.review import accept_proposal
from xieshang.proposals.models import (
    Assignment,
    DeclineReason,
    Proposal,
    ProposalCategory,
    Reply,
    ReplyCategory,
)
from xieshang.proposals.states import AssignmentRole
from xieshang.proposals.tests.factories import SessionFactory

ASSIGNED_ON = dt.date(2026, 3, 2)
RELEASED_ON = dt.date(2026, 5, 11)


@dataclass
class World(AppWorld):
    cast: Cast
    session: Session
    unit: HandlingUnit
    other_unit: HandlingUnit
    cosigner: Member
    cosigner_user: User
    category: ProposalCategory
    reply_category: ReplyCategory

    def content(self, **changes: object) -> ProposalContent:
        values: dict[str, object] = {
            "title": "关于完善城市社区养老服务体系的建议",
            "situation": "我市六十岁以上老年人口占比已超过百分之二十。",
            "analysis": "社区养老服务设施不足，专业护理人员缺口较大。",
            "suggestions": "一是新建社区养老服务中心；二是完善护理人员培训补贴。",
            "category": self.category,
        }
        values.update(changes)
        return ProposalContent(**values)  # type: ignore[arg-type]

    def reply_content(self, **changes: object) -> ReplyContent:
        values: dict[str, object] = {
            "category": self.reply_category,
            "text": "经研究，我局已将社区养老服务中心建设纳入年度计划。",
            "signer": "王局长",
            "contact_person": "张科长",
        }
        values.update(changes)
        return ReplyContent(**values)  # type: ignore[arg-type]

    def decline_reason(self) -> DeclineReason:
        reason = DeclineReason.objects.filter(council=self.cast.city).first()
        assert reason is not None
        return reason

    # Drive a proposal through the workflow with the real actions.
    def draft(self) -> Proposal:
        return save_draft(None, actor=self.actor("member"), content=self.content())

    def submitted(self) -> Proposal:
        return submit_proposal(self.draft(), actor=self.actor("member"))

    def accepted(self) -> Proposal:
        return accept_proposal(self.submitted(), actor=self.actor("staff"))

    def assigned(self, *units: UnitRole) -> Proposal:
        units = units or (UnitRole(self.unit, AssignmentRole.LEAD),)
        return assign_proposal(
            self.accepted(), actor=self.actor("staff"), units=units, assigned_on=ASSIGNED_ON
        )

    def assignment(self, proposal: Proposal) -> Assignment:
        return Assignment.objects.get(proposal=proposal, unit=self.unit, is_active=True)

    def replied(self) -> Proposal:
        proposal = self.assigned()
        save_reply(
            self.assignment(proposal), actor=self.actor("liaison"), content=self.reply_content(), submit=True
        )
        return Proposal.objects.get(pk=proposal.pk)

    def released(self) -> Proposal:
        proposal = self.replied()
        reply = Reply.objects.get(assignment__proposal=proposal)
        release_reply(reply, actor=self.actor("staff"), today=RELEASED_ON)
        return Proposal.objects.get(pk=proposal.pk)

    def rated(self, satisfaction: str = "dissatisfied") -> Proposal:
        proposal = self.released()
        reply = Reply.objects.get(assignment__proposal=proposal)
        rate_reply(
            reply, actor=self.actor("member"), satisfaction=satisfaction, comment="", today=RELEASED_ON
        )
        return Proposal.objects.get(pk=proposal.pk)


def open_all_year(council: Council) -> None:
    years = range(2024, max(dt.date.today().year, 2026) + 2)
    CouncilSetting.objects.bulk_create(
        CouncilSetting(council=council, key=key, year=year, value=f"{year}-{month_day}")
        for year in years
        for key, month_day in (("session_window_opens_on", "01-01"), ("session_window_closes_on", "12-31"))
    )


@pytest.fixture
def world(cast: Cast) -> World:
    session = SessionFactory(council=cast.city, term=cast.term, number=3, year=2026)
    # Session proposals are accepted all year here, whatever day a test runs
    # on or travels to; tests of the window itself (test_window.py) set their own.
    open_all_year(cast.city)
    create_default_lists(cast.city, user=None)
    liaison_role = CouncilRole.objects.get(user=cast.liaison, council=cast.city, role=Role.UNIT_LIAISON)
    assert liaison_role.handling_unit is not None
    cosigner_user = UserFactory(username="cosigner", full_name="Cosigner")
    CouncilRoleFactory(user=cosigner_user, council=cast.city, role=Role.MEMBER)
    cosigner = MemberFactory(council=cast.city, term=cast.term, user=cosigner_user, full_name="王委员")
    return World(
        cast=cast,
        session=session,
        unit=liaison_role.handling_unit,
        other_unit=HandlingUnitFactory(council=cast.city, name="市住房和城乡建设局"),
        cosigner=cosigner,
        cosigner_user=cosigner_user,
        category=ProposalCategory.objects.filter(council=cast.city).first(),  # type: ignore[arg-type]
        reply_category=ReplyCategory.objects.get(council=cast.city, code="A"),
    )
