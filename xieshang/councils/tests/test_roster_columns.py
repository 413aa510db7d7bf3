"""Which columns of a roster are imported: the template's headers and the
names council offices commonly use for them; every other column is named as
not imported, never dropped in silence; and 身份证号 is required where the
council's setting says so."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from xieshang.core.testing import assert_nothing_changed
from xieshang.councils.actions.settings import change_setting
from xieshang.councils.models import Member
from xieshang.councils.tests.expectations import in_english
from xieshang.councils.tests.rosters import (
    HEADERS,
    TEMPLATE,
    errors_by_row,
    imported,
    post,
    row,
    xlsx,
)

pytestmark = pytest.mark.django_db


def renamed(headers: list[str], **names: str) -> list[str]:
    return [names.get(h, h) for h in headers]


def test_usual_synonyms_of_the_headers_are_imported(clients, cast, bodies):
    headers = renamed(HEADERS, 党派团体="党派", 工作单位及职务="单位职务", 手机号="手机号码", 姓名="姓  名")
    values = row(
        1, 党派="民进", 单位职务="市实验中学校长", 手机号码="13600000001", **{"姓  名": "导入委员001"}
    )
    response = post(clients["admin"], cast, xlsx([values], headers=headers))
    assert response.status_code == 302
    member = Member.objects.get(full_name="导入委员001")
    assert member.affiliation == bodies["affiliation"]
    assert member.employer_title == "市实验中学校长"
    assert member.mobile == "13600000001"


def test_a_note_in_brackets_does_not_hide_a_header(clients, cast, bodies):
    header = "工作单位及职务（含职称）"
    values = {**row(1), header: "市实验中学校长、高级教师"}
    response = post(clients["admin"], cast, xlsx([values], headers=renamed(HEADERS, 工作单位及职务=header)))
    assert response.status_code == 302
    assert Member.objects.get(full_name="导入委员001").employer_title == "市实验中学校长、高级教师"


def test_columns_that_are_not_imported_are_named_after_the_import(clients, cast, bodies):
    headers = [*HEADERS, "备注", "职称"]
    with translation.override("en"):
        response = post(
            clients["admin"], cast, xlsx([{**row(1), "备注": "无", "职称": "教授"}], headers=headers)
        )
        assert response.status_code == 302
        shown = [str(m) for m in clients["admin"].get(response["Location"]).context["messages"]]
    assert any("were not imported" in m and "备注、职称" in m for m in shown)
    assert imported() == 1


def test_columns_that_are_not_imported_are_named_beside_the_rows_to_correct(clients, cast, bodies):
    headers = [*HEADERS, "备注"]
    with translation.override("en"), assert_nothing_changed(Member):
        response = post(clients["admin"], cast, xlsx([row(1, 性别="")], headers=headers))
    assert response.context["result"].ignored_columns == ("备注",)
    assert 'data-testid="import-ignored-columns"' in response.content.decode()


def test_a_second_column_for_the_same_field_is_named_as_not_imported(clients, cast, bodies):
    headers = [*HEADERS, "手机"]
    response = post(clients["admin"], cast, xlsx([{**row(1), "手机": "13900000000"}], headers=headers))
    assert response.status_code == 302
    assert Member.objects.get(full_name="导入委员001").mobile == "13600000001"
    shown = [str(m) for m in clients["admin"].get(response["Location"]).context["messages"]]
    assert any("手机" in m for m in shown if m != shown[0])


def test_the_term_column_of_an_export_is_not_reported(clients, cast, bodies):
    response = post(clients["admin"], cast, xlsx([{**row(1), "届次": 14}], headers=[*HEADERS, "届次"]))
    assert response.status_code == 302
    assert len(list(clients["admin"].get(response["Location"]).context["messages"])) == 1


# ---------------------------------------------------------------- 身份证号 required


@pytest.fixture
def id_required(cast):
    change_setting(
        actor=cast.actor("admin"),
        key="roster_id_number_required",
        raw_value="true",
        reason="换届审查需要身份证号",
    )


def test_where_the_council_requires_it_a_roster_without_the_id_column_is_refused(
    clients, cast, bodies, id_required
):
    headers = [h for h in HEADERS if h != "身份证号"]
    with translation.override("en"), assert_nothing_changed(Member):
        response = post(clients["admin"], cast, xlsx([row(1)], headers=headers))
    assert "Missing columns: 身份证号" in response.context["result"].problem


def test_where_the_council_requires_it_an_empty_id_number_is_a_row_error(clients, cast, bodies, id_required):
    with translation.override("en"), assert_nothing_changed(Member):
        response = post(clients["admin"], cast, xlsx([row(1), row(2, 身份证号="")]))
    assert errors_by_row(response) == {3: ["身份证号 is empty; this council requires it."]}


def test_where_the_council_requires_it_the_template_marks_the_id_column(clients, cast, bodies, id_required):
    workbook = load_workbook(io.BytesIO(clients["admin"].get(TEMPLATE).content))
    assert "身份证号*" in [c.value for c in workbook.worksheets[0][1]]
    page = in_english(clients["admin"]).get("/c/city/members/import/").content.decode()
    assert '身份证号 <span class="text-danger">(required)</span>' in page


def test_by_default_the_id_number_may_be_left_empty(clients, cast, bodies):
    assert post(clients["admin"], cast, xlsx([row(1, 身份证号="")])).status_code == 302
    workbook = load_workbook(io.BytesIO(clients["admin"].get(TEMPLATE).content))
    assert "身份证号" in [c.value for c in workbook.worksheets[0][1]]
