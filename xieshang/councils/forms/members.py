"""Forms of the members area: the roster filters, the member form, the import.

The personal-number checks live here as plain functions because the Excel
import (councils/roster.py) applies exactly the same rules to each row.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xieshang.core.crypto import blind_index
from xieshang.core.forms import StyledFormMixin
from xieshang.core.pinyin import search_text
from xieshang.councils.models import (
    Affiliation,
    Council,
    Member,
    MemberGroup,
    Sector,
    SpecialCommittee,
    Term,
)

# GB 11643-1999: weights of the first 17 digits and the check character
# for each remainder mod 11.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARACTERS = "10X98765432"
ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
MOBILE_PATTERN = re.compile(r"^1\d{10}$")


def id_check_character(first_17_digits: str) -> str:
    """The GB 11643 check character for the first 17 digits of an ID number."""
    total = sum(int(d) * w for d, w in zip(first_17_digits, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARACTERS[total % 11]


def birth_date_in_id(id_number: str) -> dt.date | None:
    """The birth date encoded in an 18-character ID number, or None if invalid."""
    try:
        return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None


def normalize_id_number(value: str) -> str:
    """Return the ID number in canonical form (upper-case X, no spaces), or
    raise ValidationError saying what is wrong with it."""
    value = re.sub(r"\s+", "", value or "").upper()
    if not value:
        return ""
    if len(value) != 18:
        raise ValidationError(
            _("An ID number has 18 characters; this one has %(n)s."),
            code="id_length",
            params={"n": len(value)},
        )
    if not ID_PATTERN.match(value):
        raise ValidationError(_("An ID number has 17 digits followed by a digit or X."), code="id_characters")
    born = birth_date_in_id(value)
    if born is None or born > timezone.localdate() or born.year < 1900:
        raise ValidationError(
            _("The birth date inside this ID number is not a real date."), code="id_birth_date"
        )
    if id_check_character(value[:17]) != value[17]:
        raise ValidationError(
            _("This ID number fails its check digit; a character was probably mistyped."), code="id_checksum"
        )
    return value


def normalize_mobile(value: str) -> str:
    """Return the mobile number as 11 digits, or raise ValidationError."""
    value = re.sub(r"[\s-]+", "", value or "")
    if value.startswith("+86"):
        value = value[3:]
    if not value:
        return ""
    if not MOBILE_PATTERN.match(value):
        raise ValidationError(_("A mobile number has 11 digits and starts with 1."), code="mobile_format")
    return value


def check_birth_date_agrees(id_number: str, birth_date: dt.date | None) -> None:
    """Raise ValidationError when birth_date differs from the one in id_number."""
    if id_number and birth_date is not None and birth_date_in_id(id_number) != birth_date:
        raise ValidationError(
            _("The birth date does not match the one in the ID number (%(date)s)."),
            code="birth_date_mismatch",
            params={"date": birth_date_in_id(id_number)},
        )


def personal_number_taken(
    council: Council, term: Term, *, field: str, value: str, exclude_id: int | None = None
) -> bool:
    """Whether another member of council in term already has this ID number
    or mobile (field is "id_number" or "mobile"), by blind index."""
    rows = Member.objects.filter(council=council, term=term, **{f"{field}_index": blind_index(value)})
    if exclude_id is not None:
        rows = rows.exclude(pk=exclude_id)
    return rows.exists()


class MemberForm(StyledFormMixin, forms.ModelForm):
    """Create or edit one member. Every choice is limited to the council.

    The full ID and mobile numbers are never put into the page: when editing,
    the fields start empty with the masked value as a hint, and an empty
    field keeps the stored number.
    """

    id_number = forms.CharField(label=_("ID number"), required=False, max_length=24)
    mobile = forms.CharField(label=_("Mobile number"), required=False, max_length=20)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    create_login = forms.BooleanField(
        label=_("Create a login for this member"),
        required=False,
        help_text=_(
            "A temporary password is shown once after saving; "
            "an existing account with the same mobile number is reused."
        ),
    )

    class Meta:
        model = Member
        fields = [
            "full_name",
            "gender",
            "birth_date",
            "ethnicity",
            "id_number",
            "mobile",
            "term",
            "affiliation",
            "sector",
            "employer_title",
            "is_standing_committee_member",
            "special_committees",
            "groups",
            "recommending_body",
            "is_active",
        ]
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "special_committees": forms.CheckboxSelectMultiple,
            "groups": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.council = council
        self.is_edit = self.instance.pk is not None
        fields = self.fields
        fields["term"].queryset = Term.objects.filter(council=council)  # type: ignore[attr-defined]
        fields["term"].empty_label = None  # type: ignore[attr-defined]
        fields["affiliation"].queryset = Affiliation.objects.filter(  # type: ignore[attr-defined]
            council=council
        ).filter(self._active_or_current("affiliation_id"))
        fields["sector"].queryset = Sector.objects.filter(council=council).filter(  # type: ignore[attr-defined]
            self._active_or_current("sector_id")
        )
        fields["special_committees"].queryset = SpecialCommittee.objects.filter(council=council)  # type: ignore[attr-defined]
        fields["groups"].queryset = MemberGroup.objects.filter(council=council)  # type: ignore[attr-defined]
        if self.is_edit:
            del fields["create_login"]
            self.initial["version"] = self.instance.version
            self.initial["id_number"] = ""
            self.initial["mobile"] = ""
            for name, masked in (
                ("id_number", self.instance.masked_id_number),
                ("mobile", self.instance.masked_mobile),
            ):
                if masked:
                    fields[name].widget.attrs["placeholder"] = masked
                    fields[name].help_text = _("Leave empty to keep the current number (%(masked)s).") % {
                        "masked": masked
                    }
        else:
            del fields["version"]
            current = Term.objects.filter(council=council, is_current=True).first()
            if current is not None and "term" not in self.initial:
                self.initial["term"] = current.pk
        fields["mobile"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        fields["id_number"].widget.attrs["autocomplete"] = "off"

    def _active_or_current(self, attr: str) -> Q:
        # Retired bodies stay selectable for members already attached to them.
        current = getattr(self.instance, attr, None)
        return Q(is_active=True) | Q(pk=current) if current else Q(is_active=True)

    def clean_id_number(self) -> str:
        return normalize_id_number(self.cleaned_data.get("id_number", ""))

    def clean_mobile(self) -> str:
        return normalize_mobile(self.cleaned_data.get("mobile", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        term = data.get("term")
        id_number = data.get("id_number", "")
        kept_id = self.instance.id_number if self.is_edit and not id_number else ""
        birth_date = data.get("birth_date")
        if "id_number" not in self.errors:
            try:
                check_birth_date_agrees(id_number or kept_id, birth_date)
            except ValidationError as error:
                self.add_error("birth_date", error)
            if id_number and birth_date is None and "birth_date" not in self.errors:
                data["birth_date"] = birth_date_in_id(id_number)
        if term is not None:
            exclude = self.instance.pk if self.is_edit else None
            for name, message in (
                ("id_number", _("Another member of this term already has this ID number.")),
                ("mobile", _("Another member of this term already has this mobile number.")),
            ):
                value = data.get(name) or (getattr(self.instance, name) if self.is_edit else "")
                if (
                    value
                    and name not in self.errors
                    and personal_number_taken(self.council, term, field=name, value=value, exclude_id=exclude)
                ):
                    self.add_error(name, ValidationError(message, code="duplicate"))
        return data

    def _post_clean(self) -> None:
        # The instance is not saved by the form (actions write); skip the model
        # validation that would copy the blank personal fields onto it.
        pass

    def member_data(self) -> dict[str, Any]:
        """What the create or update action receives."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data}
        if self.is_edit:
            for name in ("id_number", "mobile"):
                if not data.get(name):
                    data.pop(name, None)
        return data


YES_NO_ANY = [("", _("any")), ("yes", _("yes")), ("no", _("no"))]
PAGE_SIZES = (20, 50, 100)
SORTS = {
    "name": ("full_name", "id"),
    "-name": ("-full_name", "-id"),
    "sector": ("sector__sort_order", "sector__name", "full_name", "id"),
    "-sector": ("-sector__sort_order", "-sector__name", "-full_name", "-id"),
    "affiliation": ("affiliation__sort_order", "affiliation__name", "full_name", "id"),
    "-affiliation": ("-affiliation__sort_order", "-affiliation__name", "-full_name", "-id"),
    "term": ("term__number", "full_name", "id"),
    "-term": ("-term__number", "-full_name", "-id"),
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
}


class MemberFilterForm(StyledFormMixin, forms.Form):
    """The roster's filters, search, sort and page size (GET)."""

    q = forms.CharField(label=_("Full name"), required=False, max_length=50)
    term = forms.ModelChoiceField(label=_("Term"), queryset=Term.objects.none(), required=False)
    sector = forms.ModelChoiceField(label=_("Sector"), queryset=Sector.objects.none(), required=False)
    affiliation = forms.ModelChoiceField(
        label=_("Affiliation"), queryset=Affiliation.objects.none(), required=False
    )
    committee = forms.ModelChoiceField(
        label=_("Special committee"), queryset=SpecialCommittee.objects.none(), required=False
    )
    group = forms.ModelChoiceField(
        label=_("Member group"), queryset=MemberGroup.objects.none(), required=False
    )
    standing = forms.ChoiceField(label=_("Standing committee"), choices=YES_NO_ANY, required=False)
    seated = forms.ChoiceField(label=_("Seated"), choices=YES_NO_ANY, required=False)
    sort = forms.ChoiceField(choices=[(key, key) for key in SORTS], required=False)
    per_page = forms.TypedChoiceField(
        label=_("Per page"), choices=[(n, n) for n in PAGE_SIZES], coerce=int, required=False
    )

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = Term.objects.filter(council=council)  # type: ignore[attr-defined]
        self.fields["sector"].queryset = Sector.objects.filter(council=council)  # type: ignore[attr-defined]
        self.fields["affiliation"].queryset = Affiliation.objects.filter(council=council)  # type: ignore[attr-defined]
        self.fields["committee"].queryset = SpecialCommittee.objects.filter(council=council)  # type: ignore[attr-defined]
        self.fields["group"].queryset = MemberGroup.objects.filter(council=council)  # type: ignore[attr-defined]
        for name in ("term", "sector", "affiliation", "committee", "group"):
            self.fields[name].empty_label = _("any")  # type: ignore[attr-defined]
        self.fields["q"].widget.attrs.pop("data-max-chars", None)
        self.fields["q"].widget.attrs["type"] = "search"

    MAIN_FIELDS = ("q", "term", "seated", "per_page")
    MORE_FIELDS = ("sector", "affiliation", "committee", "group", "standing")

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.MAIN_FIELDS]

    def more_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.MORE_FIELDS]

    def has_more_filters(self) -> bool:
        return any(self.data.get(name) for name in self.MORE_FIELDS)

    @property
    def sort_key(self) -> str:
        self.is_valid()
        return self.cleaned_data.get("sort") or "name"

    @property
    def page_size(self) -> int:
        self.is_valid()
        return self.cleaned_data.get("per_page") or PAGE_SIZES[0]

    def apply(self, members: QuerySet[Member]) -> QuerySet[Member]:
        """members narrowed by the filters and sorted. A filter that is not
        valid (e.g. another council's sector id) matches nothing, so that the
        roster shows no rows rather than the wrong ones; a bad sort or page
        size falls back to the default."""
        if not self.is_valid() and any(name not in ("sort", "per_page") for name in self.errors):
            return members.none()
        data = self.cleaned_data
        if data.get("q"):
            text = data["q"].strip()
            by_name = Q(full_name__icontains=text)
            if key := search_text(text):
                by_name |= Q(search_key__contains=key)
            members = members.filter(by_name)
        for field, lookup in (
            ("term", "term"),
            ("sector", "sector"),
            ("affiliation", "affiliation"),
            ("committee", "special_committees"),
            ("group", "groups"),
        ):
            if data.get(field) is not None:
                members = members.filter(**{lookup: data[field]})
        for field, lookup in (("standing", "is_standing_committee_member"), ("seated", "is_active")):
            if data.get(field):
                members = members.filter(**{lookup: data[field] == "yes"})
        return members.order_by(*SORTS[self.sort_key])

    def describe(self) -> dict[str, str]:
        """The active filters as plain values, for the export's audit entry."""
        self.is_valid()
        return {
            name: str(value)
            for name, value in self.cleaned_data.items()
            if value not in (None, "") and name not in ("per_page", "sort")
        }


MAX_ROSTER_BYTES = 5 * 1024 * 1024


class RosterUploadForm(StyledFormMixin, forms.Form):
    """The Excel file of a roster import and the term the members join."""

    term = forms.ModelChoiceField(label=_("Term the members join"), queryset=Term.objects.none())
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_("Use the template; at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        terms = Term.objects.filter(council=council)
        self.fields["term"].queryset = terms  # type: ignore[attr-defined]
        self.fields["term"].empty_label = None  # type: ignore[attr-defined]
        current = terms.filter(is_current=True).first()
        if current is not None:
            self.initial.setdefault("term", current.pk)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ROSTER_BYTES:
            raise ValidationError(
                _("The file is larger than 5 MB. Split the roster into several files."), code="too_large"
            )
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(
                _("Upload an Excel workbook (.xlsx). Older .xls files: save them as .xlsx first."),
                code="not_xlsx",
            )
        return upload
