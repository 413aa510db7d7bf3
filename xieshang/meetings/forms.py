"""Forms of the meeting pages: they check the input's shape and hand typed
values to one action each."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xieshang.core.forms import StyledFormMixin
from xieshang.councils.forms.picker import use_member_picker
from xieshang.councils.models import Council, Member, MemberGroup, Sector, Session, SpecialCommittee
from xieshang.meetings.actions.meetings import InviteeChoice, MeetingDetails, SittingPlan
from xieshang.meetings.models import AGENDA_MAX, PLACE_MAX, REASON_MAX, TITLE_MAX, Meeting
from xieshang.meetings.states import MeetingKind, MeetingStatus

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _stamp(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def _active(model: Any, council: Council) -> Any:
    return model.objects.filter(council=council, is_active=True).order_by("sort_order", "name")


class MeetingForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME_INPUT)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DATETIME_INPUT)
    place = forms.CharField(label=_("Place"), max_length=PLACE_MAX)
    agenda = forms.CharField(
        label=_("Agenda"), max_length=AGENDA_MAX, required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    session = forms.ModelChoiceField(
        label=_("Plenary session"), queryset=Session.objects.none(), required=False
    )
    special_committee = forms.ModelChoiceField(
        label=_("Special committee"), queryset=SpecialCommittee.objects.none(), required=False
    )
    sector = forms.ModelChoiceField(label=_("Sector group"), queryset=Sector.objects.none(), required=False)
    sittings = forms.CharField(
        label=_("Sittings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For meetings held in several sittings (a plenary session), one line per sitting: "
            "start, end, title, e.g. “2026-01-10 09:00, 2026-01-10 11:30, Opening sitting”. "
            "Leave empty for a meeting held in one sitting."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, council: Council, meeting: Meeting | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = Session.objects.filter(council=council).order_by("-year", "-number")  # type: ignore[attr-defined]
        self.fields["special_committee"].queryset = _active(SpecialCommittee, council)  # type: ignore[attr-defined]
        self.fields["sector"].queryset = _active(Sector, council)  # type: ignore[attr-defined]
        if meeting is not None:
            self.fields["kind"].disabled = True

    @staticmethod
    def initial_from(meeting: Meeting) -> dict[str, Any]:
        sittings = list(meeting.sittings.order_by("number"))
        lines = (
            "\n".join(
                f"{_stamp(s.starts_at)}, {_stamp(s.ends_at)}" + (f", {s.title}" if s.title else "")
                for s in sittings
            )
            if len(sittings) > 1
            else ""
        )
        return {
            "kind": meeting.kind,
            "title": meeting.title,
            "starts_at": timezone.localtime(meeting.starts_at),
            "ends_at": timezone.localtime(meeting.ends_at),
            "place": meeting.place,
            "agenda": meeting.agenda,
            "session": meeting.session_id,
            "special_committee": meeting.special_committee_id,
            "sector": meeting.sector_id,
            "sittings": lines,
            "version": meeting.version,
        }

    def clean_sittings(self) -> list[SittingPlan]:
        plans = []
        for number, line in enumerate(str(self.cleaned_data.get("sittings") or "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("，", ",").split(",", 2)]
            try:
                start, end = (
                    timezone.make_aware(dt.datetime.strptime(parts[0], "%Y-%m-%d %H:%M")),
                    timezone.make_aware(dt.datetime.strptime(parts[1], "%Y-%m-%d %H:%M")),
                )
            except (ValueError, IndexError) as exc:
                raise forms.ValidationError(
                    _("Line %(n)s: write start and end as 2026-01-10 09:00, 2026-01-10 11:30.")
                    % {"n": number}
                ) from exc
            plans.append(SittingPlan(starts_at=start, ends_at=end, title=parts[2] if len(parts) > 2 else ""))
        return plans

    def details(self) -> MeetingDetails:
        data = self.cleaned_data
        return MeetingDetails(
            kind=data["kind"],
            title=data["title"],
            place=data["place"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            agenda=data.get("agenda") or "",
            session=data.get("session"),
            special_committee=data.get("special_committee"),
            sector=data.get("sector"),
            sittings=tuple(data.get("sittings") or ()),
        )


class InviteesForm(StyledFormMixin, forms.Form):
    all_members = forms.BooleanField(label=_("All seated members"), required=False)
    standing_committee = forms.BooleanField(label=_("Standing committee members"), required=False)
    sectors = forms.ModelMultipleChoiceField(
        label=_("Members of these sectors"), queryset=Sector.objects.none(), required=False
    )
    committees = forms.ModelMultipleChoiceField(
        label=_("Members of these special committees"),
        queryset=SpecialCommittee.objects.none(),
        required=False,
    )
    groups = forms.ModelMultipleChoiceField(
        label=_("Members of these groups"), queryset=MemberGroup.objects.none(), required=False
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Members chosen by name"), queryset=Member.objects.none(), required=False
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        council = meeting.council
        self.fields["sectors"].queryset = _active(Sector, council)  # type: ignore[attr-defined]
        self.fields["committees"].queryset = _active(SpecialCommittee, council)  # type: ignore[attr-defined]
        self.fields["groups"].queryset = _active(MemberGroup, council)  # type: ignore[attr-defined]
        self.fields["members"].queryset = Member.objects.filter(  # type: ignore[attr-defined]
            council=council, term=meeting.term, is_active=True
        ).order_by("full_name", "id")
        for name in ("sectors", "committees", "groups"):
            self.fields[name].widget.attrs["size"] = "8"
        use_member_picker(self.fields["members"], council, term_id=meeting.term_id)

    @staticmethod
    def initial_from(choice: InviteeChoice) -> dict[str, Any]:
        return {
            "all_members": choice.all_members,
            "standing_committee": choice.standing_committee,
            "sectors": [s.pk for s in choice.sectors],
            "committees": [c.pk for c in choice.committees],
            "groups": [g.pk for g in choice.groups],
            "members": [m.pk for m in choice.members],
        }

    def choice(self) -> InviteeChoice:
        data = self.cleaned_data
        return InviteeChoice(
            all_members=bool(data.get("all_members")),
            standing_committee=bool(data.get("standing_committee")),
            sectors=list(data.get("sectors") or ()),
            committees=list(data.get("committees") or ()),
            groups=list(data.get("groups") or ()),
            members=list(data.get("members") or ()),
        )


class GuestForm(StyledFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=50)
    organisation = forms.CharField(label=_("Organisation"), max_length=100, required=False)
    title = forms.CharField(label=_("Position"), max_length=50, required=False)
    mobile = forms.RegexField(
        label=_("Mobile number"),
        regex=r"^1\d{10}$",
        required=False,
        error_messages={"invalid": _("Enter an 11-digit mobile number.")},
    )


class MaterialForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("Material (PDF, Word, Excel or image)"))


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=(("approve", _("Approve")), ("refuse", _("Refuse"))),
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the member"),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when refusing."),
    )


class ManualCheckInForm(StyledFormMixin, forms.Form):
    members = forms.ModelMultipleChoiceField(label=_("Members"), queryset=Member.objects.none())
    is_late = forms.BooleanField(label=_("Arrived late"), required=False)

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = Member.objects.filter(  # type: ignore[attr-defined]
            council=meeting.council, term=meeting.term, is_active=True
        ).order_by("full_name", "id")
        use_member_picker(self.fields["members"], meeting.council, term_id=meeting.term_id)


class MarkForm(forms.Form):
    is_late = forms.BooleanField(required=False)
    left_early = forms.BooleanField(required=False)


class ListFilterForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", ""), *MeetingKind.choices], required=False)
    status = forms.ChoiceField(choices=[("", ""), *MeetingStatus.choices], required=False)
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)
