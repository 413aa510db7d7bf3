"""Results while a survey is open and after: the count and per-question
figures with charts (from the running totals), the raw answers in Excel,
the summary in PDF, and the frequent words of text answers."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.audit import audit
from xieshang.core.exports import content_disposition, xlsx_download
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view
from xieshang.surveys.exports import answers_workbook
from xieshang.surveys.forms import WordsForm
from xieshang.surveys.queries import (
    access_survey,
    choice_options,
    frequent_words,
    questions_of,
    results,
    text_answers,
    text_questions,
)


@council_view(Perm.VIEW_SURVEYS)
def results_page(request: CouncilRequest, pk: int) -> HttpResponse:
    survey = access_survey(request.actor, pk)
    return render(request, "surveys/results.html", {"survey": survey, "results": results(survey)})


@council_view(Perm.VIEW_SURVEYS)
def answers_xlsx(request: CouncilRequest, pk: int) -> HttpResponse:
    """Every response, one row each, one column per question (a matrix row
    each), written as text where it is text."""
    survey = access_survey(request.actor, pk)
    content, rows = answers_workbook(survey)
    audit(
        "survey.answers_exported", user=request.user, council=request.council, obj=survey, data={"rows": rows}
    )
    return xlsx_download(content, filename=f"{survey.title}-{_('answers')}.xlsx")


@council_view(Perm.VIEW_SURVEYS)
def summary_pdf(request: CouncilRequest, pk: int) -> HttpResponse:
    """The figures of every question, to print or send."""
    from weasyprint import HTML  # Heavy; loaded only when a summary is printed.

    survey = access_survey(request.actor, pk)
    html = render_to_string(
        "surveys/summary_pdf.html",
        {"survey": survey, "results": results(survey), "printed_at": timezone.localtime()},
        request=request,
    )
    # No base URL: the summary loads nothing, so printing never fetches anything.
    pdf = HTML(string=html).write_pdf()
    audit("survey.summary_exported", user=request.user, council=request.council, obj=survey)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(f"{survey.title}-{_('summary')}.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response


# The newest text answers shown under the words, as typed (escaped).
LATEST = 20


def _word_chart(words: list[tuple[str, int]]) -> dict[str, Any]:
    return {
        "grid": {"left": 8, "right": 16, "top": 8, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "inverse": True, "data": [w for w, _n in words]},
        "series": [{"type": "bar", "data": [n for _w, n in words]}],
    }


@council_view(Perm.VIEW_SURVEYS)
def words(request: CouncilRequest, pk: int) -> HttpResponse:
    """The most frequent words of one text question's answers, of everyone
    or of those who chose one option."""
    survey = access_survey(request.actor, pk)
    questions = questions_of(survey)
    texts, options = text_questions(questions), choice_options(questions)
    form = WordsForm(request.GET or None, questions=texts, options=options)
    chosen_question = texts[0] if texts else None
    chose = None
    if form.is_valid():
        chosen_question = next((q for q in texts if q.pk == form.cleaned_data["question"]), chosen_question)
        chose = next((o for o in options if o.pk == form.cleaned_data.get("chose")), None)
    answers = text_answers(survey, chosen_question, chose=chose) if chosen_question else []
    found = frequent_words(answers)
    return render(
        request,
        "surveys/words.html",
        {
            "survey": survey,
            "form": form,
            "texts": texts,
            "options": options,
            "question": chosen_question,
            "chose": chose,
            "words": found,
            "latest": answers[:LATEST],
            "chart": _word_chart(found),
        },
    )
