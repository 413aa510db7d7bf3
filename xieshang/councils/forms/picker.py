"""The person picker: its search's query string, and the widget a form
puts on a field of the council's members (core.widgets.PersonPicker)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.urls import reverse

from xieshang.core.forms import NormalisedTextMixin
from xieshang.core.widgets import PersonPicker, PersonPickerOne
from xieshang.councils.models import Council


class PickerQueryForm(NormalisedTextMixin, forms.Form):
    q = forms.CharField(required=False, max_length=50)
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)
    term = forms.IntegerField(required=False, min_value=1)
    exclude = forms.Field(required=False)

    def clean_exclude(self) -> list[int]:
        return [int(v) for v in self.data.getlist("exclude") if v.isdigit() and len(v) < 12]


def use_member_picker(
    field: forms.Field, council: Council, *, term_id: int | None = None, exclude: int | None = None
) -> None:
    """Give a field choosing this council's members the person picker: it
    searches /members/pick/ (narrowed to a term, without one member) as one
    types. Call it after the field has its queryset."""
    assert isinstance(field, forms.ModelChoiceField)
    old = field.widget
    widget = member_picker(
        council, term_id=term_id, exclude=exclude, multiple=isinstance(field, forms.ModelMultipleChoiceField)
    )
    widget.attrs.update({k: v for k, v in old.attrs.items() if k in ("class", "aria-invalid")})
    widget.attrs.setdefault("class", "form-select")
    widget.is_required = field.required
    widget.choices = field.choices
    field.widget = widget


def member_picker(
    council: Council, *, term_id: int | None = None, exclude: int | None = None, multiple: bool = True
) -> PersonPicker | PersonPickerOne:
    """The widget itself, for a field built by hand."""
    params: dict[str, int] = {}
    if term_id is not None:
        params["term"] = term_id
    if exclude is not None:
        params["exclude"] = exclude
    url = reverse("councils:member_pick", args=[council.slug])
    if params:
        url += "?" + urlencode(params)
    return (PersonPicker if multiple else PersonPickerOne)(search_url=url)
