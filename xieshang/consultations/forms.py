"""Forms of the consultation pages: shape checks only; the actions decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieshang.consultations.states import (
    ActivityKind,
    Adoption,
    ConsultationKind,
    OutcomeKind,
    ParticipantCategory,
    SpeechKind,
)
from xieshang.core.forms import NormalisedTextMixin, StyledFormMixin
from xieshang.councils.forms.picker import use_member_picker
from xieshang.councils.models import Council, HandlingUnit, Member, OversightOffice, SpecialCommittee
from xieshang.councils.queries import active_members, bodies_of
from xieshang.themes.forms import ThemesField

QUARTERS = [
    (1, _("first quarter")),
    (2, _("second quarter")),
    (3, _("third quarter")),
    (4, _("fourth quarter")),
]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _bodies(model: Any, council: Council) -> Any:
    return bodies_of(council, model, active_only=True)


def members_of(council: Council) -> Any:
    return active_members(council)


class PlanForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=100, required=False)


class PlanItemForm(StyledFormMixin, forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=100)
    kind = forms.ChoiceField(label=pgettext_lazy("consultation", "Kind"), choices=ConsultationKind.choices)
    lead_committee = forms.ModelChoiceField(
        label=_("Lead special committee"), queryset=SpecialCommittee.objects.none(), required=False
    )
    partner_unit = forms.ModelChoiceField(
        label=_("Partner government department"), queryset=HandlingUnit.objects.none(), required=False
    )
    quarter = forms.TypedChoiceField(label=_("Planned quarter"), choices=QUARTERS, coerce=int)
    decision_expected_on = forms.DateField(label=_("Decision expected by"), required=False, widget=DATE)
    themes = ThemesField()
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=300,
        required=False,
        help_text=_("Required once the plan has been issued."),
    )

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_committee"].queryset = _bodies(SpecialCommittee, council)  # type: ignore[attr-defined]
        self.fields["partner_unit"].queryset = _bodies(HandlingUnit, council)  # type: ignore[attr-defined]


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class ApprovalForm(StyledFormMixin, forms.Form):
    approved_on = forms.DateField(label=_("Approved by the chair meeting on"), widget=DATE)
    note = forms.CharField(
        label=_("Chair meeting"), max_length=200, required=False, help_text=_("e.g. 第十四届第12次主席会议")
    )


class IssueForm(StyledFormMixin, forms.Form):
    issued_on = forms.DateField(label=_("Issued on"), widget=DATE)
    document_number = forms.CharField(label=_("Document number"), max_length=60, required=False)


class SuggestionForm(StyledFormMixin, forms.Form):
    item = forms.TypedChoiceField(label=_("Item"), coerce=int, required=False, empty_value=None)
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000)
    topic = forms.CharField(label=_("Proposed topic"), max_length=100, required=False)
    kind = forms.ChoiceField(
        label=_("Proposed kind"), choices=[("", "—"), *ConsultationKind.choices], required=False
    )
    quarter = forms.ChoiceField(
        label=_("Proposed quarter"),
        choices=[("", "—"), *[(str(value), label) for value, label in QUARTERS]],
        required=False,
    )
    decision_expected_on = forms.DateField(label=_("Proposed decision date"), required=False, widget=DATE)

    def __init__(self, *args: Any, items: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [  # type: ignore[attr-defined]
            ("", _("The plan as a whole, or a new item")),
            *[(item.pk, f"{item.position}. {item.topic}") for item in items],
        ]

    def proposed(self) -> dict[str, str]:
        data = self.cleaned_data
        out = {k: str(data.get(k) or "") for k in ("topic", "kind", "quarter")}
        if data.get("decision_expected_on"):
            out["decision_expected_on"] = data["decision_expected_on"].isoformat()
        return {k: v for k, v in out.items() if v}


class DecisionForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label=_("Note to the office"), max_length=300, required=False)


class ConsultationForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=pgettext_lazy("consultation", "Kind"), choices=ConsultationKind.choices)
    topic = forms.CharField(label=_("Topic"), max_length=100)
    starts_at = forms.DateTimeField(label=_("Date and time"), widget=DATETIME)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    lead_committee = forms.ModelChoiceField(
        label=_("Lead special committee"), queryset=SpecialCommittee.objects.none(), required=False
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000
    )
    themes = ThemesField()
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_committee"].queryset = _bodies(SpecialCommittee, council)  # type: ignore[attr-defined]


class ParticipantForm(StyledFormMixin, forms.Form):
    category = forms.ChoiceField(label=_("Who"), choices=ParticipantCategory.choices)
    member = forms.ModelChoiceField(label=_("Member"), queryset=Member.objects.none(), required=False)
    handling_unit = forms.ModelChoiceField(
        label=_("Department"), queryset=HandlingUnit.objects.none(), required=False
    )
    name = forms.CharField(label=_("Full name"), max_length=50, required=False)
    organisation = forms.CharField(label=_("Organisation and title"), max_length=100, required=False)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members_of(council)  # type: ignore[attr-defined]
        self.fields["handling_unit"].queryset = _bodies(HandlingUnit, council)  # type: ignore[attr-defined]


class MaterialsForm(StyledFormMixin, forms.Form):
    material = forms.FileField(label=_("Materials (PDF, Word, Excel)"))


class ActivityForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("Title"), max_length=100)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    members = forms.ModelMultipleChoiceField(
        label=_("Members taking part"), queryset=Member.objects.none(), required=False
    )
    report = forms.CharField(
        label=_("Report"), widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=20000
    )

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members_of(council)  # type: ignore[attr-defined]
        use_member_picker(self.fields["members"], council)


class HeldForm(StyledFormMixin, forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DATE)


class MinutesForm(StyledFormMixin, forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 10}), max_length=50000)


class SpeechForm(StyledFormMixin, forms.Form):
    member = forms.ModelChoiceField(label=_("Member"), queryset=Member.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=SpeechKind.choices)
    title = forms.CharField(label=_("Title"), max_length=100)
    text = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=20000
    )

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members_of(council)  # type: ignore[attr-defined]


class BookSpeechForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}), max_length=20000)


class DurationForm(StyledFormMixin, forms.Form):
    minutes = forms.IntegerField(label=pgettext_lazy("duration", "Minutes"), min_value=0, max_value=240)
    seconds = forms.IntegerField(label=_("Seconds"), min_value=0, max_value=59, required=False)

    def total_seconds(self) -> int:
        return int(self.cleaned_data["minutes"]) * 60 + int(self.cleaned_data.get("seconds") or 0)


class OutcomeForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=OutcomeKind.choices)
    title = forms.CharField(label=_("Title"), max_length=100)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}), max_length=50000)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SendOutcomeForm(StyledFormMixin, forms.Form):
    offices = forms.ModelMultipleChoiceField(
        label=_("Send to"), queryset=OversightOffice.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offices"].queryset = _bodies(OversightOffice, council)  # type: ignore[attr-defined]


class AdoptionForm(StyledFormMixin, forms.Form):
    adoption = forms.ChoiceField(
        label=_("What became of it"), choices=[c for c in Adoption.choices if c[0] != Adoption.PENDING]
    )
    note = forms.CharField(
        label=_("Details or reason"),
        max_length=500,
        required=False,
        help_text=_("Required when the outcome was not adopted."),
    )
    follow_up_on = forms.DateField(label=_("Ask again on"), required=False, widget=DATE)
    evidence = forms.FileField(label=_("Evidence (PDF, Word, picture)"), required=False)


class FollowUpForm(StyledFormMixin, forms.Form):
    follow_up_on = forms.DateField(label=_("Ask again on"), widget=DATE)


class ListFilterForm(NormalisedTextMixin, forms.Form):
    status = forms.CharField(required=False)
    kind = forms.CharField(required=False)
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)
    q = forms.CharField(required=False, max_length=100)
