"""The audit log's Excel export writes each entry's details as "field: value"
text in the reader's language, never as raw JSON or codes."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from config.detail_labels import detail_text
from xieshang.core.audit import audit

pytestmark = pytest.mark.django_db


def details_column(content: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    column = list(rows[0]).index("Details")
    return [str(row[column] or "") for row in rows[1:]]


def test_the_export_shows_details_as_field_value_text(clients, cast):
    audit(
        "duty.records_rebuilt",
        user=cast.staff,
        council=cast.city,
        data={"year": 2026, "created": 3, "removed": 0, "full_personal_data": True},
    )
    response = clients["admin"].get("/c/city/audit/export/?action=duty.records_rebuilt")
    assert details_column(response.content) == ["created: 3; full personal data: yes; removed: 0; year: 2026"]


def test_nested_filters_lists_and_action_codes_read_as_words():
    text = detail_text({"filters": {"action": "audit.export", "user": "staff"}, "members": [3, 4]})
    assert text == "filters: (action: Audit log exported; user: staff); members: 3, 4"
    assert "{" not in text and "audit.export" not in text


def test_a_field_nobody_named_reads_as_other_detail_not_its_code():
    assert detail_text({"zz_internal_code": 7}) == "other detail: 7"


def test_empty_values_are_left_out():
    assert detail_text({"note": "", "reason": None, "year": 2026}) == "year: 2026"


def test_in_chinese_the_details_use_chinese_words_and_punctuation():
    with translation.override("zh-hans"):
        assert detail_text({"year": 2026, "full_personal_data": False}) == "完整个人信息：否；年度：2026"


def test_in_chinese_nested_details_take_full_width_brackets():
    with translation.override("zh-hans"):
        assert detail_text({"filters": {"year": 2026}}) == "筛选条件：（年度：2026）"
