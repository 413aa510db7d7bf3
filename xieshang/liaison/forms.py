"""Forms of the liaison pages: they check the input's shape; the actions
check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieshang.accounts.models import User
from xieshang.core.forms import StyledFormMixin
from xieshang.councils.models import HandlingUnit, Member, OversightOffice
from xieshang.liaison.actions import ConcernData, ConstituentData
from xieshang.liaison.models import Constituent
from xieshang.liaison.states import ConcernStatus, ConstituentKind

DATE = forms.DateInput(attrs={"type": "date"})


class LeaderChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class LeadersField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class YearForm(forms.Form):
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)


class PlanForm(StyledFormMixin, forms.Form):
    """One select per planned visit: per_month of them for each month."""

    def __init__(self, *args: Any, members: QuerySet[Member], per_month: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.per_month = max(per_month, 1)
        for month in range(1, 13):
            for slot in range(1, self.per_month + 1):
                self.fields[f"m{month}_{slot}"] = forms.ModelChoiceField(
                    queryset=members,
                    required=False,
                    label=_("Month %(month)s") % {"month": month}
                    if slot == 1
                    else _("Month %(month)s, visit %(slot)s") % {"month": month, "slot": slot},
                )
        # The mixin styled the fields present when it ran; these came later.
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    @classmethod
    def initial_from(cls, rows: list[tuple[int, int]]) -> dict[str, int]:
        initial: dict[str, int] = {}
        slots: dict[int, int] = {}
        for month, member_id in rows:
            slots[month] = slots.get(month, 0) + 1
            initial[f"m{month}_{slots[month]}"] = member_id
        return initial

    def rows(self) -> list[tuple[int, Member]]:
        out = []
        for name, value in self.cleaned_data.items():
            if value is not None and name.startswith("m"):
                out.append((int(name[1:].split("_")[0]), value))
        return out

    def month_fields(self) -> list[tuple[int, list[forms.BoundField]]]:
        return [(m, [self[f"m{m}_{s}"] for s in range(1, self.per_month + 1)]) for m in range(1, 13)]


class ConstituentForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=pgettext_lazy("constituent", "Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=ConstituentKind.choices)
    sector_area = forms.CharField(
        label=_("Sector or area"),
        max_length=100,
        required=False,
        help_text=_("For example: a residents' community, a trade, a village."),
    )
    phone = forms.CharField(
        label=_("Contact phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    is_active = forms.BooleanField(label=_("Still in contact"), required=False, initial=True)

    @classmethod
    def initial_from(cls, constituent: Constituent) -> dict[str, Any]:
        return {
            "name": constituent.name,
            "kind": constituent.kind,
            "sector_area": constituent.sector_area,
            "phone": constituent.phone,
            "note": constituent.note,
            "is_active": constituent.is_active,
        }

    def data_object(self) -> ConstituentData:
        d = self.cleaned_data
        return ConstituentData(
            name=d["name"],
            kind=d["kind"],
            sector_area=d.get("sector_area", ""),
            phone=d.get("phone", ""),
            note=d.get("note", ""),
            is_active=bool(d.get("is_active")),
        )


class ConcernForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Concern"), max_length=100)
    description = forms.CharField(
        label=_("Details"), max_length=1500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    handling_unit = forms.ModelChoiceField(
        queryset=HandlingUnit.objects.none(), label=_("Handling unit"), required=False
    )
    oversight_office = forms.ModelChoiceField(
        queryset=OversightOffice.objects.none(),
        label=_("or oversight office"),
        required=False,
    )
    due_on = forms.DateField(label=_("Due on"), widget=DATE)

    def __init__(self, *args: Any, council_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["handling_unit"]
        office_field = self.fields["oversight_office"]
        assert isinstance(unit_field, forms.ModelChoiceField) and isinstance(
            office_field, forms.ModelChoiceField
        )
        unit_field.queryset = HandlingUnit.objects.filter(council_id=council_id, is_active=True)
        office_field.queryset = OversightOffice.objects.filter(council_id=council_id, is_active=True)

    def data_object(self) -> ConcernData:
        d = self.cleaned_data
        return ConcernData(
            title=d["title"],
            description=d.get("description", ""),
            handling_unit=d.get("handling_unit"),
            oversight_office=d.get("oversight_office"),
            due_on=d["due_on"],
        )


class VisitForm(StyledFormMixin, forms.Form):
    """Step two of recording a visit: the member is chosen (step one), so
    their constituents can be offered as checkboxes."""

    visited_on = forms.DateField(label=_("Date of visit"), widget=DATE)
    leaders = LeadersField(queryset=User.objects.none(), label=_("Leaders"))
    constituents = forms.ModelMultipleChoiceField(
        queryset=Constituent.objects.none(),
        label=_("Constituents met"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    discussion = forms.CharField(
        label=_("What was discussed"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(
        self, *args: Any, leaders: QuerySet[User], constituents: QuerySet[Constituent], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        leaders_field = self.fields["leaders"]
        constituents_field = self.fields["constituents"]
        assert isinstance(leaders_field, forms.ModelMultipleChoiceField)
        assert isinstance(constituents_field, forms.ModelMultipleChoiceField)
        leaders_field.queryset = leaders
        constituents_field.queryset = constituents


class MemberChoiceForm(StyledFormMixin, forms.Form):
    member = forms.ModelChoiceField(queryset=Member.objects.none(), label=_("Member visited"))

    def __init__(self, *args: Any, members: QuerySet[Member], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = members


class NoteForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label=_("Progress"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class ResolveForm(StyledFormMixin, forms.Form):
    resolution = forms.CharField(
        label=_("Resolution"), max_length=1500, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class CloseForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for closing"), max_length=300)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ConvertReportForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    problem = forms.CharField(label=_("Problem"), widget=forms.Textarea(attrs={"rows": 4}))
    analysis = forms.CharField(label=_("Analysis"), widget=forms.Textarea(attrs={"rows": 4}))
    suggestion = forms.CharField(label=_("Suggestion"), widget=forms.Textarea(attrs={"rows": 4}))


class ConvertProposalForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    situation = forms.CharField(label=_("Situation"), widget=forms.Textarea(attrs={"rows": 5}))


class ConcernFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", ""), *ConcernStatus.choices], required=False)
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)
    overdue = forms.BooleanField(required=False)
