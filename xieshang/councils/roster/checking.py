"""Checking one roster row: each column in a named step that either puts
the value create_member needs into the row's data or says what is wrong.

Messages quote at most QUOTED_CHARS characters of a cell, so that a file
of enormous cells cannot make an enormous page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from xieshang.core.crypto import blind_index
from xieshang.councils.forms.members import (
    birth_date_in_id,
    check_birth_date_agrees,
    normalize_id_number,
    normalize_mobile,
)
from xieshang.councils.models import (
    Affiliation,
    Council,
    Member,
    MemberGroup,
    Sector,
    SpecialCommittee,
    Term,
)
from xieshang.councils.roster.columns import (
    GENDER_WORDS,
    names_in,
    parse_date,
    quote,
    text_of,
    yes_no,
)


@dataclass(frozen=True)
class RosterRow:
    """One checked row: what create_member needs, with objects resolved."""

    row_number: int
    data: dict[str, Any]


@dataclass(frozen=True)
class RowError:
    row_number: int
    full_name: str
    reasons: tuple[str, ...]


@dataclass
class _Row:
    """A row being checked: its cells, what was read so far, what is wrong."""

    number: int
    values: tuple[Any, ...]
    data: dict[str, Any]
    reasons: list[str] = field(default_factory=list)


def _max_length(name: str) -> int:
    return int(getattr(Member._meta.get_field(name), "max_length", 0) or 0)


class _Lookup:
    """The council's named bodies by name, loaded once per file."""

    def __init__(self, council: Council) -> None:
        self.sectors = {s.name: s for s in Sector.objects.filter(council=council)}
        self.affiliations = {a.name: a for a in Affiliation.objects.filter(council=council)}
        self.committees = {c.name: c for c in SpecialCommittee.objects.filter(council=council)}
        self.groups = {g.name: g for g in MemberGroup.objects.filter(council=council)}


class _Numbers:
    """ID or mobile numbers seen so far: in this file (by row) and already
    on the term's roster, by blind index."""

    def __init__(self, taken: set[str], *, same_as_row: str, taken_already: str) -> None:
        self.taken = taken
        self.in_file: dict[str, int] = {}
        self.same_as_row = same_as_row
        self.taken_already = taken_already

    def problem(self, number: str, row_number: int) -> str:
        """Why number cannot be used in row_number, or "" and remember it."""
        index = blind_index(number)
        if index in self.in_file:
            return self.same_as_row % {"row": self.in_file[index]}
        if index in self.taken:
            return self.taken_already
        self.in_file[index] = row_number
        return ""


class RowChecker:
    """Checks the rows of one file for council's term, remembering numbers
    across rows so that duplicates inside the file are found."""

    def __init__(
        self, *, council: Council, term: Term, positions: dict[str, int], id_number_required: bool
    ) -> None:
        self.term = term
        self.positions = positions
        self.id_number_required = id_number_required
        self.lookup = _Lookup(council)
        existing = Member.objects.filter(council=council, term=term).values_list(
            "id_number_index", "mobile_index"
        )
        self.id_numbers = _Numbers(
            {i for i, _m in existing if i},
            same_as_row=_("身份证号 is the same as in row %(row)s."),
            taken_already=_("身份证号 belongs to a member already on this term's roster."),
        )
        self.mobiles = _Numbers(
            {m for _i, m in existing if m},
            same_as_row=_("手机号 is the same as in row %(row)s."),
            taken_already=_("手机号 belongs to a member already on this term's roster."),
        )

    def cell(self, row: _Row, key: str) -> Any:
        index = self.positions.get(key)
        if index is None or index >= len(row.values):
            return None
        return row.values[index]

    def check(self, row_number: int, values: tuple[Any, ...]) -> RosterRow | RowError:
        row = _Row(number=row_number, values=values, data={"term": self.term})
        for step in (
            self._full_name,
            self._gender,
            self._birth_date,
            self._id_number,
            self._mobile,
            self._affiliation_and_sector,
            self._committees_and_groups,
            self._free_texts,
            self._yes_no_columns,
        ):
            step(row)
        if row.reasons:
            return RowError(
                row_number=row_number, full_name=quote(row.data["full_name"]), reasons=tuple(row.reasons)
            )
        return RosterRow(row_number=row_number, data=row.data)

    def _full_name(self, row: _Row) -> None:
        full_name = text_of(self.cell(row, "full_name"))
        if not full_name:
            row.reasons.append(_("姓名 is empty."))
        elif len(full_name) > _max_length("full_name"):
            row.reasons.append(_("姓名 is longer than 50 characters."))
        row.data["full_name"] = full_name

    def _gender(self, row: _Row) -> None:
        gender = text_of(self.cell(row, "gender")).lower()
        if not gender:
            row.reasons.append(_("性别 is empty."))
        elif gender not in GENDER_WORDS:
            row.reasons.append(_("性别 must be 男 or 女, not “%(value)s”.") % {"value": quote(gender)})
        else:
            row.data["gender"] = GENDER_WORDS[gender]

    def _birth_date(self, row: _Row) -> None:
        value = self.cell(row, "birth_date")
        row.data["birth_date"] = None
        if not text_of(value):
            return
        try:
            row.data["birth_date"] = parse_date(value)
        except ValueError:
            row.reasons.append(
                _("出生日期 “%(value)s” is not a date; write it like 1970-01-31.") % {"value": quote(value)}
            )

    def _id_number(self, row: _Row) -> None:
        value = self.cell(row, "id_number")
        row.data["id_number"] = ""
        if not text_of(value):
            if self.id_number_required:
                row.reasons.append(_("身份证号 is empty; this council requires it."))
            return
        try:
            id_number = normalize_id_number(text_of(value))
        except ValidationError as error:
            hint = (
                _(" Format the 身份证号 column as text so that Excel keeps every digit.")
                if isinstance(value, (int, float))
                else ""
            )
            row.reasons.append(_("身份证号: %(error)s") % {"error": error.messages[0]} + hint)
            return
        row.data["id_number"] = id_number
        if problem := self.id_numbers.problem(id_number, row.number):
            row.reasons.append(problem)
        try:
            check_birth_date_agrees(id_number, row.data["birth_date"])
        except ValidationError as error:
            row.reasons.append(_("出生日期: %(error)s") % {"error": error.messages[0]})
        if row.data["birth_date"] is None:
            row.data["birth_date"] = birth_date_in_id(id_number)

    def _mobile(self, row: _Row) -> None:
        value = self.cell(row, "mobile")
        row.data["mobile"] = ""
        if not text_of(value):
            return
        try:
            mobile = normalize_mobile(text_of(value))
        except ValidationError as error:
            row.reasons.append(_("手机号: %(error)s") % {"error": error.messages[0]})
            return
        row.data["mobile"] = mobile
        if problem := self.mobiles.problem(mobile, row.number):
            row.reasons.append(problem)

    def _affiliation_and_sector(self, row: _Row) -> None:
        for key, known, header in (
            ("affiliation", self.lookup.affiliations, "党派团体"),
            ("sector", self.lookup.sectors, "界别"),
        ):
            name = text_of(self.cell(row, key))
            row.data[key] = known.get(name) if name else None
            if name and name not in known:
                row.reasons.append(
                    _(
                        "%(column)s “%(name)s” is not one of this council's; "
                        "use a name from the template's list."
                    )
                    % {"column": header, "name": quote(name)}
                )

    def _committees_and_groups(self, row: _Row) -> None:
        for key, known, header in (
            ("special_committees", self.lookup.committees, "专门委员会"),
            ("groups", self.lookup.groups, "委员小组"),
        ):
            chosen = []
            for name in names_in(self.cell(row, key)):
                if name in known:
                    chosen.append(known[name])
                else:
                    row.reasons.append(
                        _(
                            "%(column)s “%(name)s” is not one of this council's; "
                            "use a name from the template's notes."
                        )
                        % {"column": header, "name": quote(name)}
                    )
            row.data[key] = chosen

    def _free_texts(self, row: _Row) -> None:
        for key, header in (
            ("ethnicity", "民族"),
            ("employer_title", "工作单位及职务"),
            ("recommending_body", "推荐单位"),
        ):
            text = text_of(self.cell(row, key))
            limit = _max_length(key)
            if len(text) > limit:
                row.reasons.append(
                    _("%(column)s is longer than %(n)s characters.") % {"column": header, "n": limit}
                )
            row.data[key] = text

    def _yes_no_columns(self, row: _Row) -> None:
        for key, default, header in (
            ("is_standing_committee_member", False, "是否常委"),
            ("is_active", True, "是否在任"),
        ):
            try:
                row.data[key] = yes_no(self.cell(row, key), default)
            except ValueError:
                row.reasons.append(
                    _("%(column)s must be 是 or 否, not “%(value)s”.")
                    % {"column": header, "value": quote(self.cell(row, key))}
                )
