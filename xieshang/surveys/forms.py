"""Forms of the survey pages: they check the input's shape and hand typed
values to one action each. The answer form is built from the questions
(answers_from_post); the action checks the answers themselves."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xieshang.core.forms import StyledFormMixin
from xieshang.councils.models import Council, MemberGroup, Sector, SpecialCommittee
from xieshang.surveys.actions.questions import QuestionSpec
from xieshang.surveys.actions.surveys import SurveyDetails
from xieshang.surveys.models import DESCRIPTION_MAX, QUESTION_MAX, TITLE_MAX, Question, Survey
from xieshang.surveys.states import Audience, QuestionKind

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _active(model: Any, council: Council) -> Any:
    return model.objects.filter(council=council, is_active=True).order_by("sort_order", "name")


class SurveyForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    description = forms.CharField(
        label=_("Introduction"),
        max_length=DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    audience = forms.ChoiceField(label=_("Asked"), choices=Audience.choices)
    sector = forms.ModelChoiceField(
        label=_("Only the members of this sector"), queryset=Sector.objects.none(), required=False
    )
    member_group = forms.ModelChoiceField(
        label=_("Only the members of this group"), queryset=MemberGroup.objects.none(), required=False
    )
    special_committee = forms.ModelChoiceField(
        label=_("Only the members of this committee"),
        queryset=SpecialCommittee.objects.none(),
        required=False,
    )
    is_anonymous = forms.BooleanField(
        label=_("Anonymous"),
        required=False,
        help_text=_(
            "Responses keep no name and no mobile number, only a keyed hash that stops a second answer."
        ),
    )
    opens_at = forms.DateTimeField(label=_("Opens at"), widget=DATETIME_INPUT)
    closes_at = forms.DateTimeField(label=_("Closes at"), widget=DATETIME_INPUT)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = _active(Sector, council)  # type: ignore[attr-defined]
        self.fields["member_group"].queryset = _active(MemberGroup, council)  # type: ignore[attr-defined]
        self.fields["special_committee"].queryset = _active(SpecialCommittee, council)  # type: ignore[attr-defined]

    @staticmethod
    def initial_from(survey: Survey) -> dict[str, Any]:
        return {
            "title": survey.title,
            "description": survey.description,
            "year": survey.year,
            "audience": survey.audience,
            "sector": survey.sector_id,
            "member_group": survey.member_group_id,
            "special_committee": survey.special_committee_id,
            "is_anonymous": survey.is_anonymous,
            "opens_at": timezone.localtime(survey.opens_at),
            "closes_at": timezone.localtime(survey.closes_at),
            "version": survey.version,
        }

    def details(self) -> SurveyDetails:
        data = self.cleaned_data
        return SurveyDetails(
            title=data["title"],
            description=data.get("description") or "",
            year=data["year"],
            audience=data["audience"],
            sector=data.get("sector"),
            member_group=data.get("member_group"),
            special_committee=data.get("special_committee"),
            is_anonymous=bool(data.get("is_anonymous")),
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
        )


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class QuestionForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("Question"), max_length=QUESTION_MAX)
    required = forms.BooleanField(label=_("Must be answered"), required=False, initial=True)
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Choice questions: one option per line."),
    )
    has_other = forms.BooleanField(label=_("Add “other, please say”"), required=False)
    min_choices = forms.IntegerField(label=_("Choose at least"), min_value=1, required=False)
    max_choices = forms.IntegerField(label=_("Choose at most"), min_value=1, required=False)
    scale_max = forms.TypedChoiceField(
        label=_("Scale"), coerce=int, choices=[(5, _("1 to 5")), (10, _("1 to 10"))], initial=5
    )
    rows = forms.CharField(
        label=_("Rows to rate"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Matrix questions: one row per line, each rated on the scale."),
    )
    min_value = forms.IntegerField(label=_("Smallest number"), required=False)
    max_value = forms.IntegerField(label=_("Largest number"), required=False)

    @staticmethod
    def initial_from(question: Question) -> dict[str, Any]:
        return {
            "kind": question.kind,
            "text": question.text,
            "required": question.required,
            "options": "\n".join(o.text for o in question.options.all()),
            "has_other": question.has_other,
            "min_choices": question.min_choices,
            "max_choices": question.max_choices,
            "scale_max": question.scale_max,
            "rows": "\n".join(question.rows),
            "min_value": question.min_value,
            "max_value": question.max_value,
        }

    def spec(self) -> QuestionSpec:
        data = self.cleaned_data
        return QuestionSpec(
            kind=data["kind"],
            text=data["text"],
            required=bool(data.get("required")),
            has_other=bool(data.get("has_other")),
            options=_lines(data.get("options") or ""),
            min_choices=data.get("min_choices"),
            max_choices=data.get("max_choices"),
            scale_max=data.get("scale_max") or 5,
            rows=_lines(data.get("rows") or ""),
            min_value=data.get("min_value"),
            max_value=data.get("max_value"),
        )


class SkipForm(StyledFormMixin, forms.Form):
    """Where each option of a choice question leads."""

    def __init__(self, *args: Any, question: Question, later: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("the next question"))] + [(str(q.pk), str(q)) for q in later]
        for option in question.options.all():
            self.fields[f"option_{option.pk}"] = forms.ChoiceField(
                label=option.text, choices=choices, required=False, initial=option.skip_to_id or ""
            )

    def targets(self, later: list[Question]) -> dict[int, Question | None]:
        by_id = {str(q.pk): q for q in later}
        return {
            int(name.removeprefix("option_")): by_id.get(value or "")
            for name, value in self.cleaned_data.items()
        }


class MobileForm(StyledFormMixin, forms.Form):
    mobile = forms.CharField(
        label=_("Mobile number"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )


class VerifyForm(StyledFormMixin, forms.Form):
    mobile = forms.CharField(label=_("Mobile number"), max_length=20, widget=forms.HiddenInput)
    code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


def answers_from_post(questions: list[Question], data: QueryDict) -> dict[str, Any]:
    """The answers in a posted answer form, in the shape the action checks:
    fields q<id> (q<id>_other for "other", q<id>_r<row> for a matrix)."""
    raw: dict[str, Any] = {}
    for q in questions:
        name = f"q{q.pk}"
        if q.kind == QuestionKind.SINGLE:
            one = data.get(name, "")
            raw[str(q.pk)] = (
                {"other": data.get(f"{name}_other", "")} if one == "other" else {"option": one or None}
            )
        elif q.kind == QuestionKind.MULTIPLE:
            many = data.getlist(name)
            other = data.get(f"{name}_other", "") if "other" in many else ""
            raw[str(q.pk)] = {"options": [c for c in many if c != "other"], "other": other}
        elif q.kind == QuestionKind.MATRIX:
            raw[str(q.pk)] = [data.get(f"{name}_r{row}") or None for row in range(len(q.rows))]
        else:
            raw[str(q.pk)] = data.get(name, "")
    return raw


class WordsForm(StyledFormMixin, forms.Form):
    """The word-frequency view: which text question, filtered by whom chose
    which option."""

    question = forms.TypedChoiceField(coerce=int, required=False)
    chose = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, questions: list[Question], options: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["question"].choices = [(q.pk, str(q)) for q in questions]  # type: ignore[attr-defined]
        self.fields["chose"].choices = [("", _("everyone"))] + [  # type: ignore[attr-defined]
            (o.pk, f"{o.question.position}. {o.text}") for o in options
        ]
