"""Roster files for the import tests: correct rows of the city's members,
workbooks made of them (written with openpyxl directly, as Excel would),
and posting them to the import page."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from xieshang.councils.models import Member, MemberGroup, SpecialCommittee
from xieshang.councils.roster import COLUMNS
from xieshang.councils.tests.factories import AffiliationFactory, SectorFactory
from xieshang.councils.tests.test_members_validation import make_id

IMPORT = "/c/city/members/import/"
TEMPLATE = "/c/city/members/template.xlsx"
HEADERS = [c.header for c in COLUMNS]


def make_bodies(cast: Any) -> dict[str, Any]:
    """The city's named bodies the rows of row() refer to."""
    return {
        "sector": SectorFactory(council=cast.city, name="教育界"),
        "affiliation": AffiliationFactory(council=cast.city, name="民进"),
        "committee": SpecialCommittee.objects.create(council=cast.city, name="提案委员会"),
        "committee2": SpecialCommittee.objects.create(council=cast.city, name="文史委员会"),
        "group": MemberGroup.objects.create(council=cast.city, name="第一联系小组", kind="contact"),
    }


def row(i: int, **values: Any) -> dict[str, Any]:
    """A correct roster row; values override columns by header."""
    base = {
        "姓名": f"导入委员{i:03d}",
        "性别": "女" if i % 2 else "男",
        "出生日期": "",
        "民族": "汉族",
        "身份证号": make_id("19700101", f"{i:03d}"),
        "手机号": f"1360000{i:04d}",
        "党派团体": "民进",
        "界别": "教育界",
        "工作单位及职务": "市实验中学校长",
        "是否常委": "否",
        "专门委员会": "提案委员会、文史委员会",
        "委员小组": "第一联系小组",
        "推荐单位": "民进市委会",
        "是否在任": "是",
    }
    base.update(values)
    return base


def xlsx(rows: list[dict[str, Any]], headers: list[str] | None = None) -> bytes:
    headers = HEADERS if headers is None else headers
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for values in rows:
        sheet.append([values.get(h, "") for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "roster.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def post(client: Any, cast: Any, content: bytes, name: str = "roster.xlsx") -> Any:
    return client.post(IMPORT, {"term": cast.term.pk, "file": upload(content, name)})


def imported() -> int:
    return Member.objects.filter(full_name__startswith="导入委员").count()


def errors_by_row(response: Any) -> dict[int, list[str]]:
    result = response.context["result"]
    return {e.row_number: list(e.reasons) for e in result.errors}
