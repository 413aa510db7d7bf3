"""The raw answers of a survey as a workbook (core.spreadsheets: every
string a text cell, formula-like text quoted), written row by row."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.spreadsheets import Style, WorkbookWriter
from xieshang.surveys.models import Question, Response, Survey
from xieshang.surveys.queries import questions_of, responses_of
from xieshang.surveys.states import QuestionKind


def _headers(questions: list[Question]) -> list[str]:
    out = []
    for q in questions:
        if q.kind == QuestionKind.MATRIX:
            out += [f"{q.position}. {q.text} — {row}" for row in q.rows]
        else:
            out.append(f"{q.position}. {q.text}")
    return out


def _choice(answer: Any, names: dict[int, str]) -> str:
    if not isinstance(answer, dict):
        return ""
    chosen = [names.get(n, "") for n in answer.get("options") or []]
    if "option" in answer:
        chosen.append(names.get(answer["option"], ""))
    if answer.get("other"):
        chosen.append(_("Other: %(text)s") % {"text": answer["other"]})
    return "；".join(chosen)


def _cells(q: Question, answer: Any, names: dict[int, str]) -> list[Any]:
    if q.kind == QuestionKind.MATRIX:
        values = answer if isinstance(answer, list) else []
        return [values[r] if r < len(values) else None for r in range(len(q.rows))]
    if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return [_choice(answer, names)]
    return [answer]


def _row(response: Response, questions: list[Question], names: dict[int, str], named: bool) -> list[Any]:
    line: list[Any] = [response.pk, timezone.localtime(response.submitted_at).replace(tzinfo=None)]
    if named:
        who = response.member.full_name if response.member else response.unit.name if response.unit else ""
        line.append(who or response.mobile)
    for q in questions:
        line += _cells(q, response.answers.get(str(q.pk)), names)
    return line


def answers_workbook(survey: Survey) -> tuple[bytes, int]:
    """The workbook and the number of responses in it."""
    questions = questions_of(survey)
    names = {o.pk: o.text for q in questions for o in q.options.all()}
    named = not survey.is_anonymous
    book = WorkbookWriter()
    sheet = book.add_sheet(str(_("Answers")), freeze_header=True)
    headers = [_("No."), _("Answered at")] + ([_("Respondent")] if named else []) + _headers(questions)
    sheet.append(headers, style=Style(bold=True))
    rows = 0
    responses = responses_of(survey)
    if named:
        responses = (
            Response.objects.filter(survey=survey)
            .select_related("member", "unit")
            .order_by("id")
            .iterator(2000)
        )
    for response in responses:
        sheet.append(_row(response, questions, names, named))
        rows += 1
    return book.to_bytes(), rows
