"""Forms of the council-structure pages: terms, sessions, named bodies, the
people of units and offices, and roles."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xieshang.accounts.backends import find_user
from xieshang.accounts.models import User
from xieshang.core.forms import StyledFormMixin
from xieshang.councils.actions.structure import BODY_FIELDS
from xieshang.councils.forms.picker import use_member_picker
from xieshang.councils.models import Council, HandlingUnit, Member, NamedBody, OversightOffice, Role
from xieshang.councils.queries import active_members


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TermForm(StyledFormMixin, forms.Form):
    number = forms.IntegerField(
        label=_("Term number"), min_value=1, max_value=99, help_text=_("For the 14th term, enter 14.")
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on <= starts_on:
            self.add_error("ends_on", _("The term must end after it starts."))
        return data


class NewTermForm(TermForm):
    is_current = forms.BooleanField(
        label=_("This is the current term"),
        required=False,
        help_text=_("The previous current term stops being current."),
    )


class SessionForm(StyledFormMixin, forms.Form):
    number = forms.IntegerField(
        label=_("Session number"), min_value=1, max_value=20, help_text=_("For the third session, enter 3.")
    )
    year = forms.IntegerField(label=_("Year"), min_value=1949, max_value=2200)
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput())
    closes_on = forms.DateField(label=_("Closes on"), widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens_on, closes_on = data.get("opens_on"), data.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", _("The session must close on or after the day it opens."))
        return data


class BodyFormBase(StyledFormMixin, forms.ModelForm):
    """Base of the per-kind body forms that body_form_class builds."""


def body_form_class(model: type[NamedBody]) -> type[forms.ModelForm]:  # type: ignore[type-arg]
    """The form for one kind of named body, with that kind's BODY_FIELDS."""
    fields = BODY_FIELDS[model._meta.model_name or ""]
    return forms.modelform_factory(model, form=BodyFormBase, fields=fields)


class LinkUserForm(StyledFormMixin, forms.Form):
    """Pick an existing account by username or mobile number."""

    uncounted_fields = frozenset({"login"})
    login = forms.CharField(
        label=_("Username or mobile number"),
        max_length=150,
        help_text=_("The person must already have an account on the platform."),
    )

    user: User

    def clean_login(self) -> str:
        login = self.cleaned_data["login"].strip()
        user = find_user(login)
        if user is None or not user.is_active:
            raise forms.ValidationError(_("No account has this username or mobile number."))
        self.user = user
        return login


class NewAccountForm(StyledFormMixin, forms.Form):
    """A new account; its temporary password is shown once after saving."""

    uncounted_fields = frozenset({"username"})
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Use letters, digits and @ . + - _ only.")},
    )
    full_name = forms.CharField(label=_("Full name"), max_length=100)
    mobile = forms.RegexField(
        label=_("Mobile number"),
        required=False,
        regex=r"^1\d{10}$",
        error_messages={"invalid": _("Enter an 11-digit mainland mobile number.")},
    )

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username=username).exists():
            raise forms.ValidationError(_("This username is taken. Link the existing user instead."))
        return str(username)


class GrantRoleForm(LinkUserForm):
    """The person is a member found with the person picker, or any account
    named by its username or mobile number (staff are seldom members)."""

    member = forms.ModelChoiceField(
        label=_("Member"),
        queryset=Member.objects.none(),
        required=False,
        help_text=_("Find a member by name, pinyin or initials; for anyone else, type a login below."),
    )
    login = forms.CharField(
        label=_("Username or mobile number"),
        max_length=150,
        required=False,
        help_text=_("The person must already have an account on the platform."),
    )
    title = forms.CharField(
        label=_("Position"),
        max_length=50,
        required=False,
        help_text=_("For leaders: chair, vice chair, secretary-general …"),
        widget=forms.TextInput(attrs={"list": "leader-titles"}),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    handling_unit = forms.ModelChoiceField(
        label=_("Handling unit"),
        queryset=HandlingUnit.objects.none(),
        required=False,
        help_text=_("For handling-unit liaisons."),
    )
    oversight_office = forms.ModelChoiceField(
        label=_("Oversight office"),
        queryset=OversightOffice.objects.none(),
        required=False,
        help_text=_("For oversight office users."),
    )

    field_order = ["member", "login", "role", "title", "handling_unit", "oversight_office"]

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = self.fields["handling_unit"]
        offices = self.fields["oversight_office"]
        assert isinstance(units, forms.ModelChoiceField) and isinstance(offices, forms.ModelChoiceField)
        units.queryset = HandlingUnit.objects.filter(council=council, is_active=True)
        offices.queryset = OversightOffice.objects.filter(council=council, is_active=True)
        member = self.fields["member"]
        assert isinstance(member, forms.ModelChoiceField)
        member.queryset = active_members(council).select_related("user")
        use_member_picker(member, council)

    def clean_login(self) -> str:
        return super().clean_login() if self.cleaned_data.get("login", "").strip() else ""

    def _clean_person(self, data: dict[str, Any]) -> None:
        member = data.get("member")
        if member is not None:
            if member.user is None or not member.user.is_active:
                self.add_error("member", _("This member has no login yet: create one on the member's page."))
            else:
                self.user = member.user
        elif not data.get("login") and "login" not in self.errors:
            self.add_error("login", _("Choose a member, or type a username or mobile number."))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._clean_person(data)
        role = data.get("role")
        if role == Role.UNIT_LIAISON and not data.get("handling_unit"):
            self.add_error("handling_unit", _("A liaison needs the handling unit they answer for."))
        if role == Role.OVERSIGHT and not data.get("oversight_office"):
            self.add_error("oversight_office", _("An oversight user needs their office."))
        return data
