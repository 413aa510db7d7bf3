"""The supervision world on top of the shared cast (see the root conftest.py).

In the city: a campaign on black and odorous water with two river targets
(the first the responsibility of the liaison's unit), a contact group with
the member and a second member assigned to the first river, a supervisor
group of three (the member leading) posted to the liaison's unit. In the
other city: a unit with its own liaison, who must never see the city's
letters or recommendations.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from conftest import AppWorld, Cast
from xieshang.accounts.models import User
from xieshang.councils.models import HandlingUnit, Member, MemberGroup, MemberGroupKind, Role
from xieshang.councils.tests.factories import (
    CouncilRoleFactory,
    HandlingUnitFactory,
    MemberFactory,
    MemberGroupFactory,
    UserFactory,
)
from xieshang.supervision.actions import (
    CampaignData,
    InspectionData,
    PostingData,
    ProblemData,
    TargetData,
    add_targets,
    assign_groups,
    create_campaign,
    create_default_target_kinds,
    issue_letter,
    post_group,
    record_inspection,
    send_recommendation,
)
from xieshang.supervision.models import (
    Inspection,
    Recommendation,
    RecommendationLetter,
    ResidentSupervision,
    SupervisionCampaign,
    SupervisionTarget,
    TargetKind,
)

TODAY = dt.date(2026, 6, 15)  # a Monday


def photo(
    name: str = "现场.jpg", *, size: tuple[int, int] = (64, 48), fmt: str = "JPEG", exif=None
) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, "green").save(buffer, fmt, **kwargs)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@dataclass
class World(AppWorld):
    cast: Cast
    unit: HandlingUnit
    second_unit: HandlingUnit
    kind: TargetKind
    campaign: SupervisionCampaign
    river: SupervisionTarget
    creek: SupervisionTarget
    contact_group: MemberGroup
    second_member: Member
    supervisors: MemberGroup
    posting: ResidentSupervision
    other_unit: HandlingUnit
    other_liaison: User

    def inspection_data(self, **changes: object) -> InspectionData:
        values: dict[str, object] = {
            "target": self.river,
            "inspected_on": TODAY,
            "is_unannounced": True,
            "participants": [self.cast.member_record, self.second_member],
            "findings": "河面有漂浮垃圾，排污口有黑水流出。",
            "problems": [ProblemData("排污口偷排", self.unit)],
        }
        values.update(changes)
        return InspectionData(**values)  # type: ignore[arg-type]

    def inspect(self, who: str = "member", **changes: object) -> Inspection:
        return record_inspection(
            self.campaign, actor=self.actor(who), data=self.inspection_data(**changes), today=TODAY
        )

    def recommendation(self) -> Recommendation:
        inspection = self.inspect()
        return send_recommendation(
            self.campaign,
            actor=self.actor("staff"),
            handling_unit=self.unit,
            title="关于整治城东河排污口的建议",
            text="建议立即封堵偷排口，并建立巡河制度。",
            problems=list(inspection.problems.all()),
            today=TODAY,
        )

    def letter(self) -> RecommendationLetter:
        return issue_letter(
            self.posting,
            actor=self.actor("staff"),
            title="关于改进窗口服务的建议",
            text="建议延长午间办事时间。",
            today=TODAY,
        )


@pytest.fixture
def world(cast: Cast) -> World:
    create_default_target_kinds(cast.city, user=None)
    unit = HandlingUnit.objects.get(council=cast.city)
    second_unit = HandlingUnitFactory(council=cast.city, name="市水务局")
    kind = TargetKind.objects.filter(council=cast.city).first()
    assert kind is not None
    staff = cast.actor("staff")
    campaign = create_campaign(
        actor=staff,
        data=CampaignData(
            title="黑臭水体治理专项民主监督",
            year=2026,
            starts_on=dt.date(2026, 3, 1),
            ends_on=dt.date(2026, 11, 30),
        ),
    )
    river, creek = add_targets(
        campaign,
        actor=staff,
        targets=[
            TargetData("HC-01", "城东河", "城东区", kind, unit, latitude=None, longitude=None),
            TargetData("HC-02", "西沙涌", "城西区", kind, second_unit),
        ],
    )
    second_member = MemberFactory(council=cast.city, term=cast.term, full_name="赵委员")
    contact_group = MemberGroupFactory(council=cast.city, name="第一联系小组", kind=MemberGroupKind.CONTACT)
    contact_group.members.add(cast.member_record, second_member)
    assign_groups(campaign, actor=staff, group=contact_group, targets=[river])
    supervisors = MemberGroupFactory(
        council=cast.city, name="民主监督员第一小组", kind=MemberGroupKind.SUPERVISORS
    )
    supervisors.members.add(
        cast.member_record, second_member, MemberFactory(council=cast.city, term=cast.term)
    )
    posting = post_group(
        actor=staff,
        data=PostingData(supervisors, unit, cast.member_record, dt.date(2026, 1, 1), dt.date(2027, 12, 31)),
    )
    other_unit = HandlingUnitFactory(council=cast.other_city)
    other_liaison = UserFactory(username="other_liaison")
    CouncilRoleFactory(
        user=other_liaison, council=cast.other_city, role=Role.UNIT_LIAISON, handling_unit=other_unit
    )
    return World(
        cast,
        unit,
        second_unit,
        kind,
        campaign,
        river,
        creek,
        contact_group,
        second_member,
        supervisors,
        posting,
        other_unit,
        other_liaison,
    )
