"""Surveys for the demo city (明湖市政协, slug demo-city): last year's
public questionnaire (closed), this year's copied from it and open, with
1,200 answers from the public (千人问卷), and a survey of members half of
whom have answered. Written through the actions; the 1,200 public answers
are loaded in bulk (actions.bulk), each checked and counted exactly."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.utils import timezone

from xieshang.councils.models import Council, CouncilRole, Member, Role
from xieshang.councils.roles import Actor
from xieshang.surveys import keys
from xieshang.surveys.actions.bulk import load_responses
from xieshang.surveys.actions.questions import QuestionSpec, add_question, set_skips
from xieshang.surveys.actions.responses import Respondent, submit_response
from xieshang.surveys.actions.surveys import (
    SurveyDetails,
    close_survey,
    copy_survey,
    create_survey,
    open_survey,
)
from xieshang.surveys.models import Question, Survey
from xieshang.surveys.queries import questions_of
from xieshang.surveys.states import Audience, QuestionKind

DEMO_SLUG = "demo-city"
PUBLIC_RESPONSES = 1200

SERVICES = ["公交出行", "看病就医", "子女入学", "养老服务", "社区环境", "办事效率"]
IDEAS = [
    "希望增加社区医生，方便老人看病",
    "公交线路要延伸到新小区",
    "幼儿园学位紧张，建议新建公办园",
    "老旧小区加装电梯的补贴再提高一些",
    "政务服务大厅周末也能办事就好了",
    "河道治理后要长期保洁",
    "菜市场周边停车难",
    "建议多建口袋公园和健身步道",
]

PUBLIC_QUESTIONS = (
    QuestionSpec(
        kind=QuestionKind.SINGLE, text="您的年龄段", options=["18–30岁", "31–45岁", "46–60岁", "60岁以上"]
    ),
    QuestionSpec(
        kind=QuestionKind.MULTIPLE,
        text="您最关心哪些公共服务（最多选3项）",
        options=SERVICES,
        has_other=True,
        min_choices=1,
        max_choices=3,
    ),
    QuestionSpec(kind=QuestionKind.SCALE, text="您对本市公共服务的总体满意度", scale_max=10),
    QuestionSpec(
        kind=QuestionKind.MATRIX,
        text="请为以下方面打分",
        rows=["服务态度", "办事效率", "信息公开"],
        scale_max=5,
    ),
    QuestionSpec(kind=QuestionKind.SINGLE, text="过去一年您是否到政务服务大厅办过事", options=["是", "否"]),
    QuestionSpec(kind=QuestionKind.SCALE, text="您对政务服务大厅的满意度", scale_max=5),
    QuestionSpec(kind=QuestionKind.NUMBER, text="您家里有几口人", min_value=1, max_value=20),
    QuestionSpec(kind=QuestionKind.LONG_TEXT, text="您对改善公共服务还有什么建议", required=False),
)

MEMBER_QUESTIONS = (
    QuestionSpec(
        kind=QuestionKind.SINGLE,
        text="您本年度最希望参加的履职活动",
        options=["专题调研", "视察", "协商座谈", "学习培训"],
    ),
    QuestionSpec(kind=QuestionKind.SCALE, text="您对机关履职服务的满意度", scale_max=5),
    QuestionSpec(kind=QuestionKind.SHORT_TEXT, text="一句话建议", required=False),
)


def _staff(council: Council) -> Actor:
    role = CouncilRole.objects.filter(council=council, role=Role.STAFF).select_related("user").first()
    if role is None:
        raise RuntimeError("The demo city has no staff: run seed_demo first.")
    return Actor(user=role.user, council=council, roles=frozenset({Role.STAFF}))


def random_answers(questions: list[Question], rng: random.Random) -> dict[str, Any]:
    """A plausible, valid set of answers (skips honoured by leaving out)."""
    out: dict[str, Any] = {}
    for q in questions:
        options = [o.pk for o in q.options.all()]
        if q.kind == QuestionKind.SINGLE:
            out[str(q.pk)] = {"option": rng.choice(options)}
        elif q.kind == QuestionKind.MULTIPLE:
            chosen = rng.sample(options, rng.randint(1, (q.max_choices or 2) - 1))
            other = "文化设施" if q.has_other and rng.random() < 0.05 else ""
            out[str(q.pk)] = {"options": chosen, "other": other}
        elif q.kind == QuestionKind.SCALE:
            out[str(q.pk)] = min(q.scale_max, max(1, round(rng.gauss(q.scale_max * 0.75, q.scale_max * 0.2))))
        elif q.kind == QuestionKind.MATRIX:
            out[str(q.pk)] = [rng.randint(2, q.scale_max) for _row in q.rows]
        elif q.kind == QuestionKind.NUMBER:
            out[str(q.pk)] = rng.randint(1, 6)
        elif rng.random() < 0.4:
            out[str(q.pk)] = rng.choice(IDEAS)
    return out


def public_answers(
    survey: Survey, rng: random.Random, count: int, first: int = 0
) -> Iterator[tuple[Respondent, dict[str, Any]]]:
    questions = questions_of(survey)
    for n in range(first, first + count):
        yield Respondent.of_mobile(survey, f"1390{n:07d}"), random_answers(questions, rng)


def _build(staff: Actor, specs: tuple[QuestionSpec, ...], details: SurveyDetails) -> Survey:
    survey = create_survey(actor=staff, details=details)
    for spec in specs:
        add_question(survey, actor=staff, spec=spec)
    return survey


def _skip_hall_question(staff: Actor, survey: Survey) -> None:
    """Those who have not been to the service hall skip its rating."""
    questions = questions_of(survey)
    been, rating, after = questions[4], questions[5], questions[6]
    no = next(o for o in been.options.all() if o.text == "否")
    set_skips(been, actor=staff, targets={no.pk: after})
    assert rating.position < after.position


@transaction.atomic
def seed_demo_surveys(seed: int = 2026) -> int:
    """Create the demo city's surveys; return how many (0 when it has some)."""
    council = Council.objects.filter(slug=DEMO_SLUG).first()
    if council is None:
        raise RuntimeError("No demo city: run seed_demo first.")
    if Survey.objects.filter(council=council).exists():
        return 0
    rng = random.Random(seed)
    staff = _staff(council)
    now = timezone.now()
    year = timezone.localdate().year
    last = _build(
        staff,
        PUBLIC_QUESTIONS,
        SurveyDetails(
            title=f"{year - 1}年明湖市公共服务满意度调查",
            year=year - 1,
            audience=Audience.PUBLIC,
            is_anonymous=True,
            opens_at=now - dt.timedelta(days=365),
            closes_at=now + dt.timedelta(days=1),
            description="市政协开展的年度千人问卷，匿名填写。",
        ),
    )
    _skip_hall_question(staff, last)
    open_survey(last, actor=staff)
    load_responses(last, public_answers(last, rng, 300, first=5000))
    close_survey(last, actor=staff)
    Survey.objects.filter(pk=last.pk).update(closes_at=now - dt.timedelta(days=330))
    this = copy_survey(
        last,
        actor=staff,
        details=SurveyDetails(
            title=f"{year}年明湖市公共服务满意度调查（千人问卷）",
            year=year,
            audience=Audience.PUBLIC,
            is_anonymous=True,
            opens_at=now - dt.timedelta(days=10),
            closes_at=now + dt.timedelta(days=20),
            description="市政协开展的年度千人问卷，匿名填写，每个手机号限答一次。",
        ),
    )
    open_survey(this, actor=staff)
    load_responses(this, public_answers(this, rng, PUBLIC_RESPONSES))
    members = _build(
        staff,
        MEMBER_QUESTIONS,
        SurveyDetails(
            title=f"{year}年委员履职服务需求调查",
            year=year,
            audience=Audience.MEMBERS,
            opens_at=now - dt.timedelta(days=3),
            closes_at=now + dt.timedelta(days=14),
        ),
    )
    members = open_survey(members, actor=staff)
    questions = questions_of(members)
    seated = Member.objects.filter(council=council, is_active=True, term__is_current=True).order_by("pk")
    for member in list(seated)[::2][:80]:
        respondent = Respondent(key=keys.member_key(members.salt, member.pk), member=member)
        submit_response(members, respondent=respondent, answers=random_answers(questions, rng))
    return 3
