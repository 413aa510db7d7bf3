"""Checking one person's answers against the questions: what is stored,
and which running totals it raises. Pure: no database writes.

Answers arrive keyed by the question's id (as a string), each as:
single choice {"option": id} or {"other": text}; multiple choice
{"options": [ids], "other": text}; a scale a whole number; a matrix a list
of whole numbers, one per row (None for a row left out); text a string;
a number a whole number. Errors are keyed "q<id>".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from xieshang.core.textinput import normalise_text
from xieshang.surveys.models import LONG_TEXT_MAX, OPTION_MAX, SHORT_TEXT_MAX, Question
from xieshang.surveys.states import QuestionKind


class AnswerError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Checked:
    """Answers as stored, the totals they raise by one, and the values
    added to the totals of scales and numbers."""

    answers: dict[str, Any] = field(default_factory=dict)
    bumps: list[tuple[int, str]] = field(default_factory=list)
    sums: list[tuple[int, int]] = field(default_factory=list)


def _whole(value: Any) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise AnswerError(_("Give a whole number."))
    try:
        number = int(str(value).strip())
    except ValueError as exc:
        raise AnswerError(_("Give a whole number.")) from exc
    return number


def _on_scale(value: Any, top: int) -> int | None:
    number = _whole(value)
    if number is not None and not 1 <= number <= top:
        raise AnswerError(_("Choose a value from 1 to %(n)s.") % {"n": top})
    return number


def _other_text(question: Question, raw: Any) -> str:
    text = normalise_text(str(raw or ""))
    if text and not question.has_other:
        raise AnswerError(_("This question has no “other” answer."))
    if len(text) > OPTION_MAX:
        raise AnswerError(_("At most %(n)s characters.") % {"n": OPTION_MAX})
    return text


def _option_ids(question: Question) -> set[int]:
    return {o.pk for o in question.options.all()}


def _single(question: Question, raw: Any) -> tuple[Any, list[str]]:
    raw = raw if isinstance(raw, dict) else {"option": raw}
    option, other = _whole(raw.get("option")), _other_text(question, raw.get("other"))
    if option is not None and option not in _option_ids(question):
        raise AnswerError(_("Choose one of the options given."))
    if option is not None and other:
        raise AnswerError(_("Choose one answer only."))
    if option is not None:
        return {"option": option}, [f"o{option}"]
    if other:
        return {"other": other}, ["other"]
    return None, []


def _multiple(question: Question, raw: Any) -> tuple[Any, list[str]]:
    raw = raw if isinstance(raw, dict) else {"options": raw}
    given = raw.get("options") or []
    if not isinstance(given, list | tuple):
        given = [given]
    chosen = sorted({n for n in (_whole(v) for v in given) if n is not None})
    if set(chosen) - _option_ids(question):
        raise AnswerError(_("Choose one of the options given."))
    other = _other_text(question, raw.get("other"))
    count = len(chosen) + (1 if other else 0)
    if not count:
        return None, []
    if question.min_choices and count < question.min_choices:
        raise AnswerError(_("Choose at least %(n)s.") % {"n": question.min_choices})
    if question.max_choices and count > question.max_choices:
        raise AnswerError(_("Choose at most %(n)s.") % {"n": question.max_choices})
    answer: dict[str, Any] = {"options": chosen}
    if other:
        answer["other"] = other
    return answer, [f"o{n}" for n in chosen] + (["other"] if other else [])


def _matrix(question: Question, raw: Any) -> tuple[Any, list[str]]:
    values = raw if isinstance(raw, list | tuple) else []
    if raw not in (None, "") and not isinstance(raw, list | tuple):
        raise AnswerError(_("Rate each row on the scale."))
    if len(values) > len(question.rows):
        raise AnswerError(_("Rate each row on the scale."))
    rated = [_on_scale(v, question.scale_max) for v in values]
    rated += [None] * (len(question.rows) - len(rated))
    if all(v is None for v in rated):
        return None, []
    if question.required and any(v is None for v in rated):
        raise AnswerError(_("Rate every row."))
    return rated, [f"r{row}v{v}" for row, v in enumerate(rated) if v is not None]


def _text(question: Question, raw: Any) -> tuple[Any, list[str]]:
    text = normalise_text(str(raw or ""))
    limit = SHORT_TEXT_MAX if question.kind == QuestionKind.SHORT_TEXT else LONG_TEXT_MAX
    if len(text) > limit:
        raise AnswerError(_("At most %(n)s characters.") % {"n": limit})
    return (text or None), []


# Numbers beyond this are refused even without bounds (the totals add them up).
LARGEST_NUMBER = 10**12


def _number(question: Question, raw: Any) -> int | None:
    number = _whole(raw)
    if number is None:
        return None
    if abs(number) > LARGEST_NUMBER:
        raise AnswerError(_("The number is too large."))
    low, high = question.min_value, question.max_value
    if (low is not None and number < low) or (high is not None and number > high):
        if low is not None and high is not None:
            raise AnswerError(_("Give a number from %(low)s to %(high)s.") % {"low": low, "high": high})
        if low is not None:
            raise AnswerError(_("Give a number of at least %(n)s.") % {"n": low})
        raise AnswerError(_("Give a number of at most %(n)s.") % {"n": high})
    return number


def _one(question: Question, raw: Any, checked: Checked) -> Any:
    """Check one answer; add what it raises to checked; return it (None
    when not answered)."""
    if question.kind in (QuestionKind.SCALE, QuestionKind.NUMBER):
        value = (
            _on_scale(raw, question.scale_max)
            if question.kind == QuestionKind.SCALE
            else _number(question, raw)
        )
        if value is not None:
            checked.sums.append((question.pk, value))
            if question.kind == QuestionKind.SCALE:
                checked.bumps.append((question.pk, f"v{value}"))
        return value
    handler = {
        QuestionKind.SINGLE: _single,
        QuestionKind.MULTIPLE: _multiple,
        QuestionKind.MATRIX: _matrix,
    }.get(QuestionKind(question.kind), _text)
    answer, keys = handler(question, raw)
    checked.bumps += [(question.pk, key) for key in keys]
    return answer


def _skip_target(question: Question, answer: Any) -> int | None:
    """The position a chosen option skips to (the furthest, when several)."""
    if not isinstance(answer, dict):
        return None
    chosen = set(answer.get("options") or []) | ({answer["option"]} if "option" in answer else set())
    targets = [o.skip_to.position for o in question.options.all() if o.pk in chosen and o.skip_to]
    return max(targets) if targets else None


def check_answers(questions: Iterable[Question], raw: dict[str, Any]) -> Checked:
    """Check every answer; raise ValidationError naming each question that
    is wrong, or missing where required (questions skipped by an earlier
    answer are neither required nor kept)."""
    checked, errors = Checked(), {}
    skip_until = 0
    for question in questions:
        if question.position < skip_until:
            continue
        try:
            answer = _one(question, raw.get(str(question.pk)), checked)
        except AnswerError as error:
            errors[f"q{question.pk}"] = error.message
            continue
        if answer is None:
            if question.required:
                errors[f"q{question.pk}"] = _("This question must be answered.")
            continue
        checked.answers[str(question.pk)] = answer
        checked.bumps.append((question.pk, "answered"))
        skip_until = max(skip_until, _skip_target(question, answer) or 0)
    if errors:
        raise ValidationError(errors)
    return checked
