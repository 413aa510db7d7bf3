"""Special reports (民主监督专报): numbered per year, compiled from the
period's inspections, problems, recommendations and answers, downloadable as
Word and PDF; the office records leaders' instructions on them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from xieshang.core.testing import assert_nothing_changed
from xieshang.councils.actions.instructions import InstructionDetails
from xieshang.supervision.actions import issue_special_report, record_report_instruction, reply_recommendation
from xieshang.supervision.exports import report_docx, report_number
from xieshang.supervision.models import SpecialReport, SpecialReportInstruction
from xieshang.supervision.tests.conftest import TODAY, World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, 0), tick=False):
        yield


def _report(world: World) -> SpecialReport:
    recommendation = world.recommendation()
    reply_recommendation(recommendation, actor=world.actor("liaison"), text="已完成排污口封堵。")
    return issue_special_report(
        world.campaign,
        actor=world.actor("staff"),
        title="黑臭水体治理专项民主监督情况报告",
        period_start=dt.date(2026, 3, 1),
        period_end=TODAY,
        summary="现将有关情况报告如下。",
        today=TODAY,
    )


def test_reports_are_numbered_per_year(world: World) -> None:
    first, second = _report(world), _report(world)
    assert (first.number, second.number) == (1, 2)
    assert report_number(second) == "2026, issue 2"


def test_word_report_has_cover_numbering_problems_and_answers(world: World) -> None:
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(report_docx(_report(world)))).paragraphs)
    assert "Democratic Supervision Special Report" in text
    assert "2026, issue 1" in text and "某某市政协" in text
    assert "排污口偷排" in text and "已完成排污口封堵。" in text


def test_report_downloads_for_readers_only(world: World, clients: dict[str, Client]) -> None:
    report = _report(world)
    url = reverse(
        "supervision:report_download", kwargs={"council_slug": "city", "pk": report.pk, "fmt": "docx"}
    )
    response = clients["leader"].get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert clients["liaison"].get(url).status_code == 404
    assert clients["outsider"].get(url).status_code == 404


def test_office_records_a_leaders_instruction_and_staff_may_not(world: World) -> None:
    report = _report(world)
    details = InstructionDetails(
        leader_name="王市长", level="city", text="请相关部门抓紧整改。", instructed_on=TODAY
    )
    with assert_nothing_changed(report, SpecialReportInstruction), pytest.raises(PermissionDenied):
        record_report_instruction(report, actor=world.actor("staff"), details=details)
    instruction = record_report_instruction(report, actor=world.actor("oversight"), details=details)
    assert instruction.report == report and instruction.council == world.cast.city


def test_pdf_report_is_a_pdf(world: World) -> None:
    from xieshang.supervision.exports import report_pdf

    assert report_pdf(_report(world))[:5] == b"%PDF-"
