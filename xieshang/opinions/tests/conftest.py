"""The opinions world on top of the shared cast (see the root conftest.py).

The city's member files; the city's staff adopt and forward; the city's
oversight user belongs to the party-committee office; upper is staff of the
province, which has its own party-committee office and oversight user.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from conftest import AppWorld, Cast
from xieshang.accounts.models import User
from xieshang.councils.models import OversightOffice, Role
from xieshang.councils.tests.factories import CouncilRoleFactory, OversightOfficeFactory, UserFactory
from xieshang.opinions.actions.filing import ReportContent, file_opinion_report
from xieshang.opinions.actions.review import adopt_report
from xieshang.opinions.models import OpinionReport


@dataclass
class World(AppWorld):
    cast: Cast
    city_office: OversightOffice
    province_office: OversightOffice
    province_oversight: User

    def content(self, **changes: object) -> ReportContent:
        values: dict[str, object] = {
            "title": "关于加强老旧小区加装电梯工作的建议",
            "problem": "我市老旧小区加装电梯推进缓慢，居民意见较多。",
            "analysis": "审批流程繁琐，资金分摊难以协调。",
            "suggestion": "建议简化审批流程，设立专项补助资金。",
        }
        values.update(changes)
        return ReportContent(**values)  # type: ignore[arg-type]

    def filed(self, **changes: object) -> OpinionReport:
        return file_opinion_report(actor=self.actor("member"), content=self.content(**changes))

    def adopted(self) -> OpinionReport:
        return adopt_report(self.filed(), actor=self.actor("staff"))


@pytest.fixture
def world(cast: Cast) -> World:
    city_office = OversightOffice.objects.get(council=cast.city)
    province_office = OversightOfficeFactory(council=cast.province, name="省委办公厅", kind="party_committee")
    province_oversight = UserFactory(username="province_oversight")
    CouncilRoleFactory(
        user=province_oversight, council=cast.province, role=Role.OVERSIGHT, oversight_office=province_office
    )
    return World(cast, city_office, province_office, province_oversight)
