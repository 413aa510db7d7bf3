"""Form helpers shared by every app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

# The empty choice Django puts first in every optional select. Django's own
# catalogue has no Chinese for it yet; naming it here puts it in ours.
BLANK_CHOICE_LABEL = gettext_lazy("- Select an option -")


class StyledFormMixin:
    """Give widgets Bootstrap classes, mark invalid fields and add character
    counters (data-max-chars) to limited text fields."""

    fields: dict[str, forms.Field]
    errors: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
            max_length = getattr(field, "max_length", None)
            if max_length and max_length >= 50 and not isinstance(widget, forms.PasswordInput):
                widget.attrs["data-max-chars"] = str(max_length)

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
                widget.attrs["aria-invalid"] = "true"
