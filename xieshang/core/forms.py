"""Form helpers shared by every app."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy

from xieshang.core.textinput import normalise_text

# The empty choice Django puts first in every optional select. Django's own
# catalogue has no Chinese for it yet; naming it here puts it in ours.
BLANK_CHOICE_LABEL = gettext_lazy("- Select an option -")


def takes_text(field: forms.Field) -> bool:
    """A field whose value is typed text: every CharField but passwords,
    which are compared exactly as typed and never shown."""
    return isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput)


class NormalisedTextMixin:
    """Put what was typed into every text field through the platform's one
    normaliser (core.textinput) before the form validates it: NFC, no
    zero-width or control characters, so that a required field refuses text
    that was only blanks and invisible characters."""

    fields: dict[str, forms.Field]
    data: Any
    is_bound: bool

    def full_clean(self) -> None:
        if self.is_bound:
            self.data = self._normalised(self.data)
        super().full_clean()  # type: ignore[misc]

    def _normalised(self, data: Any) -> Any:
        prefixed = self.add_prefix  # type: ignore[attr-defined]
        names = [prefixed(name) for name, field in self.fields.items() if takes_text(field)]
        if isinstance(data, MultiValueDict):
            copy = data.copy()
            for name in names:
                if name in copy:
                    copy.setlist(name, [_normal(value) for value in copy.getlist(name)])
            return copy
        plain = dict(data)
        for name in names:
            if name in plain:
                plain[name] = _normal(plain[name])
        return plain


def _normal(value: Any) -> Any:
    return normalise_text(value) if isinstance(value, str) else value


class StyledFormMixin(NormalisedTextMixin):
    """Give widgets Bootstrap classes, mark invalid fields and add character
    counters (data-max-chars) to limited text fields; normalise typed text
    (NormalisedTextMixin).

    Radio buttons and lists of checkboxes get the check classes, never
    form-control: its `appearance: none` would hide which choice is made.
    Fields named in uncounted_fields get no counter: an identifier such as a
    username has a limit, but nobody writes it toward one.
    """

    fields: dict[str, forms.Field]
    errors: Any
    uncounted_fields: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for name, field in self.fields.items():
            widget = field.widget
            # RadioSelect covers CheckboxSelectMultiple, its subclass.
            if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect)):
                css = "form-check-input"
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
            max_length = getattr(field, "max_length", None)
            if name in self.uncounted_fields or isinstance(widget, forms.PasswordInput):
                continue
            if max_length and max_length >= 50:
                widget.attrs["data-max-chars"] = str(max_length)

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
                widget.attrs["aria-invalid"] = "true"
