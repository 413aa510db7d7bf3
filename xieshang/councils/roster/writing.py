"""Writing the roster: the import template and the export, through the core
spreadsheet writer (text a member typed never becomes a formula)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from xieshang.core.spreadsheets import SheetWriter, Style, WorkbookWriter
from xieshang.councils.forms.members import id_check_character
from xieshang.councils.models import Affiliation, Council, Member, MemberGroup, Sector, SpecialCommittee
from xieshang.councils.roster.columns import (
    COLUMNS,
    GENDER_LABELS,
    NO,
    ROSTER_SHEET,
    TERM_HEADER,
    YES,
    Column,
    columns_for,
    yes_no_text,
)
from xieshang.councils.roster.reading import EXAMPLE_MARK

NOTES_SHEET = "填写说明"
OPTIONS_SHEET = "选项"
EXAMPLE_ID_BASE = "11010519700101001"
TEMPLATE_ROWS = 1000
HEADER_STYLE = Style(bold=True, fill="DDEBF7")
EXAMPLE_STYLE = Style(italic=True, color="808080")
# Personal numbers as text, so that Excel does not round 18 digits.
TEXT_KEYS = ("id_number", "mobile")


def _active_names(model: Any, council: Council) -> list[str]:
    return list(model.objects.filter(council=council, is_active=True).values_list("name", flat=True))


def build_template(council: Council) -> bytes:
    """The import template for council: headers, an example row, dropdowns
    of this council's sectors and affiliations, and a notes sheet."""
    columns = columns_for(council)
    bodies = {
        "sectors": _active_names(Sector, council),
        "affiliations": _active_names(Affiliation, council),
        "committees": _active_names(SpecialCommittee, council),
        "groups": _active_names(MemberGroup, council),
    }
    book = WorkbookWriter()
    roster = book.add_sheet(ROSTER_SHEET, widths=[c.width for c in columns], freeze_header=True)
    _fill_roster_sheet(roster, columns, bodies)
    options = book.add_sheet(OPTIONS_SHEET)
    _fill_options(options, bodies)
    _add_dropdowns(roster, options, bodies)
    notes = book.add_sheet(NOTES_SHEET, widths=[110])
    _fill_notes(notes, columns, bodies)
    return book.to_bytes()


def _fill_roster_sheet(sheet: SheetWriter, columns: tuple[Column, ...], bodies: dict[str, list[str]]) -> None:
    text_columns = {i for i, c in enumerate(columns, start=1) if c.key in TEXT_KEYS}
    sheet.append([c.header + ("*" if c.required else "") for c in columns], style=HEADER_STYLE)
    example = {
        "full_name": EXAMPLE_MARK + "张三",
        "gender": "男",
        "birth_date": "1970-01-01",
        "ethnicity": "汉族",
        "id_number": EXAMPLE_ID_BASE + id_check_character(EXAMPLE_ID_BASE),
        "mobile": "13800000000",
        "affiliation": bodies["affiliations"][0] if bodies["affiliations"] else "",
        "sector": bodies["sectors"][0] if bodies["sectors"] else "",
        "employer_title": "某某大学教授",
        "is_standing_committee_member": NO,
        "special_committees": "、".join(bodies["committees"][:1]),
        "groups": "、".join(bodies["groups"][:1]),
        "recommending_body": "",
        "is_active": YES,
    }
    sheet.append([example[c.key] for c in columns], style=EXAMPLE_STYLE, text_columns=text_columns)
    for _row in range(TEMPLATE_ROWS - 1):
        sheet.append([None] * len(columns), text_columns=text_columns)


# The options sheet's columns: gender, yes/no, sectors, affiliations.
def _option_lists(bodies: dict[str, list[str]]) -> list[list[str]]:
    return [["男", "女"], [YES, NO], bodies["sectors"], bodies["affiliations"]]


def _fill_options(sheet: SheetWriter, bodies: dict[str, list[str]]) -> None:
    sheet.append(["性别", "是/否", "界别", "党派团体"])
    lists = _option_lists(bodies)
    for index in range(max(len(values) for values in lists)):
        sheet.append([values[index] if index < len(values) else None for values in lists])
    sheet.hide()


def _add_dropdowns(roster: SheetWriter, options: SheetWriter, bodies: dict[str, list[str]]) -> None:
    position = {c.key: i for i, c in enumerate(COLUMNS, start=1)}
    rows = range(2, TEMPLATE_ROWS + 2)
    lists = _option_lists(bodies)
    for key, source_column in (
        ("gender", 1),
        ("is_standing_committee_member", 2),
        ("is_active", 2),
        ("sector", 3),
        ("affiliation", 4),
    ):
        roster.add_choice_list(
            column=position[key],
            rows=rows,
            source=options,
            source_column=source_column,
            source_rows=range(2, len(lists[source_column - 1]) + 2),
            error=_("Choose a value from the list."),
        )


def _fill_notes(sheet: SheetWriter, columns: tuple[Column, ...], bodies: dict[str, list[str]]) -> None:
    required_id = any(c.key == "id_number" and c.required for c in columns)
    lines = [
        _("Fill in one member per row on the first sheet, starting in row 3. Do not change the header row."),
        _("The example row (its name starts with “（示例）”) is skipped when importing; you may delete it."),
        _("Required columns: 姓名 and 性别 (男 or 女)."),
        *([_("This council also requires 身份证号 for every member.")] if required_id else []),
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
        _("Special committees of this council:") + " " + ("、".join(bodies["committees"]) or "-"),
        _("Member groups of this council:") + " " + ("、".join(bodies["groups"]) or "-"),
    ]
    sheet.append([_("How to fill in the roster")], style=Style(bold=True))
    for line in lines:
        sheet.append([line])


def build_export(members: Iterable[Member], *, full_personal_data: bool) -> bytes:
    """The roster as a workbook in the template's columns plus the term, so
    that an export can be imported again. Personal numbers are masked unless
    full_personal_data."""
    book = WorkbookWriter()
    sheet = book.add_sheet(ROSTER_SHEET)
    sheet.append([c.header for c in COLUMNS] + [TERM_HEADER])
    for member in members:
        values = _export_values(member, full_personal_data=full_personal_data)
        sheet.append([values[c.key] for c in COLUMNS] + [member.term.number])
    return book.to_bytes()


def _export_values(member: Member, *, full_personal_data: bool) -> dict[str, Any]:
    return {
        "full_name": member.full_name,
        "gender": GENDER_LABELS.get(member.gender, member.gender),  # type: ignore[call-overload]
        "birth_date": member.birth_date.isoformat() if member.birth_date else "",
        "ethnicity": member.ethnicity,
        "id_number": member.id_number if full_personal_data else member.masked_id_number,
        "mobile": member.mobile if full_personal_data else member.masked_mobile,
        "affiliation": member.affiliation.name if member.affiliation else "",
        "sector": member.sector.name if member.sector else "",
        "employer_title": member.employer_title,
        "is_standing_committee_member": yes_no_text(member.is_standing_committee_member),
        "special_committees": "、".join(c.name for c in member.special_committees.all()),
        "groups": "、".join(g.name for g in member.groups.all()),
        "recommending_body": member.recommending_body,
        "is_active": yes_no_text(member.is_active),
    }
