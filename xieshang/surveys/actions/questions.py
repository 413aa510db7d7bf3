"""The questions of a draft survey: add, change, remove, and where an
option skips to."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from xieshang.core.errors import require
from xieshang.core.events import history
from xieshang.core.states import ensure_state
from xieshang.core.versions import save_new_version
from xieshang.councils.roles import Actor, Perm
from xieshang.surveys.actions.common import lock_survey
from xieshang.surveys.models import OPTION_MAX, QUESTION_MAX, Option, Question, Survey
from xieshang.surveys.permissions import can_edit
from xieshang.surveys.states import CHOICE_KINDS, SCALE_SIZES, EventType, QuestionKind, SurveyStatus

MAX_OPTIONS = 50
MAX_ROWS = 20


@dataclass(frozen=True)
class QuestionSpec:
    """A question as staff describe it (a form's or the API's cleaned input)."""

    kind: str
    text: str
    required: bool = True
    has_other: bool = False
    options: list[str] = field(default_factory=list)
    min_choices: int | None = None
    max_choices: int | None = None
    scale_max: int = 5
    rows: list[str] = field(default_factory=list)
    min_value: int | None = None
    max_value: int | None = None


def _lines(values: list[str], limit: int, name: str) -> list[str]:
    lines = [v.strip() for v in values if v.strip()]
    if len(set(lines)) != len(lines):
        raise ValidationError({name: _("Each line must differ from the others.")})
    if len(lines) > limit:
        raise ValidationError({name: _("At most %(n)s lines.") % {"n": limit}})
    if any(len(line) > OPTION_MAX for line in lines):
        raise ValidationError({name: _("Each line has at most %(n)s characters.") % {"n": OPTION_MAX}})
    return lines


def _check_choices(spec: QuestionSpec, options: list[str]) -> None:
    if len(options) < 2:
        raise ValidationError({"options": _("Give at least two options, one per line.")})
    if spec.kind == QuestionKind.SINGLE:
        if spec.min_choices or spec.max_choices:
            raise ValidationError({"max_choices": _("A single-choice question takes exactly one answer.")})
        return
    most = len(options) + (1 if spec.has_other else 0)
    low, high = spec.min_choices or 1, spec.max_choices or most
    if not 1 <= low <= high <= most:
        raise ValidationError(
            {"max_choices": _("Choose between 1 and %(n)s, the least no more than the most.") % {"n": most}}
        )


def clean_spec(spec: QuestionSpec) -> QuestionSpec:
    """The spec as stored, or ValidationError saying what is wrong."""
    text = spec.text.strip()
    if not text:
        raise ValidationError({"text": _("Enter the question.")})
    if len(text) > QUESTION_MAX:
        raise ValidationError({"text": _("At most %(n)s characters.") % {"n": QUESTION_MAX}})
    options = _lines(spec.options, MAX_OPTIONS, "options")
    rows = _lines(spec.rows, MAX_ROWS, "rows")
    if spec.kind in CHOICE_KINDS:
        _check_choices(spec, options)
    elif spec.has_other:
        raise ValidationError({"has_other": _("Only a choice question has an “other” answer.")})
    if spec.kind in (QuestionKind.SCALE, QuestionKind.MATRIX) and spec.scale_max not in SCALE_SIZES:
        raise ValidationError({"scale_max": _("A scale runs from 1 to 5 or from 1 to 10.")})
    if spec.kind == QuestionKind.MATRIX and not rows:
        raise ValidationError({"rows": _("Give the rows to rate, one per line.")})
    low, high = spec.min_value, spec.max_value
    if spec.kind == QuestionKind.NUMBER and low is not None and high is not None and low > high:
        raise ValidationError({"max_value": _("The largest number must not be below the smallest.")})
    is_choice, is_number = spec.kind in CHOICE_KINDS, spec.kind == QuestionKind.NUMBER
    return QuestionSpec(
        kind=spec.kind,
        text=text,
        required=spec.required,
        has_other=spec.has_other and is_choice,
        options=options if is_choice else [],
        min_choices=spec.min_choices if spec.kind == QuestionKind.MULTIPLE else None,
        max_choices=spec.max_choices if spec.kind == QuestionKind.MULTIPLE else None,
        scale_max=spec.scale_max if spec.kind in (QuestionKind.SCALE, QuestionKind.MATRIX) else 5,
        rows=rows if spec.kind == QuestionKind.MATRIX else [],
        min_value=low if is_number else None,
        max_value=high if is_number else None,
    )


def _editable(survey: Survey, actor: Actor) -> Survey:
    require(actor.has(Perm.MANAGE_SURVEYS))
    survey = lock_survey(survey, actor.council.pk)
    ensure_state(survey.status, {SurveyStatus.DRAFT})
    require(can_edit(actor, survey))
    return survey


def _write(question: Question, spec: QuestionSpec) -> None:
    for name in ("kind", "text", "required", "has_other", "min_choices", "max_choices"):
        setattr(question, name, getattr(spec, name))
    for name in ("scale_max", "rows", "min_value", "max_value"):
        setattr(question, name, getattr(spec, name))
    question.save()
    kept = {o.text: o for o in question.options.all()}
    question.options.exclude(text__in=spec.options).delete()
    for position, text in enumerate(spec.options, start=1):
        option = kept.get(text) or Option(council=question.council, question=question, text=text)
        option.position = position
        option.save()


def _touched(survey: Survey, actor: Actor, **data: object) -> None:
    save_new_version(survey, update_fields=["updated_at"])
    history(survey, EventType.QUESTIONS_CHANGED, actor, **data)


@transaction.atomic
def add_question(survey: Survey, *, actor: Actor, spec: QuestionSpec) -> Question:
    survey = _editable(survey, actor)
    spec = clean_spec(spec)
    last = survey.questions.aggregate(n=Max("position"))["n"] or 0
    question = Question(council=survey.council, survey=survey, position=last + 1)
    _write(question, spec)
    _touched(survey, actor, added=question.position)
    return question


@transaction.atomic
def edit_question(question: Question, *, actor: Actor, spec: QuestionSpec) -> Question:
    survey = _editable(question.survey, actor)
    spec = clean_spec(spec)
    question = Question.objects.select_for_update().get(pk=question.pk, survey=survey)
    _write(question, spec)
    _touched(survey, actor, changed=question.position)
    return question


@transaction.atomic
def remove_question(question: Question, *, actor: Actor) -> None:
    survey = _editable(question.survey, actor)
    position = question.position
    Question.objects.filter(pk=question.pk, survey=survey).delete()
    for number, q in enumerate(survey.questions.order_by("position", "id"), start=1):
        if q.position != number:
            Question.objects.filter(pk=q.pk).update(position=number)
    _touched(survey, actor, removed=position)


@transaction.atomic
def set_skips(question: Question, *, actor: Actor, targets: dict[int, Question | None]) -> Question:
    """Where choosing each option leads: a later question, or (None) the
    next one. Questions in between are skipped by whoever chose it."""
    survey = _editable(question.survey, actor)
    question = Question.objects.get(pk=question.pk, survey=survey)
    for option_id, target in targets.items():
        if target is not None and (target.survey_id != survey.pk or target.position <= question.position):
            raise ValidationError({f"option_{option_id}": _("Skip only to a later question of this survey.")})
    for option in question.options.all():
        if option.pk in targets:
            option.skip_to = targets[option.pk]
            option.save(update_fields=["skip_to"])
    _touched(survey, actor, skips=question.position)
    return question
