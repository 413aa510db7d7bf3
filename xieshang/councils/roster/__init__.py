"""The member roster as an Excel workbook: the import template, the export,
and reading and checking an uploaded roster.

This module only reads and checks; the import itself is the import_members
action, which writes every row or none.

The column headers are Chinese whatever the page language, because they are
the file format council offices exchange: a roster exported in one language
must import in the other.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from xieshang.core.crypto import blind_index
from xieshang.councils.forms.members import (
    birth_date_in_id,
    check_birth_date_agrees,
    id_check_character,
    normalize_id_number,
    normalize_mobile,
)
from xieshang.councils.models import (
    Affiliation,
    Council,
    Gender,
    Member,
    MemberGroup,
    Sector,
    SpecialCommittee,
    Term,
)

ROSTER_SHEET = "委员名册"
NOTES_SHEET = "填写说明"
OPTIONS_SHEET = "选项"
# Rows whose name starts with this are the template's example and are skipped.
EXAMPLE_MARK = "（示例）"
EXAMPLE_ID_BASE = "11010519700101001"
MAX_ROWS = 5000
TEMPLATE_ROWS = 1000
YES = "是"
NO = "否"
GENDER_WORDS = {"男": Gender.MALE, "女": Gender.FEMALE, "male": Gender.MALE, "female": Gender.FEMALE}
GENDER_LABELS = {Gender.MALE: "男", Gender.FEMALE: "女"}
YES_WORDS = {"是", "y", "yes", "1", "true", "√"}
NO_WORDS = {"否", "n", "no", "0", "false", "×"}
LIST_SEPARATORS = re.compile(r"[、,，;；/\n]+")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    width: int = 14


COLUMNS: tuple[Column, ...] = (
    Column("full_name", "姓名", required=True, width=12),
    Column("gender", "性别", required=True, width=8),
    Column("birth_date", "出生日期", width=12),
    Column("ethnicity", "民族", width=8),
    Column("id_number", "身份证号", width=22),
    Column("mobile", "手机号", width=14),
    Column("affiliation", "党派团体", width=14),
    Column("sector", "界别", width=16),
    Column("employer_title", "工作单位及职务", width=30),
    Column("is_standing_committee_member", "是否常委", width=10),
    Column("special_committees", "专门委员会", width=20),
    Column("groups", "委员小组", width=20),
    Column("recommending_body", "推荐单位", width=20),
    Column("is_active", "是否在任", width=10),
)
COLUMN_BY_HEADER = {c.header: c for c in COLUMNS}
TERM_HEADER = "届次"


# ---------------------------------------------------------------- reading


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
class RosterResult:
    """The outcome of checking a file: a problem with the whole file, or the
    rows with every bad row and its reasons. Import only when is_valid."""

    problem: str = ""
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.problem and not self.errors and bool(self.rows)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _clean_header(value: Any) -> str:
    return _text(value).rstrip("*＊").strip()


def _parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _yes_no(value: Any, default: bool) -> bool:
    text = _text(value).lower()
    if not text:
        return default
    if text in YES_WORDS:
        return True
    if text in NO_WORDS:
        return False
    raise ValueError(text)


def _names(value: Any) -> list[str]:
    return [part.strip() for part in LIST_SEPARATORS.split(_text(value)) if part.strip()]


class _Lookup:
    """The council's named bodies by name, loaded once per file."""

    def __init__(self, council: Council) -> None:
        self.sectors = {s.name: s for s in Sector.objects.filter(council=council)}
        self.affiliations = {a.name: a for a in Affiliation.objects.filter(council=council)}
        self.committees = {c.name: c for c in SpecialCommittee.objects.filter(council=council)}
        self.groups = {g.name: g for g in MemberGroup.objects.filter(council=council)}


# What a damaged or disguised file makes openpyxl raise.
READ_ERRORS = (
    zipfile.BadZipFile,
    InvalidFileException,
    KeyError,
    OSError,
    ValueError,
    TypeError,
    SyntaxError,
)


def _open_sheet(upload: IO[bytes]) -> Iterator[tuple[Any, ...]]:
    """Rows of the roster sheet (or the first sheet)."""
    upload.seek(0)
    workbook = load_workbook(upload, read_only=True, data_only=True)
    sheet = workbook[ROSTER_SHEET] if ROSTER_SHEET in workbook.sheetnames else workbook.worksheets[0]
    return sheet.iter_rows(values_only=True)


def read_roster(upload: IO[bytes], *, council: Council, term: Term) -> RosterResult:
    """Read and check every row of an uploaded roster for council's term.

    Nothing is written. The result names the file's problem (not Excel,
    empty, missing columns, too many rows) or every bad row with its reasons.
    """
    unreadable = _(
        "This file could not be read as an Excel workbook (.xlsx). Save it again from Excel or WPS."
    )
    upload.seek(0)
    if upload.read(4) != b"PK\x03\x04":
        return RosterResult(
            problem=_(
                "This file is not an Excel workbook (.xlsx). Save the roster from Excel or WPS as .xlsx."
            )
        )
    try:
        rows = _open_sheet(upload)
        header_row = next(rows, None)
    except READ_ERRORS:
        return RosterResult(problem=unreadable)
    if header_row is None or not any(_text(v) for v in header_row):
        return RosterResult(
            problem=_("The sheet is empty. Fill in the template's first sheet and upload it again.")
        )
    positions: dict[str, int] = {}
    for index, value in enumerate(header_row):
        column = COLUMN_BY_HEADER.get(_clean_header(value))
        if column is not None and column.key not in positions:
            positions[column.key] = index
    missing = [c.header for c in COLUMNS if c.required and c.key not in positions]
    if missing:
        return RosterResult(
            problem=_("The first row must hold the template's column headers. Missing columns: %(columns)s.")
            % {"columns": "、".join(missing)}
        )
    checker = _RowChecker(council=council, term=term, positions=positions)
    try:
        return _check_rows(rows, checker, positions)
    except READ_ERRORS:
        return RosterResult(problem=unreadable)


def _check_rows(
    rows: Iterator[tuple[Any, ...]], checker: _RowChecker, positions: dict[str, int]
) -> RosterResult:
    result = RosterResult()
    for row_number, values in enumerate(rows, start=2):
        if not any(_text(v) for v in values):
            continue
        if _text(values[positions["full_name"]] if positions["full_name"] < len(values) else "").startswith(
            (EXAMPLE_MARK, "(示例)")
        ):
            continue
        if row_number - 1 > MAX_ROWS:
            return RosterResult(
                problem=_("The file has more than %(n)s rows. Split it into several files.") % {"n": MAX_ROWS}
            )
        checked = checker.check(row_number, values)
        if isinstance(checked, RowError):
            result.errors.append(checked)
        else:
            result.rows.append(checked)
    if not result.rows and not result.errors:
        result.problem = _("The sheet has column headers but no members. Fill in one row per member.")
    return result


def _max_length(name: str) -> int:
    return int(getattr(Member._meta.get_field(name), "max_length", 0) or 0)


class _RowChecker:
    def __init__(self, *, council: Council, term: Term, positions: dict[str, int]) -> None:
        self.term = term
        self.positions = positions
        self.lookup = _Lookup(council)
        existing = Member.objects.filter(council=council, term=term).values_list(
            "id_number_index", "mobile_index"
        )
        self.taken_ids = {i for i, _m in existing if i}
        self.taken_mobiles = {m for _i, m in existing if m}
        self.ids_in_file: dict[str, int] = {}
        self.mobiles_in_file: dict[str, int] = {}

    def cell(self, values: tuple[Any, ...], key: str) -> Any:
        index = self.positions.get(key)
        if index is None or index >= len(values):
            return None
        return values[index]

    def check(self, row_number: int, values: tuple[Any, ...]) -> RosterRow | RowError:
        reasons: list[str] = []
        data: dict[str, Any] = {"term": self.term}

        full_name = _text(self.cell(values, "full_name"))
        if not full_name:
            reasons.append(_("姓名 is empty."))
        elif len(full_name) > _max_length("full_name"):
            reasons.append(_("姓名 is longer than 50 characters."))
        data["full_name"] = full_name

        gender_text = _text(self.cell(values, "gender")).lower()
        if not gender_text:
            reasons.append(_("性别 is empty."))
        elif gender_text not in GENDER_WORDS:
            reasons.append(_("性别 must be 男 or 女, not “%(value)s”.") % {"value": gender_text})
        else:
            data["gender"] = GENDER_WORDS[gender_text]

        birth_value = self.cell(values, "birth_date")
        data["birth_date"] = None
        if _text(birth_value):
            try:
                data["birth_date"] = _parse_date(birth_value)
            except ValueError:
                reasons.append(
                    _("出生日期 “%(value)s” is not a date; write it like 1970-01-31.")
                    % {"value": _text(birth_value)}
                )

        data["id_number"] = ""
        id_value = self.cell(values, "id_number")
        if _text(id_value):
            try:
                id_number = normalize_id_number(_text(id_value))
            except ValidationError as error:
                hint = (
                    _(" Format the 身份证号 column as text so that Excel keeps every digit.")
                    if isinstance(id_value, (int, float))
                    else ""
                )
                reasons.append(_("身份证号: %(error)s") % {"error": error.messages[0]} + hint)
            else:
                data["id_number"] = id_number
                index = blind_index(id_number)
                if index in self.ids_in_file:
                    reasons.append(
                        _("身份证号 is the same as in row %(row)s.") % {"row": self.ids_in_file[index]}
                    )
                elif index in self.taken_ids:
                    reasons.append(_("身份证号 belongs to a member already on this term's roster."))
                else:
                    self.ids_in_file[index] = row_number
                try:
                    check_birth_date_agrees(id_number, data["birth_date"])
                except ValidationError as error:
                    reasons.append(_("出生日期: %(error)s") % {"error": error.messages[0]})
                if data["birth_date"] is None:
                    data["birth_date"] = birth_date_in_id(id_number)

        data["mobile"] = ""
        mobile_value = self.cell(values, "mobile")
        if _text(mobile_value):
            try:
                mobile = normalize_mobile(_text(mobile_value))
            except ValidationError as error:
                reasons.append(_("手机号: %(error)s") % {"error": error.messages[0]})
            else:
                data["mobile"] = mobile
                index = blind_index(mobile)
                if index in self.mobiles_in_file:
                    reasons.append(
                        _("手机号 is the same as in row %(row)s.") % {"row": self.mobiles_in_file[index]}
                    )
                elif index in self.taken_mobiles:
                    reasons.append(_("手机号 belongs to a member already on this term's roster."))
                else:
                    self.mobiles_in_file[index] = row_number

        for key, known, header in (
            ("affiliation", self.lookup.affiliations, "党派团体"),
            ("sector", self.lookup.sectors, "界别"),
        ):
            name = _text(self.cell(values, key))
            data[key] = None
            if name:
                if name in known:
                    data[key] = known[name]
                else:
                    reasons.append(
                        _(
                            "%(column)s “%(name)s” is not one of this council's; "
                            "use a name from the template's list."
                        )
                        % {"column": header, "name": name}
                    )

        for key, known_many, header in (
            ("special_committees", self.lookup.committees, "专门委员会"),
            ("groups", self.lookup.groups, "委员小组"),
        ):
            chosen = []
            for name in _names(self.cell(values, key)):
                if name in known_many:
                    chosen.append(known_many[name])
                else:
                    reasons.append(
                        _(
                            "%(column)s “%(name)s” is not one of this council's; "
                            "use a name from the template's notes."
                        )
                        % {"column": header, "name": name}
                    )
            data[key] = chosen

        for key, limit_header in (
            ("ethnicity", "民族"),
            ("employer_title", "工作单位及职务"),
            ("recommending_body", "推荐单位"),
        ):
            text = _text(self.cell(values, key))
            limit = _max_length(key)
            if len(text) > limit:
                reasons.append(
                    _("%(column)s is longer than %(n)s characters.") % {"column": limit_header, "n": limit}
                )
            data[key] = text

        for key, default, header in (
            ("is_standing_committee_member", False, "是否常委"),
            ("is_active", True, "是否在任"),
        ):
            try:
                data[key] = _yes_no(self.cell(values, key), default)
            except ValueError:
                reasons.append(
                    _("%(column)s must be 是 or 否, not “%(value)s”.")
                    % {"column": header, "value": _text(self.cell(values, key))}
                )

        if reasons:
            return RowError(row_number=row_number, full_name=full_name, reasons=tuple(reasons))
        return RosterRow(row_number=row_number, data=data)


# ---------------------------------------------------------------- writing

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
EXAMPLE_FONT = Font(italic=True, color="808080")


def _header(sheet: Any, headers: Iterable[str]) -> None:
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    sheet.freeze_panes = "A2"


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _yes_no_text(value: bool) -> str:
    return YES if value else NO


def build_template(council: Council) -> bytes:
    """The import template for council: headers, an example row, dropdowns
    of this council's sectors and affiliations, and a notes sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = ROSTER_SHEET
    _header(sheet, [c.header + ("*" if c.required else "") for c in COLUMNS])
    for position, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = column.width
    sectors = list(Sector.objects.filter(council=council, is_active=True).values_list("name", flat=True))
    affiliations = list(
        Affiliation.objects.filter(council=council, is_active=True).values_list("name", flat=True)
    )
    committees = list(
        SpecialCommittee.objects.filter(council=council, is_active=True).values_list("name", flat=True)
    )
    groups = list(MemberGroup.objects.filter(council=council, is_active=True).values_list("name", flat=True))
    example = {
        "full_name": EXAMPLE_MARK + "张三",
        "gender": "男",
        "birth_date": "1970-01-01",
        "ethnicity": "汉族",
        "id_number": EXAMPLE_ID_BASE + id_check_character(EXAMPLE_ID_BASE),
        "mobile": "13800000000",
        "affiliation": affiliations[0] if affiliations else "",
        "sector": sectors[0] if sectors else "",
        "employer_title": "某某大学教授",
        "is_standing_committee_member": NO,
        "special_committees": "、".join(committees[:1]),
        "groups": "、".join(groups[:1]),
        "recommending_body": "",
        "is_active": YES,
    }
    sheet.append([example[c.key] for c in COLUMNS])
    for cell in sheet[2]:
        cell.font = EXAMPLE_FONT
    # Personal numbers as text, so that Excel does not round 18 digits.
    positions = {c.key: get_column_letter(i) for i, c in enumerate(COLUMNS, start=1)}
    for row in range(2, TEMPLATE_ROWS + 2):
        for key in ("id_number", "mobile"):
            sheet[f"{positions[key]}{row}"].number_format = "@"

    options = workbook.create_sheet(OPTIONS_SHEET)
    options.append(["性别", "是/否", "界别", "党派团体"])
    lists = [["男", "女"], [YES, NO], sectors, affiliations]
    for column_index, values in enumerate(lists, start=1):
        for row_index, value in enumerate(values, start=2):
            options.cell(row=row_index, column=column_index, value=value)
    options.sheet_state = "hidden"

    last = TEMPLATE_ROWS + 1

    def dropdown(key: str, options_column: str, count: int) -> None:
        if count == 0:
            return
        rule = DataValidation(
            type="list",
            formula1=f"'{OPTIONS_SHEET}'!${options_column}$2:${options_column}${count + 1}",
            allow_blank=True,
            showErrorMessage=True,
        )
        rule.error = _("Choose a value from the list.")
        sheet.add_data_validation(rule)
        rule.add(f"{positions[key]}2:{positions[key]}{last}")

    dropdown("gender", "A", 2)
    dropdown("is_standing_committee_member", "B", 2)
    dropdown("is_active", "B", 2)
    dropdown("sector", "C", len(sectors))
    dropdown("affiliation", "D", len(affiliations))

    notes = workbook.create_sheet(NOTES_SHEET)
    notes.column_dimensions["A"].width = 110
    lines = [
        _("How to fill in the roster"),
        _("Fill in one member per row on the first sheet, starting in row 3. Do not change the header row."),
        _("The example row (its name starts with “（示例）”) is skipped when importing; you may delete it."),
        _("Required columns: 姓名 and 性别 (男 or 女)."),
        _(
            "身份证号: 18 characters; it is checked, "
            "and the birth date is taken from it when 出生日期 is empty."
        ),
        _("手机号: 11 digits starting with 1. ID and mobile numbers must be unique within the term."),
        _("出生日期: a date such as 1970-01-31."),
        _("是否常委 and 是否在任: 是 or 否 (empty means 否 and 是)."),
        _("界别 and 党派团体: choose from the dropdown; the names must match this council's list."),
        _("专门委员会 and 委员小组: one or more names separated by 、"),
        _("Nothing is imported unless every row is correct; the page lists each row to fix."),
        "",
        _("Special committees of this council:") + " " + ("、".join(committees) or "-"),
        _("Member groups of this council:") + " " + ("、".join(groups) or "-"),
    ]
    for line in lines:
        notes.append([line])
    notes["A1"].font = HEADER_FONT
    return _save(workbook)


def build_export(members: Iterable[Member], *, full_personal_data: bool) -> bytes:
    """The roster as a workbook in the template's columns plus the term, so
    that an export can be imported again. Personal numbers are masked unless
    full_personal_data."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(ROSTER_SHEET)
    sheet.append([c.header for c in COLUMNS] + [TERM_HEADER])
    for member in members:
        values = {
            "full_name": member.full_name,
            "gender": GENDER_LABELS.get(member.gender, member.gender),  # type: ignore[call-overload]
            "birth_date": member.birth_date.isoformat() if member.birth_date else "",
            "ethnicity": member.ethnicity,
            "id_number": member.id_number if full_personal_data else member.masked_id_number,
            "mobile": member.mobile if full_personal_data else member.masked_mobile,
            "affiliation": member.affiliation.name if member.affiliation else "",
            "sector": member.sector.name if member.sector else "",
            "employer_title": member.employer_title,
            "is_standing_committee_member": _yes_no_text(member.is_standing_committee_member),
            "special_committees": "、".join(c.name for c in member.special_committees.all()),
            "groups": "、".join(g.name for g in member.groups.all()),
            "recommending_body": member.recommending_body,
            "is_active": _yes_no_text(member.is_active),
        }
        sheet.append([values[c.key] for c in COLUMNS] + [member.term.number])
    return _save(workbook)
