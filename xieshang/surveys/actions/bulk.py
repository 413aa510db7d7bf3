"""Loading many responses at once, for demo and benchmark data: every
answer is checked as submit_response checks it, the rows are bulk-created,
and the running totals are raised by exactly what was loaded, all in one
transaction holding the survey's row."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F

from xieshang.surveys.actions.answers import check_answers
from xieshang.surveys.actions.responses import Respondent
from xieshang.surveys.models import Response, Survey, Tally
from xieshang.surveys.queries import questions_of
from xieshang.surveys.states import SurveyStatus

BATCH = 2000


@transaction.atomic
def load_responses(survey: Survey, rows: Iterable[tuple[Respondent, dict[str, Any]]]) -> int:
    """Store the responses and raise the totals; return how many were loaded.
    The survey must be open (its totals exist)."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk, status=SurveyStatus.OPEN)
    questions = questions_of(survey)
    counts: Counter[tuple[int, str]] = Counter()
    sums: Counter[int] = Counter()
    batch: list[Response] = []
    loaded = 0
    named = not survey.is_anonymous
    for respondent, answers in rows:
        checked = check_answers(questions, answers)
        counts.update(checked.bumps)
        for question_id, value in checked.sums:
            sums[question_id] += value
        batch.append(
            Response(
                council_id=survey.council_id,
                survey=survey,
                respondent_key=respondent.key,
                member=respondent.member if named else None,
                unit=respondent.unit if named else None,
                mobile=respondent.mobile if named else "",
                answers=checked.answers,
            )
        )
        if len(batch) >= BATCH:
            loaded += len(Response.objects.bulk_create(batch))
            batch = []
    loaded += len(Response.objects.bulk_create(batch))
    tallies = list(Tally.objects.filter(survey=survey))
    for tally in tallies:
        tally.count += counts.get((tally.question_id, tally.key), 0)
        if tally.key == "answered":
            tally.total += sums.get(tally.question_id, 0)
    Tally.objects.bulk_update(tallies, ["count", "total"], batch_size=500)
    Survey.objects.filter(pk=survey.pk).update(response_count=F("response_count") + loaded)
    return loaded
