"""Forms of the proposal pages: they check the input's shape and hand typed
values to one action each. Limits come from the council's settings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xieshang.accounts.models import User
from xieshang.core.forms import NormalisedTextMixin, StyledFormMixin
from xieshang.core.models import Attachment
from xieshang.councils.forms.picker import use_member_picker
from xieshang.councils.models import Council, HandlingUnit, Member, Role
from xieshang.councils.queries import get_setting, seated_member_users, users_with_role
from xieshang.proposals.actions.filing import ProposalContent
from xieshang.proposals.actions.handling import ReplyContent, UnitRole
from xieshang.proposals.models import (
    COLLECTIVE_KINDS,
    REASON_MAX,
    DeclineReason,
    Proposal,
    ProposalCategory,
    ReplyCategory,
    body_label,
)
from xieshang.proposals.states import (
    HELPER_ROLES,
    AssignmentRole,
    ConversionTarget,
    FollowThroughKind,
    FollowUpStatus,
    NoteKind,
    Satisfaction,
    Window,
)


class VersionMixin(forms.Form):
    """The version of the object the form was loaded from (stale edits)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _units(council: Council) -> Any:
    return HandlingUnit.objects.filter(council=council, is_active=True).order_by("sort_order", "name")


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files chosen in one input; cleaned to a list (maybe empty)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        uploads = data if isinstance(data, list | tuple) else [data]
        clean_one = super().clean
        return [upload for upload in (clean_one(item, initial) for item in uploads if item) if upload]


class ProposalForm(StyledFormMixin, VersionMixin):
    title = forms.CharField(label=_("Title"))
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=ProposalCategory.objects.none(), required=False
    )
    window = forms.ChoiceField(label=_("Filed as"), choices=Window.choices, initial=Window.SESSION)
    situation = forms.CharField(
        label=_("Situation"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    analysis = forms.CharField(label=_("Analysis"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    suggestions = forms.CharField(
        label=_("Suggestions"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_("Concrete, feasible suggestions; a proposal without them cannot be filed."),
    )
    suggested_units = forms.ModelMultipleChoiceField(
        label=_("Suggested handling units"),
        queryset=HandlingUnit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    consents_to_publish_reply = forms.BooleanField(label=_("The reply may be published"), required=False)
    attachments = MultipleFileField(
        label=_("Attach files"),
        required=False,
        help_text=_("PDF, Word, Excel or images (PNG, JPG)."),
    )
    # Ids of attached files to remove (ticked in the list of attachments).
    remove_attachments = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=())

    def __init__(
        self,
        *args: Any,
        council: Council,
        on_behalf: bool = False,
        bodies: list[tuple[str, str]] | None = None,
        session_open: bool = True,
        keep_session: bool = False,
        attached: Sequence[Attachment] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.on_behalf = on_behalf
        if not session_open and not keep_session:
            # Outside the session window only a regular proposal can be filed;
            # a draft already filed as a session proposal keeps its choice.
            window = self.fields["window"]
            assert isinstance(window, forms.ChoiceField)
            window.choices = [(Window.REGULAR.value, Window.REGULAR.label)]
            window.initial = Window.REGULAR
        files_max = int(get_setting(council, "proposal_attachments_max"))
        size_mb = int(get_setting(council, "proposal_attachment_max_mb"))
        self.fields["attachments"].help_text = _(
            "PDF, Word, Excel or images (PNG, JPG); at most %(count)s files of up to %(size)s MB each."
        ) % {"count": files_max, "size": size_mb}
        self.fields["attachments"].widget.attrs["accept"] = ".pdf,.docx,.xlsx,.png,.jpg,.jpeg"
        remove = self.fields["remove_attachments"]
        assert isinstance(remove, forms.TypedMultipleChoiceField)
        remove.choices = [(row.pk, row.original_name) for row in attached]
        if bodies:
            # Members authorised to file for a body choose in whose name.
            self.fields["file_as"] = forms.ChoiceField(
                label=_("Filed in the name of"),
                choices=[("", _("Myself (with cosigners if any)")), *bodies],
                required=False,
            )
            self.fields["file_as"].widget.attrs["class"] = "form-select"
        if on_behalf:
            # Staff entering a proposal for a member who cannot go online.
            self.fields["proposer"] = forms.ModelChoiceField(
                label=_("On behalf of"),
                queryset=Member.objects.filter(
                    council=council, is_active=True, term__is_current=True
                ).order_by("full_name"),
                help_text=_("The member who asked the office to enter this proposal."),
            )
            self.fields["proposer"].widget.attrs["class"] = "form-select"
        title_max = int(get_setting(council, "proposal_title_max_chars"))
        section_max = int(get_setting(council, "proposal_section_max_chars"))
        limits = {
            "title": title_max,
            "situation": section_max,
            "analysis": section_max,
            "suggestions": section_max,
        }
        for name, limit in limits.items():
            field = self.fields[name]
            assert isinstance(field, forms.CharField)
            field.max_length = limit
            field.validators.append(MaxLengthValidator(limit))
            # The styled mixin ran before the limit was known: set the counter here.
            field.widget.attrs["data-max-chars"] = str(limit)
        self.fields["category"].queryset = ProposalCategory.objects.filter(council=council, is_active=True)  # type: ignore[attr-defined]
        self.fields["suggested_units"].queryset = _units(council)  # type: ignore[attr-defined]

    @classmethod
    def initial_from(cls, proposal: Proposal) -> dict[str, Any]:
        return {
            "title": proposal.title,
            "category": proposal.category_id,
            "window": proposal.window,
            "situation": proposal.situation,
            "analysis": proposal.analysis,
            "suggestions": proposal.suggestions,
            "suggested_units": list(proposal.suggested_units.values_list("pk", flat=True)),
            "consents_to_publish_reply": proposal.consents_to_publish_reply,
            "version": proposal.version,
        }

    def content(self) -> ProposalContent:
        data = self.cleaned_data
        return ProposalContent(
            title=data["title"],
            situation=data["situation"],
            analysis=data["analysis"],
            suggestions=data["suggestions"],
            category=data["category"],
            suggested_units=tuple(data["suggested_units"]),
            consents_to_publish_reply=data["consents_to_publish_reply"],
            window=data["window"],
        )

    def new_files(self) -> list[Any]:
        return list(self.cleaned_data.get("attachments") or [])

    def files_to_remove(self) -> list[int]:
        return list(self.cleaned_data.get("remove_attachments") or [])


class CollectiveFilerForm(StyledFormMixin, forms.Form):
    user = forms.ModelChoiceField(label=_("Member"), queryset=User.objects.none())
    body = forms.ChoiceField(label=_("Body"), choices=())

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user_field = self.fields["user"]
        assert isinstance(user_field, forms.ModelChoiceField)
        user_field.queryset = seated_member_users(council).order_by("full_name")
        user_field.label_from_instance = lambda user: user.display_name  # type: ignore[method-assign,assignment]
        choices: list[tuple[str, Any]] = []
        for kind, label in COLLECTIVE_KIND_LABELS.items():
            model = COLLECTIVE_KINDS[kind]
            rows = model.objects.filter(council=council, is_active=True).order_by("sort_order", "name")  # type: ignore[attr-defined]
            choices.append((str(label), [(f"{kind}:{row.pk}", body_label(kind, row)) for row in rows]))
        body_field = self.fields["body"]
        assert isinstance(body_field, forms.ChoiceField)
        body_field.choices = choices


COLLECTIVE_KIND_LABELS = {
    "affiliation": _("Affiliations"),
    "sector": _("Sector groups"),
    "committee": _("Special committees"),
    "group": _("Member groups"),
}


class InviteCosignersForm(StyledFormMixin, forms.Form):
    members = forms.ModelMultipleChoiceField(
        label=_("Invite cosigners"),
        queryset=Member.objects.none(),
        error_messages={"invalid_choice": _("Choose members of this council seated in this term.")},
    )

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = (  # type: ignore[attr-defined]
            Member.objects.filter(council=proposal.council, term=proposal.term, is_active=True)
            .exclude(pk=proposal.lead_proposer_id or 0)
            .order_by("full_name")
        )
        use_member_picker(
            self.fields["members"],
            proposal.council,
            term_id=proposal.term_id,
            exclude=proposal.lead_proposer_id,
        )


class ReasonForm(StyledFormMixin, VersionMixin):
    reason = forms.CharField(
        label=_("Reason"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class DeclineForm(StyledFormMixin, VersionMixin):
    reason = forms.ModelChoiceField(label=_("Reason"), queryset=DeclineReason.objects.none())
    note = forms.CharField(
        label=_("Note to the proposer"),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = DeclineReason.objects.filter(council=council, is_active=True)  # type: ignore[attr-defined]


class ConvertForm(StyledFormMixin, VersionMixin):
    target = forms.ChoiceField(label=_("Convert into"), choices=ConversionTarget.choices)
    consent_note = forms.CharField(
        label=_("How the proposer agreed"),
        max_length=REASON_MAX,
        help_text=_("For example: agreed by telephone on 5 March."),
    )


class MergeForm(StyledFormMixin, VersionMixin):
    into = forms.ModelChoiceField(label=_("Merge into"), queryset=Proposal.objects.none())
    note = forms.CharField(label=_("Note to the proposer"), max_length=REASON_MAX, required=False)

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = (  # type: ignore[attr-defined]
            Proposal.objects.filter(
                council=proposal.council, term=proposal.term, status__in=("accepted", "assigned")
            )
            .exclude(pk=proposal.pk)
            .order_by("case_number")
        )


class AssignForm(StyledFormMixin, VersionMixin):
    MODES = (("lead", _("One unit, or a lead unit with helpers")), ("split", _("Split: every unit replies")))

    mode = forms.ChoiceField(
        label=_("Handling mode"), choices=MODES, initial="lead", widget=forms.RadioSelect
    )
    lead_unit = forms.ModelChoiceField(
        label=_("Lead unit"), queryset=HandlingUnit.objects.none(), required=False
    )
    helper_units = forms.ModelMultipleChoiceField(
        label=_("Assisting or joint units"),
        queryset=HandlingUnit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    helper_role = forms.ChoiceField(
        label=_("Helpers' role"),
        choices=[
            (AssignmentRole.ASSISTING, AssignmentRole.ASSISTING.label),
            (AssignmentRole.JOINT, AssignmentRole.JOINT.label),
        ],
        initial=AssignmentRole.ASSISTING,
    )
    split_units = forms.ModelMultipleChoiceField(
        label=_("Units for split handling"),
        queryset=HandlingUnit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    assigned_on = forms.DateField(
        label=_("Assigned on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(
        self, *args: Any, council: Council, suggested: Proposal | None = None, **kwargs: Any
    ) -> None:
        """suggested: a proposal not yet assigned, whose suggested units (the
        first as lead, the others as helpers) the form starts with."""
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("assigned_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        for name in ("lead_unit", "helper_units", "split_units"):
            self.fields[name].queryset = _units(council)  # type: ignore[attr-defined]
        if suggested is not None:
            units = list(_units(council).filter(pk__in=suggested.suggested_units.values("pk")))
            if units:
                self.initial.setdefault("lead_unit", units[0].pk)
                self.initial.setdefault("helper_units", [u.pk for u in units[1:]])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("mode") == "split" and not data.get("split_units"):
            self.add_error("split_units", _("Choose the units that each reply."))
        if data.get("mode") == "lead" and not data.get("lead_unit"):
            self.add_error("lead_unit", _("Choose the lead unit."))
        return data

    def unit_roles(self) -> list[UnitRole]:
        data = self.cleaned_data
        if data["mode"] == "split":
            return [UnitRole(unit, AssignmentRole.SPLIT) for unit in data["split_units"]]
        helpers = [u for u in data["helper_units"] if u != data["lead_unit"]]
        return [UnitRole(data["lead_unit"], AssignmentRole.LEAD)] + [
            UnitRole(u, data["helper_role"]) for u in helpers
        ]


class ExtensionForm(StyledFormMixin, VersionMixin):
    new_due_on = forms.DateField(
        label=_("New due date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class MarkForm(StyledFormMixin, forms.Form):
    is_key = forms.BooleanField(label=_("Key proposal"), required=False)
    supervising_leader = forms.ModelChoiceField(
        label=_("Supervising leader"), queryset=User.objects.none(), required=False
    )
    is_outstanding = forms.BooleanField(label=_("Outstanding proposal"), required=False)

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supervising_leader"].queryset = users_with_role(council, Role.LEADER)  # type: ignore[attr-defined]
        self.fields["supervising_leader"].label_from_instance = lambda user: user.display_name  # type: ignore[attr-defined]


class ReplyForm(StyledFormMixin, VersionMixin):
    category = forms.ModelChoiceField(
        label=_("Result category"), queryset=ReplyCategory.objects.none(), required=False
    )
    text = forms.CharField(label=_("Reply text"), widget=forms.Textarea(attrs={"rows": 10}), max_length=20000)
    signer = forms.CharField(label=_("Signed by (unit leader)"), max_length=50)
    contact_person = forms.CharField(label=_("Contact person"), max_length=50)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30, required=False)
    signed_letter = forms.FileField(
        label=_("Signed reply letter (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = ReplyCategory.objects.filter(council=council, is_active=True)  # type: ignore[attr-defined]

    def content(self) -> ReplyContent:
        data = self.cleaned_data
        return ReplyContent(
            category=data["category"],
            text=data["text"],
            signer=data["signer"],
            contact_person=data["contact_person"],
            contact_phone=data["contact_phone"],
            signed_letter=data.get("signed_letter") or None,
        )


class RatingForm(StyledFormMixin, forms.Form):
    satisfaction = forms.ChoiceField(
        label=_("How satisfied are you?"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comments"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class NoteForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What"), choices=NoteKind.choices)
    happened_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    text = forms.CharField(
        label=_("What was done or said"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, role: str, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("happened_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        if role not in HELPER_ROLES:
            field = self.fields["kind"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [(k, v) for k, v in NoteKind.choices if k != NoteKind.HELPER_OPINION]


class FollowThroughForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Activity"), choices=FollowThroughKind.choices)
    happened_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(
        label=_("What happened"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )


class QueueFilterForm(NormalisedTextMixin, forms.Form):
    status = forms.CharField(required=False)
    category = forms.IntegerField(required=False)
    window = forms.ChoiceField(required=False, choices=[("", ""), *Window.choices])
    q = forms.CharField(required=False, max_length=100)


def today() -> dt.date:
    return timezone.localdate()


class FollowUpReportForm(StyledFormMixin, VersionMixin):
    """A unit's account of what has been done since its B-category reply."""

    result = forms.CharField(
        label=_("What has been done since the reply"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6, "data-max-chars": 3000}),
    )


class FollowUpCloseForm(StyledFormMixin, VersionMixin):
    note = forms.CharField(
        label=_("Note on closing (optional)"),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FollowUpFilterForm(forms.Form):
    year = forms.IntegerField(required=False, min_value=1901, max_value=2999)
    status = forms.ChoiceField(required=False, choices=[("", _("Every status")), *FollowUpStatus.choices])
    unit = forms.IntegerField(required=False, min_value=1)
