"""Every read of the surveys app, filtered by council first.

The results come from the running totals (Tally), read in a fixed number
of queries however many responses there are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import rjieba
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext

from xieshang.core.text import STOP_WORDS
from xieshang.councils.models import Council, Member
from xieshang.councils.roles import Actor, Perm
from xieshang.surveys import keys
from xieshang.surveys.models import Option, Question, Response, Survey, Tally
from xieshang.surveys.permissions import can_view_results, is_asked, members_asked
from xieshang.surveys.states import CHOICE_KINDS, TEXT_KINDS, Audience, QuestionKind, SurveyStatus

# The word-frequency view reads at most this many of the newest text answers.
WORDS_FROM_AT_MOST = 20000


def surveys_for(actor: Actor) -> QuerySet[Survey]:
    """Every survey of the council, for staff and leaders."""
    if not actor.has(Perm.VIEW_SURVEYS):
        return Survey.objects.none()
    return Survey.objects.filter(council=actor.council)


def access_survey(actor: Actor, survey_id: int) -> Survey:
    """A survey the actor may read the results of; 404 otherwise (missing,
    another council's, or not theirs alike)."""
    survey = Survey.objects.filter(council=actor.council, pk=survey_id).select_related("council").first()
    if survey is None or not can_view_results(actor, survey):
        raise Http404
    return survey


def respondent_key_of(actor: Actor, survey: Survey) -> str:
    """The key under which the actor answers: their member record, or the
    first of their handling units."""
    if survey.audience == Audience.UNITS and actor.handling_unit_ids:
        return keys.unit_key(survey.salt, min(actor.handling_unit_ids))
    if actor.member is not None:
        return keys.member_key(survey.salt, actor.member.pk)
    return ""


def has_answered(survey: Survey, key: str) -> bool:
    return bool(key) and Response.objects.filter(survey=survey, respondent_key=key).exists()


def access_survey_to_answer(actor: Actor, survey_id: int) -> Survey:
    """An open or closed survey put to the actor; 404 otherwise."""
    survey = (
        Survey.objects.filter(council=actor.council, pk=survey_id)
        .exclude(status=SurveyStatus.DRAFT)
        .select_related("council")
        .first()
    )
    if survey is None or not is_asked(actor, survey):
        raise Http404
    return survey


@dataclass
class MySurvey:
    survey: Survey
    answered: bool


def my_surveys(actor: Actor) -> list[MySurvey]:
    """The open and closed surveys put to the actor, newest first, each
    saying whether the actor has answered."""
    if not actor.has(Perm.ANSWER_SURVEYS):
        return []
    rows = Survey.objects.filter(
        council=actor.council, status__in=(SurveyStatus.OPEN, SurveyStatus.CLOSED)
    ).exclude(audience=Audience.PUBLIC)[:100]
    mine = [s for s in rows if is_asked(actor, s)]
    wanted = {respondent_key_of(actor, s) for s in mine}
    done = set(
        Response.objects.filter(survey__in=mine, respondent_key__in=wanted).values_list(
            "survey_id", "respondent_key"
        )
    )
    return [MySurvey(s, (s.pk, respondent_key_of(actor, s)) in done) for s in mine]


def public_survey(council_slug: str, survey_id: int) -> Survey:
    """A public survey that is open or closed; no login needed."""
    survey = (
        Survey.objects.filter(
            council__slug=council_slug,
            council__is_active=True,
            pk=survey_id,
            audience=Audience.PUBLIC,
            status__in=(SurveyStatus.OPEN, SurveyStatus.CLOSED),
        )
        .select_related("council")
        .first()
    )
    if survey is None:
        raise Http404
    return survey


def questions_of(survey: Survey) -> list[Question]:
    """The questions in order, each with its options (two queries)."""
    return list(
        Question.objects.filter(survey=survey)
        .order_by("position", "id")
        .prefetch_related(Prefetch("options", queryset=Option.objects.order_by("position", "id")))
    )


def access_question(actor: Actor, survey: Survey, question_id: int) -> Question:
    question = Question.objects.filter(council=actor.council, survey=survey, pk=question_id).first()
    if question is None:
        raise Http404
    return question


def earlier_surveys(actor: Actor) -> QuerySet[Survey]:
    """Surveys a new one may be copied from: the council's, newest first."""
    return surveys_for(actor).order_by("-year", "-id")


def members_not_answered(survey: Survey) -> QuerySet[Member]:
    """Seated members a members' survey asks who have not answered yet."""
    asked = Member.objects.filter(members_asked(survey)).distinct()
    answered = set(Response.objects.filter(survey=survey).values_list("respondent_key", flat=True))
    left = [m.pk for m in asked.only("pk") if keys.member_key(survey.salt, m.pk) not in answered]
    return Member.objects.filter(pk__in=left)


def council_of(survey: Survey) -> Council:
    return survey.council


# Results ---------------------------------------------------------------------


@dataclass
class Line:
    """One bar: an option, a scale value, or a matrix row's mean."""

    label: str
    count: int
    share: float = 0.0
    mean: float | None = None


@dataclass
class QuestionResult:
    question: Question
    answered: int
    lines: list[Line] = field(default_factory=list)
    mean: float | None = None

    @property
    def chart(self) -> dict[str, Any]:
        """ECharts options for the page (the same numbers are in the table)."""
        by_mean = self.question.kind == QuestionKind.MATRIX
        values = [line.mean if by_mean else line.count for line in self.lines]
        return {
            "grid": {"left": 8, "right": 16, "top": 8, "bottom": 8, "containLabel": True},
            "xAxis": {"type": "value", "minInterval": 1},
            "yAxis": {"type": "category", "inverse": True, "data": [line.label for line in self.lines]},
            "series": [{"type": "bar", "data": values}],
        }

    @property
    def chart_id(self) -> str:
        return f"chart-q{self.question.pk}"


def _share(count: int, of: int) -> float:
    return round(100 * count / of, 1) if of else 0.0


def _mean(total: int, count: int) -> float | None:
    return round(total / count, 2) if count else None


def _lines(question: Question, counts: dict[str, tuple[int, int]], answered: int) -> list[Line]:
    def n(key: str) -> int:
        return counts.get(key, (0, 0))[0]

    if question.kind in CHOICE_KINDS:
        lines = [Line(o.text, n(f"o{o.pk}"), _share(n(f"o{o.pk}"), answered)) for o in question.options.all()]
        if question.has_other:
            lines.append(Line(gettext("Other"), n("other"), _share(n("other"), answered)))
        return lines
    if question.kind == QuestionKind.SCALE:
        values = range(1, question.scale_max + 1)
        return [Line(str(v), n(f"v{v}"), _share(n(f"v{v}"), answered)) for v in values]
    if question.kind == QuestionKind.MATRIX:
        lines = []
        for row, label in enumerate(question.rows):
            per_value = [n(f"r{row}v{v}") for v in range(1, question.scale_max + 1)]
            rated = sum(per_value)
            total = sum(v * c for v, c in enumerate(per_value, start=1))
            lines.append(Line(str(label), rated, mean=_mean(total, rated)))
        return lines
    return []


def results(survey: Survey) -> list[QuestionResult]:
    """Per question: how many answered it and the figures of each answer,
    from the running totals (three queries)."""
    questions = questions_of(survey)
    counts: dict[int, dict[str, tuple[int, int]]] = {}
    for question_id, key, count, total in Tally.objects.filter(survey=survey).values_list(
        "question_id", "key", "count", "total"
    ):
        counts.setdefault(question_id, {})[key] = (count, total)
    out = []
    for question in questions:
        mine = counts.get(question.pk, {})
        answered, total = mine.get("answered", (0, 0))
        mean = _mean(total, answered) if question.kind in (QuestionKind.SCALE, QuestionKind.NUMBER) else None
        out.append(QuestionResult(question, answered, _lines(question, mine, answered), mean))
    return out


@dataclass
class SurveyStatistics:
    """A survey's figures: its count and every question's results."""

    survey_id: int
    status: str
    response_count: int
    questions: list[QuestionResult]


def statistics(survey: Survey) -> SurveyStatistics:
    return SurveyStatistics(survey.pk, survey.status, survey.response_count, results(survey))


# Raw answers and text ----------------------------------------------------------


def responses_of(survey: Survey) -> Iterator[Response]:
    """Every response in the order they came, read in chunks."""
    return Response.objects.filter(survey=survey).order_by("id").iterator(chunk_size=2000)


def _chose(answer: Any, option_id: int) -> bool:
    if isinstance(answer, dict):
        return answer.get("option") == option_id or option_id in (answer.get("options") or [])
    return False


def text_answers(survey: Survey, question: Question, *, chose: Option | None = None) -> list[str]:
    """The newest text answers to question (at most WORDS_FROM_AT_MOST),
    only of those who chose the option chose, when given."""
    rows = Response.objects.filter(survey=survey).order_by("-id").values_list("answers", flat=True)
    texts = []
    for answers in rows[:WORDS_FROM_AT_MOST].iterator(chunk_size=2000):
        text = answers.get(str(question.pk))
        if not text:
            continue
        if chose is not None and not _chose(answers.get(str(chose.question_id)), chose.pk):
            continue
        texts.append(str(text))
    return texts


def frequent_words(texts: Iterable[str], *, top: int = 30) -> list[tuple[str, int]]:
    """The most frequent words (jieba), stop words and single characters left out."""
    counts: Counter[str] = Counter()
    for text in texts:
        for word in rjieba.cut(text):
            word = word.strip().lower()
            if len(word) > 1 and word not in STOP_WORDS and any(ch.isalnum() for ch in word):
                counts[word] += 1
    return counts.most_common(top)


def text_questions(questions: Iterable[Question]) -> list[Question]:
    return [q for q in questions if q.kind in TEXT_KINDS]


def choice_options(questions: Iterable[Question]) -> list[Option]:
    return [o for q in questions if q.kind in CHOICE_KINDS for o in q.options.all()]
