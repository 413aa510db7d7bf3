"""Forms of the platform administration (the council tree)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xieshang.core.forms import StyledFormMixin
from xieshang.councils.models import Council, Level


class CouncilForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    parent = forms.ModelChoiceField(
        label=_("Parent council"),
        queryset=Council.objects.none(),
        required=False,
        help_text=_("A city's parent is a province; a county's parent is a city; a province has none."),
    )
    region_code = forms.RegexField(
        label=_("Region code"),
        regex=r"^\d{6,12}$",
        required=False,
        error_messages={"invalid": _("Enter the 6 to 12 digit administrative division code.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        parent.queryset = Council.objects.filter(is_active=True).exclude(level=Level.COUNTY)


class NewCouncilForm(CouncilForm):
    slug = forms.RegexField(
        label=_("Short name in URLs"),
        max_length=64,
        regex=r"^[a-z0-9]+(-[a-z0-9]+)*$",
        help_text=_("Lower-case letters, digits and hyphens, e.g. hangzhou. It cannot be changed later."),
        error_messages={"invalid": _("Use lower-case letters, digits and hyphens only.")},
    )

    field_order = ["slug", "name", "level", "parent", "region_code"]
