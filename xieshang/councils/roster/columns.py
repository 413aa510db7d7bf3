"""The roster's columns, the headers each answers to, and reading cell
values as text, dates, yes/no and lists.

Headers are Chinese whatever the page language: they are the file format
council offices exchange, and a roster exported in one language must import
in the other.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from xieshang.core.textinput import normalise_text
from xieshang.councils.models import Council, Gender
from xieshang.councils.queries import get_setting

ROSTER_SHEET = "委员名册"
TERM_HEADER = "届次"
YES = "是"
NO = "否"
GENDER_WORDS = {"男": Gender.MALE, "女": Gender.FEMALE, "male": Gender.MALE, "female": Gender.FEMALE}
GENDER_LABELS = {Gender.MALE: "男", Gender.FEMALE: "女"}
YES_WORDS = {"是", "y", "yes", "1", "true", "√"}
NO_WORDS = {"否", "n", "no", "0", "false", "×"}
LIST_SEPARATORS = re.compile(r"[、,，;；/\n]+")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
# A cell quoted back in a message: enough to find it, never the whole cell.
QUOTED_CHARS = 30


@dataclass(frozen=True)
class Column:
    """One roster column: its header in the template and the other headers
    council offices commonly give it."""

    key: str
    header: str
    required: bool = False
    width: int = 14
    synonyms: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column("full_name", "姓名", required=True, width=12, synonyms=("名字", "委员姓名")),
    Column("gender", "性别", required=True, width=8),
    Column("birth_date", "出生日期", width=12, synonyms=("出生年月日", "生日")),
    Column("ethnicity", "民族", width=8),
    Column("id_number", "身份证号", width=22, synonyms=("身份证", "身份证号码", "公民身份号码", "证件号码")),
    Column("mobile", "手机号", width=14, synonyms=("手机", "手机号码", "移动电话", "联系电话")),
    Column("affiliation", "党派团体", width=14, synonyms=("党派", "所属党派", "党派/团体", "党派及团体")),
    Column("sector", "界别", width=16, synonyms=("所属界别",)),
    Column(
        "employer_title",
        "工作单位及职务",
        width=30,
        synonyms=("单位职务", "单位及职务", "工作单位和职务", "工作单位职务", "单位及职务职称"),
    ),
    Column("is_standing_committee_member", "是否常委", width=10, synonyms=("常委",)),
    Column("special_committees", "专门委员会", width=20, synonyms=("专委会", "所属专门委员会", "所属专委会")),
    Column("groups", "委员小组", width=20, synonyms=("小组", "所属小组", "联系小组")),
    Column("recommending_body", "推荐单位", width=20, synonyms=("推荐方",)),
    Column("is_active", "是否在任", width=10, synonyms=("在任",)),
)
BY_HEADER = {name: c for c in COLUMNS for name in (c.header, *c.synonyms)}
# Headers the roster itself writes but does not read: the term is chosen on the import page.
UNREAD_HEADERS = frozenset({TERM_HEADER})


def columns_for(council: Council) -> tuple[Column, ...]:
    """The columns as this council fills them in: 身份证号 is required where
    the council's roster_id_number_required setting says so."""
    if not get_setting(council, "roster_id_number_required"):
        return COLUMNS
    return tuple(dataclasses.replace(c, required=True) if c.key == "id_number" else c for c in COLUMNS)


@dataclass(frozen=True)
class HeaderMatch:
    """Where each known column is, and the headers that matched none (or a
    column already matched): their data is not imported."""

    positions: dict[str, int]
    ignored: tuple[str, ...]


def clean_header(value: Any) -> str:
    """A header as written, without blanks (姓  名), the template's required
    mark (姓名*) or a note in brackets (出生日期（年月日）)."""
    text = re.sub(r"\s+", "", text_of(value)).rstrip("*＊")
    return re.sub(r"[（(][^（()）]*[)）]$", "", text) or text


def match_headers(header_row: Sequence[Any]) -> HeaderMatch:
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for index, value in enumerate(header_row):
        header = clean_header(value)
        if not header or header in UNREAD_HEADERS:
            continue
        column = BY_HEADER.get(header)
        if column is None or column.key in positions:
            ignored.append(quote(value))
        else:
            positions[column.key] = index
    return HeaderMatch(positions=positions, ignored=tuple(ignored))


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalise_text(str(value))


def quote(value: Any) -> str:
    """value as text to quote in a message, cut to QUOTED_CHARS characters."""
    text = text_of(value)
    return text if len(text) <= QUOTED_CHARS else text[:QUOTED_CHARS] + "…"


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = text_of(value)
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def yes_no(value: Any, default: bool) -> bool:
    text = text_of(value).lower()
    if not text:
        return default
    if text in YES_WORDS:
        return True
    if text in NO_WORDS:
        return False
    raise ValueError(text)


def yes_no_text(value: bool) -> str:
    return YES if value else NO


def names_in(value: Any) -> list[str]:
    return [part.strip() for part in LIST_SEPARATORS.split(text_of(value)) if part.strip()]
