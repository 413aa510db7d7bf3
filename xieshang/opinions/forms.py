"""Forms of the opinion-report pages: shape checks only; the actions decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xieshang.core.forms import NormalisedTextMixin, StyledFormMixin
from xieshang.councils.models import Council, Member, OversightOffice
from xieshang.opinions.actions.filing import TITLE_MAX, ReportContent
from xieshang.opinions.models import OpinionReport
from xieshang.opinions.states import AuthorKind, ForwardTarget, ReportStatus


class ReportForm(StyledFormMixin, forms.Form):
    """The reporter's form: in whose name, title, problem, analysis, suggestion."""

    author = forms.ChoiceField(label=_("Filed in the name of"), required=False)
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    problem = forms.CharField(label=_("Problem"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    analysis = forms.CharField(label=_("Analysis"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    suggestion = forms.CharField(
        label=_("Suggestion"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    attachment = forms.FileField(label=_("Attachment (PDF, Word, picture)"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, member: Member | None = None, limit: int = 1500, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = [(AuthorKind.MEMBER.value, str(_("myself")))]
        if member is not None:
            if member.affiliation is not None:
                choices.append((f"affiliation:{member.affiliation_id}", member.affiliation.name))
            if member.sector is not None:
                choices.append((f"sector:{member.sector_id}", member.sector.name))
            for committee in member.special_committees.all():
                choices.append((f"special_committee:{committee.pk}", committee.name))
        self.fields["author"].choices = choices  # type: ignore[attr-defined]
        # The counter covers the three sections together (see app.js).
        for name in ("problem", "analysis", "suggestion"):
            self.fields[name].widget.attrs["data-shared-limit"] = str(limit)
        self.limit = limit

    @staticmethod
    def initial_from(report: OpinionReport) -> dict[str, Any]:
        body_id = report.affiliation_id or report.sector_id or report.special_committee_id
        author = (
            report.author_kind
            if report.author_kind == AuthorKind.MEMBER
            else f"{report.author_kind}:{body_id}"
        )
        return {
            "author": author,
            "title": report.title,
            "problem": report.problem,
            "analysis": report.analysis,
            "suggestion": report.suggestion,
            "version": report.version,
        }

    def content(self) -> ReportContent:
        data = self.cleaned_data
        kind, _sep, raw = (data.get("author") or AuthorKind.MEMBER).partition(":")
        return ReportContent(
            title=data["title"],
            problem=data["problem"],
            analysis=data["analysis"],
            suggestion=data["suggestion"],
            author_kind=kind,
            body_id=int(raw) if raw.isdigit() else None,
        )


class StaffEditForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    problem = forms.CharField(label=_("Problem"), widget=forms.Textarea(attrs={"rows": 6}))
    analysis = forms.CharField(label=_("Analysis"), widget=forms.Textarea(attrs={"rows": 6}))
    suggestion = forms.CharField(label=_("Suggestion"), widget=forms.Textarea(attrs={"rows": 6}))
    note = forms.CharField(
        label=_("Note on the changes (shown to the reporter)"), max_length=300, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def content(self) -> ReportContent:
        d = self.cleaned_data
        return ReportContent(d["title"], d["problem"], d["analysis"], d["suggestion"])


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ForwardForm(StyledFormMixin, forms.Form):
    """Where to send an adopted report."""

    target = forms.ChoiceField(label=_("Send to"), choices=ForwardTarget.choices, widget=forms.RadioSelect)
    offices = forms.ModelMultipleChoiceField(
        label=_("Party-committee and government offices"),
        queryset=OversightOffice.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    to_council = forms.ModelChoiceField(label=_("Council"), queryset=Council.objects.none(), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offices"].queryset = OversightOffice.objects.filter(council=council, is_active=True)  # type: ignore[attr-defined]
        # Offered: the parent only. Any other council the request names is
        # refused by the action with a clear message.
        self.fields["to_council"].queryset = Council.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["to_council"].initial = council.parent_id
        if council.parent is None:
            self.fields["target"].choices = [c for c in ForwardTarget.choices if c[0] != ForwardTarget.PARENT]  # type: ignore[attr-defined]
        else:
            self.fields["target"].choices = [  # type: ignore[attr-defined]
                c for c in ForwardTarget.choices if c[0] != ForwardTarget.NATIONAL
            ]


class IssueForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=100, required=False)


class QueueFilterForm(NormalisedTextMixin, forms.Form):
    status = forms.ChoiceField(choices=ReportStatus.choices, required=False)
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)
    q = forms.CharField(required=False, max_length=100)


class YearForm(forms.Form):
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)


class FileForMemberForm(StyledFormMixin, forms.Form):
    """Staff enter a report for a member who cannot go online."""

    member = forms.ModelChoiceField(label=_("Member"), queryset=Member.objects.none())
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    problem = forms.CharField(label=_("Problem"), widget=forms.Textarea(attrs={"rows": 5}))
    analysis = forms.CharField(label=_("Analysis"), widget=forms.Textarea(attrs={"rows": 5}))
    suggestion = forms.CharField(label=_("Suggestion"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args: Any, council: Council, limit: int = 1500, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Member.objects.filter(  # type: ignore[attr-defined]
            council=council, is_active=True, term__is_current=True
        ).order_by("full_name", "id")
        for name in ("problem", "analysis", "suggestion"):
            self.fields[name].widget.attrs["data-shared-limit"] = str(limit)

    def content(self) -> ReportContent:
        d = self.cleaned_data
        return ReportContent(d["title"], d["problem"], d["analysis"], d["suggestion"])
