"""Forms of the settings and calendar pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xieshang.core.forms import NormalisedTextMixin, StyledFormMixin
from xieshang.councils.forms.structure import DateInput
from xieshang.councils.settings_catalog import SettingSpec

WORDS_TEXT_MAX = 6000

YEAR_FIELD = forms.IntegerField(
    label=_("Only for the year"),
    min_value=2000,
    max_value=2100,
    required=False,
    help_text=_("Leave empty to apply to every year without a value of its own."),
)


class SettingForm(StyledFormMixin, forms.Form):
    """A new value for one setting, checked by the setting's own rules so that
    the message next to the field is the catalogue's."""

    value = forms.CharField(label=_("New value"), max_length=200)
    year = YEAR_FIELD
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=200,
        help_text=_("For example the document that sets the new rule."),
    )

    def __init__(self, *args: Any, spec: SettingSpec, **kwargs: Any) -> None:
        self.spec = spec
        super().__init__(*args, **kwargs)
        field = self.fields["value"]
        if spec.kind == "bool":
            field.widget = forms.Select(choices=[("true", _("yes")), ("false", _("no"))])
        elif spec.kind == "choice":
            field.widget = forms.Select(choices=list(spec.choices))
        elif spec.kind == "int_list":
            field.help_text = _("Whole numbers separated by commas, e.g. 15, 5.")
        elif spec.kind == "words":
            # A word list is longer than one value: the whole list is typed anew.
            field = self.fields["value"] = forms.CharField(
                label=field.label,
                max_length=WORDS_TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=_("Separated by commas or one per line; the list replaces the current one."),
            )
        elif spec.kind == "date":
            field.widget = DateInput()
            field.required = False
            field.help_text = _("Leave empty for: %(meaning)s.") % {"meaning": spec.empty_label}
            # A date is a day of one year: the year is part of the value.
            year = self.fields["year"]
            year.required = True
            year.label = _("For the year")
            year.help_text = _(
                "The year the date belongs to (for a session window: the year of the plenary)."
            )
        else:
            bounds = {"min": spec.minimum, "max": spec.maximum}
            field.widget = forms.NumberInput(attrs={k: v for k, v in bounds.items() if v is not None})
        if spec.unit:
            field.label = _("New value (%(unit)s)") % {"unit": spec.unit}
        # Re-apply the styling to the replaced widget.
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs["class"] = css

    def clean_value(self) -> Any:
        try:
            return self.spec.clean(self.cleaned_data["value"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


class ResetSettingForm(NormalisedTextMixin, forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)
    reason = forms.CharField(max_length=200, required=False)


class CalendarOverrideForm(StyledFormMixin, forms.Form):
    date = forms.DateField(label=_("Day"), widget=DateInput())
    is_working_day = forms.TypedChoiceField(
        label=_("The day becomes"),
        choices=[("false", _("a day off (local holiday)")), ("true", _("a working day"))],
        coerce=lambda value: value == "true",
    )
    note = forms.CharField(label=_("Note"), max_length=100, required=False)
