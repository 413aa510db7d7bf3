"""Forms for themes: the tagging form, and the themes field of the forms of
consultations and plan items."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xieshang.core.forms import StyledFormMixin


def split_themes(raw: str) -> list[str]:
    return [part.strip() for part in raw.replace("，", ",").replace("、", ",").split(",") if part.strip()]


class ThemesField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Themes"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault("help_text", _("Separate themes with commas, e.g. 乡村振兴, 营商环境."))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> list[str]:  # type: ignore[override]
        return split_themes(super().clean(value) or "")


class TagForm(StyledFormMixin, forms.Form):
    names = forms.CharField(
        label=_("Themes"),
        max_length=300,
        help_text=_("Choose one of the council's themes or type a new one; separate several by commas."),
        widget=forms.TextInput(attrs={"list": "council-themes", "autocomplete": "off"}),
    )
