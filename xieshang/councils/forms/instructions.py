"""The form an office user fills in to record a leader's instruction (批示),
on whatever subject."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xieshang.core.forms import StyledFormMixin
from xieshang.councils.models import InstructionLevel


class InstructionForm(StyledFormMixin, forms.Form):
    leader_name = forms.CharField(label=_("Leader"), max_length=50)
    leader_title = forms.CharField(label=_("Leader's position"), max_length=100, required=False)
    level = forms.ChoiceField(label=_("Level"), choices=InstructionLevel.choices)
    instructed_on = forms.DateField(
        label=_("Date of the instruction"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    text = forms.CharField(label=_("Instruction"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instructed_on"].initial = timezone.localdate()
