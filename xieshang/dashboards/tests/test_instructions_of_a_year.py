"""Every leader's instruction of a council in a year is one query over the
shared table, whatever it is on (an opinion report, a consultation outcome):
what the leaders' cockpit reads."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import Cast
from xieshang.consultations.models import Outcome, OutcomeInstruction
from xieshang.consultations.tests.factories import ConsultationFactory
from xieshang.councils.models import Council, Instruction
from xieshang.councils.queries import instructions_of_year
from xieshang.councils.tests.factories import OversightOfficeFactory
from xieshang.opinions.models import Forwarding, ReportInstruction
from xieshang.opinions.tests.factories import OpinionReportFactory

pytestmark = pytest.mark.django_db


def on_report(cast: Cast, council: Council, day: dt.date, leader: str) -> ReportInstruction:
    office = OversightOfficeFactory(council=council)
    report = OpinionReportFactory(
        council=council, member=cast.member_record, filed_by=cast.member, status="adopted"
    )
    forwarding = Forwarding.objects.create(
        council=council,
        report=report,
        from_council=council,
        target="oversight",
        oversight_office=office,
        forwarded_by=cast.staff,
        forwarded_at=dt.datetime(day.year, 1, 2, tzinfo=dt.UTC),
    )
    return ReportInstruction.objects.create(
        **fields(cast, council, office, day, leader), report=report, forwarding=forwarding
    )


def on_outcome(cast: Cast, council: Council, day: dt.date, leader: str) -> OutcomeInstruction:
    office = OversightOfficeFactory(council=council)
    consultation = ConsultationFactory(council=council, created_by=cast.staff)
    outcome = Outcome.objects.create(
        council=council,
        consultation=consultation,
        kind="report",
        title="专报",
        text="……",
        created_by=cast.staff,
    )
    return OutcomeInstruction.objects.create(**fields(cast, council, office, day, leader), outcome=outcome)


def fields(cast: Cast, council: Council, office: Any, day: dt.date, leader: str) -> dict[str, Any]:
    return {
        "council": council,
        "office": office,
        "leader_name": leader,
        "level": "city",
        "text": "请认真研究。",
        "instructed_on": day,
        "recorded_by": cast.oversight,
    }


def test_a_councils_instructions_of_a_year_come_in_one_query_from_every_subject(cast: Cast) -> None:
    on_report(cast, cast.city, dt.date(2026, 3, 5), "甲")
    on_outcome(cast, cast.city, dt.date(2026, 6, 1), "乙")
    on_report(cast, cast.city, dt.date(2025, 12, 31), "去年")
    on_outcome(cast, cast.other_city, dt.date(2026, 4, 1), "别市")
    with CaptureQueriesContext(connection) as queries:
        rows = [
            (i.leader_name, i.office.name, hasattr(i, "reportinstruction"))
            for i in instructions_of_year(cast.city, 2026).select_related("reportinstruction")
        ]
    assert len(queries) == 1
    assert [(name, is_report) for name, _office, is_report in rows] == [("甲", True), ("乙", False)]
    assert Instruction.objects.count() == 4
