"""Forms of the duty pages. Validation of the meaning (reviewers, rule tables)
lives in the actions and scoring; forms check the shape and keep what was typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xieshang.accounts.models import User
from xieshang.core.forms import StyledFormMixin
from xieshang.duty.models import DESCRIPTION_MAX, REASON_MAX
from xieshang.duty.scoring import Rule, validate_rules
from xieshang.duty.states import RECORD_KINDS, DutyKind

KIND_CHOICES = [(k.value, k.label) for k in RECORD_KINDS]


class FilterForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *KIND_CHOICES], required=False)

    def year_or(self, default: int) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return int(self.cleaned_data["year"])
        return default

    def kind_or_all(self) -> str:
        return str(self.cleaned_data.get("kind") or "") if self.is_valid() else ""


class ReviewerField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name or obj.username)


class ManualRecordForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=KIND_CHOICES, initial=DutyKind.OFFLINE)
    points = forms.IntegerField(
        label=_("Points"),
        min_value=-1000,
        max_value=1000,
        help_text=_(
            "Records entered by hand carry their own points; they still count toward the item's cap."
        ),
    )
    occurred_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(
        label=_("What was done"), max_length=DESCRIPTION_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    reviewer = ReviewerField(label=_("Reviewer"), queryset=User.objects.none())
    evidence = forms.FileField(
        label=_("Evidence"),
        required=False,
        help_text=_("A PDF, picture, Word or Excel file showing the work (optional)."),
    )

    def __init__(self, *args: Any, reviewers: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("occurred_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        field = self.fields["reviewer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = reviewers


class RemoveRecordForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Why remove it?"), max_length=REASON_MAX)


class AdjustForm(StyledFormMixin, forms.Form):
    adjustment = forms.IntegerField(label=_("Adjustment"), min_value=-100, max_value=100)
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("adjustment") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for the adjustment."))
        return data


RULE_KIND_CHOICES = [("", "—"), *((k.value, k.label) for k in DutyKind)]


class RuleForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Item"), choices=RULE_KIND_CHOICES, required=False)
    points = forms.IntegerField(label=_("Points"), min_value=-1000, max_value=1000, required=False)
    cosigner_points = forms.IntegerField(
        label=_("Co-signer points"), min_value=-1000, max_value=1000, required=False
    )
    # Negative caps pass the field so that the table says what is wrong with them.
    cap_per_year = forms.IntegerField(
        label=_("Cap per year"), min_value=-100000, max_value=100000, required=False
    )
    shares_cap_of = forms.ChoiceField(
        label=_("Counts toward the cap of"), choices=RULE_KIND_CHOICES, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") and data.get("points") is None:
            self.add_error("points", _("Enter the points of this item."))
        if not data.get("kind") and any(
            data.get(f) not in (None, "")
            for f in ("points", "cosigner_points", "cap_per_year", "shares_cap_of")
        ):
            self.add_error("kind", _("Choose the item these points are for."))
        return data

    def rule(self) -> Rule | None:
        data = self.cleaned_data
        if not data.get("kind") or data.get("DELETE"):
            return None
        return Rule(
            kind=data["kind"],
            points=data["points"],
            cosigner_points=data.get("cosigner_points"),
            cap_per_year=data.get("cap_per_year"),
            shares_cap_of=data.get("shares_cap_of") or "",
        )


class BaseRuleFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        rules = self.rules()
        if not rules:
            raise ValidationError(_("Keep at least one item in the table."))
        validate_rules(rules)

    def rules(self) -> list[Rule]:
        out = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data"):
                continue
            rule = form.rule()
            if rule is not None:
                out.append(rule)
        return out


RuleFormSet = forms.formset_factory(RuleForm, formset=BaseRuleFormSet, extra=2, can_delete=True, max_num=40)


def rule_initial(rules: list[Rule]) -> list[dict[str, Any]]:
    return [
        {
            "kind": r.kind,
            "points": r.points,
            "cosigner_points": r.cosigner_points,
            "cap_per_year": r.cap_per_year,
            "shares_cap_of": r.shares_cap_of,
        }
        for r in rules
    ]
