"""The person picker: a select of people that static/js/person-picker.js
turns into a search box with chips for the chosen people.

The select keeps its name and its values, so a form and its validation
stay what they were (the field's queryset decides who may be chosen). It
renders only the chosen people as options: the others are found through
the search at `search_url`, so a page costs the same at 300 members as at
3,000.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

LABELS = {
    "data-picker-placeholder": _("Name, pinyin or initials"),
    "data-picker-remove": _("Remove"),
    "data-picker-empty": _("No one found."),
    "data-picker-more": _("Show more"),
    "data-picker-failed": _("The search failed. Try again."),
}


class _PickerMixin:
    choices: Any
    attrs: dict[str, Any]

    def __init__(self, *, search_url: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={**(attrs or {}), "data-person-picker": search_url})  # type: ignore[call-arg]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        attrs = {**{k: str(v) for k, v in LABELS.items()}, **(attrs or {})}
        return super().get_context(name, value, attrs)  # type: ignore[misc,no-any-return]

    def optgroups(self, name: str, value: list[str], attrs: dict[str, Any] | None = None) -> Any:
        chosen = [v for v in value if v not in ("", None)]
        original = self.choices
        if isinstance(original, ModelChoiceIterator):
            field = original.field
            assert field.queryset is not None
            picked = field.queryset.filter(pk__in=[v for v in chosen if str(v).isdigit()])
            self.choices = [(obj.pk, field.label_from_instance(obj)) for obj in picked]
        else:
            self.choices = [(k, label) for k, label in original if str(k) in {str(v) for v in chosen}]
        try:
            return super().optgroups(name, value, attrs)  # type: ignore[misc]
        finally:
            self.choices = original


class PersonPicker(_PickerMixin, forms.SelectMultiple):
    """Choose several people."""


class PersonPickerOne(_PickerMixin, forms.Select):
    """Choose one person."""
