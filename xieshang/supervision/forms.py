"""Forms of the supervision pages: they check the input's shape; the actions
check the rules. Choices come from queries, narrowed to the council."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xieshang.core.forms import StyledFormMixin
from xieshang.councils.models import Council, HandlingUnit, Member, MemberGroup
from xieshang.supervision import queries
from xieshang.supervision.models import (
    AppraisalKind,
    Problem,
    SupervisionCampaign,
    SupervisionTarget,
    TargetKind,
)
from xieshang.supervision.states import ActivityKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PROBLEM_SLOTS = 3


class YearForm(forms.Form):
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png", "capture": "environment"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class MembersField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


class CampaignForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    theme = forms.CharField(
        label=_("Theme and aims"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class TargetForm(StyledFormMixin, forms.Form):
    code = forms.CharField(label=_("Code"), max_length=30)
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ModelChoiceField(label=_("Kind"), queryset=TargetKind.objects.none())
    district = forms.CharField(label=_("District"), max_length=50)
    handling_unit = forms.ModelChoiceField(label=_("Responsible body"), queryset=HandlingUnit.objects.none())
    latitude = forms.DecimalField(label=_("Latitude"), required=False, max_digits=9, decimal_places=6)
    longitude = forms.DecimalField(label=_("Longitude"), required=False, max_digits=9, decimal_places=6)

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = queries.target_kinds(council, active_only=True)  # type: ignore[attr-defined]
        self.fields["handling_unit"].queryset = queries.units_of(council)  # type: ignore[attr-defined]


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("Excel workbook (.xlsx)"))


class AssignForm(StyledFormMixin, forms.Form):
    group = forms.ModelChoiceField(label=_("Member group"), queryset=MemberGroup.objects.none())
    targets = forms.ModelMultipleChoiceField(
        label=_("Targets"), queryset=SupervisionTarget.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, campaign: SupervisionCampaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = queries.contact_groups(campaign.council)  # type: ignore[attr-defined]
        self.fields["targets"].queryset = SupervisionTarget.objects.filter(campaign=campaign)  # type: ignore[attr-defined]


class RoundForm(StyledFormMixin, forms.Form):
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)


class InspectionForm(StyledFormMixin, forms.Form):
    """An inspection on a phone: the problems come in PROBLEM_SLOTS pairs of
    description and responsible body (the target's body by default)."""

    target = forms.ModelChoiceField(label=_("Target"), queryset=SupervisionTarget.objects.none())
    inspected_on = forms.DateField(label=_("Date of the inspection"), widget=DATE)
    is_unannounced = forms.BooleanField(label=_("Unannounced (暗访)"), required=False)
    participants = MembersField(label=_("Participants"), queryset=None, widget=forms.CheckboxSelectMultiple)
    findings = forms.CharField(label=_("Findings"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5}))
    photos = MultipleFileField(label=_("Photos"), required=False)

    def __init__(
        self,
        *args: Any,
        targets: QuerySet[SupervisionTarget],
        members: QuerySet[Member],
        units: QuerySet[HandlingUnit],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets  # type: ignore[attr-defined]
        self.fields["participants"].queryset = members  # type: ignore[attr-defined]
        self.fields["inspected_on"].initial = timezone.localdate()
        for slot in range(1, PROBLEM_SLOTS + 1):
            self.fields[f"problem_{slot}"] = forms.CharField(
                label=_("Problem %(n)s") % {"n": slot},
                max_length=500,
                required=False,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )
            self.fields[f"problem_{slot}_unit"] = forms.ModelChoiceField(
                label=_("Body responsible for problem %(n)s") % {"n": slot},
                queryset=units,
                required=False,
                widget=forms.Select(attrs={"class": "form-select"}),
            )

    def problem_pairs(self) -> list[tuple[str, HandlingUnit | None]]:
        data = self.cleaned_data
        pairs = []
        for slot in range(1, PROBLEM_SLOTS + 1):
            text = data.get(f"problem_{slot}") or ""
            unit = data.get(f"problem_{slot}_unit")
            if text or unit:
                pairs.append((text, unit or (data["target"].handling_unit if data.get("target") else None)))
        return pairs

    def slots(self) -> list[tuple[Any, Any]]:
        return [(self[f"problem_{n}"], self[f"problem_{n}_unit"]) for n in range(1, PROBLEM_SLOTS + 1)]


class RecommendForm(StyledFormMixin, forms.Form):
    handling_unit = forms.ModelChoiceField(label=_("Responsible body"), queryset=HandlingUnit.objects.none())
    title = forms.CharField(label=_("Title"), max_length=100)
    text = forms.CharField(
        label=_("Recommendation"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    problems = forms.ModelMultipleChoiceField(
        label=_("Problems it covers"),
        queryset=Problem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, campaign: SupervisionCampaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handling_unit"].queryset = queries.units_of(campaign.council)  # type: ignore[attr-defined]
        self.fields["problems"].queryset = queries.open_problems(campaign)  # type: ignore[attr-defined]
        self.fields["problems"].label_from_instance = _problem_label  # type: ignore[attr-defined]


def _problem_label(problem: Problem) -> str:
    return f"{problem.target.code} {problem.description} · {problem.handling_unit.name}"


class ReplyForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label=_("Reply"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))


class VersionForm(forms.Form):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReturnForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("What the answer lacks"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class PostingForm(StyledFormMixin, forms.Form):
    group = forms.ModelChoiceField(label=_("Supervisor group"), queryset=MemberGroup.objects.none())
    handling_unit = forms.ModelChoiceField(label=_("Handling unit"), queryset=HandlingUnit.objects.none())
    leader = forms.ModelChoiceField(label=_("Leader"), queryset=Member.objects.none())
    starts_on = forms.DateField(label=_("Posted from"), widget=DATE)
    ends_on = forms.DateField(label=_("Posted until"), widget=DATE)

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = queries.supervisor_groups(council)  # type: ignore[attr-defined]
        self.fields["handling_unit"].queryset = queries.units_of(council)  # type: ignore[attr-defined]
        self.fields["leader"].queryset = queries.seated_members(council)  # type: ignore[attr-defined]
        self.fields["leader"].label_from_instance = lambda m: m.full_name  # type: ignore[attr-defined]


class ActivityForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    participants = MembersField(label=_("Participants"), queryset=None, widget=forms.CheckboxSelectMultiple)
    outcome = forms.CharField(label=_("Outcome"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, group: MemberGroup, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = group.members.filter(is_active=True).order_by("full_name")  # type: ignore[attr-defined]


class LetterForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    text = forms.CharField(
        label=_("Recommendations"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8})
    )


class ReportForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    period_start = forms.DateField(label=_("From"), widget=DATE)
    period_end = forms.DateField(label=_("To"), widget=DATE)
    summary = forms.CharField(
        label=_("Summary"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )


class AppraisalForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AppraisalKind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    text = forms.CharField(label=_("Text"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
