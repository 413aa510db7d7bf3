"""Roster import from Excel: the template, checking every row, importing all
or nothing.

Who may do what (cast from conftest.py): the council administrator and the
platform administrator import; staff manage members one by one but do not
import; everyone else is refused, outsiders do not find the council.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from xieshang.core.models import AuditEntry
from xieshang.core.testing import Expect, run_permission_matrix
from xieshang.councils.forms.members import MAX_ROSTER_BYTES
from xieshang.councils.models import Member
from xieshang.councils.roster import read_roster
from xieshang.councils.tests.factories import (
    MemberFactory,
    SectorFactory,
    TermFactory,
)
from xieshang.councils.tests.rosters import (
    HEADERS,
    IMPORT,
    TEMPLATE,
    errors_by_row,
    imported,
    post,
    row,
    upload,
    xlsx,
)
from xieshang.councils.tests.test_members_validation import make_id

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- template


def test_template_has_chinese_headers_an_example_notes_and_dropdowns(clients, cast, bodies):
    response = clients["admin"].get(TEMPLATE)
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers[:2] == ["姓名*", "性别*"]
    assert "身份证号" in headers and "界别" in headers
    assert sheet["A2"].value.startswith("（示例）")
    assert len(workbook.sheetnames) == 3
    options = workbook["选项"]
    assert [c.value for c in options["C"] if c.value] == ["界别", "教育界"]
    assert [c.value for c in options["D"] if c.value] == ["党派团体", "民进"]
    formulas = {dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert "'选项'!$A$2:$A$3" in formulas  # gender
    assert "'选项'!$C$2:$C$2" in formulas  # sectors of this council
    notes = " ".join(str(c.value) for c in workbook["填写说明"]["A"] if c.value)
    assert "提案委员会" in notes and "第一联系小组" in notes


def test_template_lists_only_this_councils_bodies(clients, cast, bodies):
    SectorFactory(council=cast.other_city, name="外市界别")
    workbook = load_workbook(io.BytesIO(clients["admin"].get(TEMPLATE).content))
    assert "外市界别" not in [c.value for c in workbook["选项"]["C"]]


def test_the_filled_in_template_imports_and_its_example_row_is_skipped(clients, cast, bodies):
    workbook = load_workbook(io.BytesIO(clients["admin"].get(TEMPLATE).content))
    sheet = workbook.worksheets[0]
    headers = [str(c.value).rstrip("*") for c in sheet[1]]
    for i in range(2):
        values = row(i)
        sheet.append([values[h] for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = post(clients["admin"], cast, buffer.getvalue())
    assert response.status_code == 302
    assert imported() == 2
    assert not Member.objects.filter(full_name__contains="示例").exists()


# ---------------------------------------------------------------- success


def test_a_correct_roster_is_imported_whole_and_audited(clients, cast, bodies):
    content = xlsx(
        [row(1), row(2, 出生日期=dt.date(1970, 1, 1), 是否常委="是"), row(3, 手机号="", 身份证号="")]
    )
    response = post(clients["admin"], cast, content)
    assert response.status_code == 302
    assert response["Location"] == "/c/city/members/"
    assert imported() == 3
    member = Member.objects.get(full_name="导入委员002")
    assert member.council == cast.city and member.term == cast.term
    assert member.sector == bodies["sector"] and member.affiliation == bodies["affiliation"]
    assert member.is_standing_committee_member is True and member.is_active is True
    assert member.birth_date == dt.date(1970, 1, 1)
    assert member.id_number == make_id("19700101", "002")
    assert member.mobile == "13600000002"
    assert set(member.special_committees.all()) == {bodies["committee"], bodies["committee2"]}
    assert list(member.groups.all()) == [bodies["group"]]
    assert Member.objects.get(full_name="导入委员001").birth_date == dt.date(1970, 1, 1)  # from the ID
    entry = AuditEntry.objects.get(action="member.import")
    assert entry.data == {"count": 3, "file": "roster.xlsx"}
    follow = clients["admin"].get(response["Location"])
    assert any("3" in str(m) for m in follow.context["messages"])


def test_numbers_typed_as_excel_numbers_are_read_as_text(clients, cast, bodies):
    content = xlsx([row(1, 手机号=13600000001)])
    assert post(clients["admin"], cast, content).status_code == 302
    assert Member.objects.get(full_name="导入委员001").mobile == "13600000001"


def test_headers_may_be_in_any_order_with_extra_columns(clients, cast, bodies):
    headers = ["备注", *reversed(HEADERS)]
    content = xlsx([{**row(1), "备注": "忽略"}], headers=headers)
    assert post(clients["admin"], cast, content).status_code == 302
    assert imported() == 1


def test_three_hundred_rows_import_in_one_go(clients, cast, bodies):
    content = xlsx([row(i) for i in range(300)])
    response = post(clients["admin"], cast, content)
    assert response.status_code == 302
    assert imported() == 300
    assert AuditEntry.objects.get(action="member.import").data["count"] == 300


def test_an_admins_export_imports_into_a_new_term(clients, cast, bodies):
    post(clients["admin"], cast, xlsx([row(1), row(2)]))
    exported = clients["admin"].get("/c/city/members/export.xlsx", {"q": "导入委员"}).content
    new_term = TermFactory(council=cast.city, number=15, is_current=False)
    response = clients["admin"].post(IMPORT, {"term": new_term.pk, "file": upload(exported)})
    assert response.status_code == 302
    assert Member.objects.filter(term=new_term).count() == 2


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("bad", "column"),
    [
        ({"姓名": ""}, "姓名"),
        ({"性别": ""}, "性别"),
        ({"性别": "未知"}, "性别"),
        ({"身份证号": "110105197001010010"}, "身份证号"),
        ({"身份证号": "1101051970"}, "身份证号"),
        ({"手机号": "2360000001"}, "手机号"),
        ({"出生日期": "七十年代"}, "出生日期"),
        ({"出生日期": "1971-01-01"}, "出生日期"),
        ({"界别": "不存在的界别"}, "界别"),
        ({"党派团体": "不存在的党派"}, "党派团体"),
        ({"专门委员会": "提案委员会、不存在的委员会"}, "专门委员会"),
        ({"委员小组": "不存在的小组"}, "委员小组"),
        ({"是否常委": "也许"}, "是否常委"),
    ],
)
def test_a_bad_row_is_reported_with_its_number_and_nothing_is_imported(clients, cast, bodies, bad, column):
    content = xlsx([row(1), row(2, **bad), row(3)])
    response = post(clients["admin"], cast, content)
    assert response.status_code == 200
    rows = errors_by_row(response)
    assert list(rows) == [3]  # the header is row 1
    assert any(column in reason for reason in rows[3])
    assert imported() == 0
    assert not AuditEntry.objects.filter(action="member.import").exists()
    body = response.content.decode()
    assert 'data-testid="import-errors"' in body
    assert 'data-row="3"' in body


def test_every_bad_row_is_reported_at_once(clients, cast, bodies):
    content = xlsx([row(1, 姓名=""), row(2), row(3, 手机号="123"), row(4, 性别="", 身份证号="x")])
    response = post(clients["admin"], cast, content)
    rows = errors_by_row(response)
    assert sorted(rows) == [2, 4, 5]
    assert len(rows[5]) == 2  # both reasons for the same row
    assert response.context["result"].rows and imported() == 0


def test_duplicates_inside_the_file_name_the_first_row(clients, cast, bodies):
    first = row(1)
    content = xlsx([first, row(2, 手机号=first["手机号"]), row(3, 身份证号=first["身份证号"])])
    with translation.override("en"):
        response = post(clients["admin"], cast, content)
    rows = errors_by_row(response)
    assert sorted(rows) == [3, 4]
    assert "row 2" in rows[3][0] and "手机号" in rows[3][0]
    assert "row 2" in rows[4][0] and "身份证号" in rows[4][0]
    assert imported() == 0


def test_duplicates_of_members_already_in_the_term_are_refused(clients, cast, bodies):
    existing = MemberFactory(council=cast.city, term=cast.term, id_number=make_id("19700101", "007"))
    content = xlsx([row(1, 手机号=existing.mobile), row(7)])
    rows = errors_by_row(post(clients["admin"], cast, content))
    assert sorted(rows) == [2, 3]
    assert imported() == 0


def test_members_of_another_term_or_council_do_not_count_as_duplicates(clients, cast, bodies):
    old = TermFactory(council=cast.city, number=13, is_current=False)
    MemberFactory(council=cast.city, term=old, mobile="13600000001")
    MemberFactory(council=cast.other_city, term=TermFactory(council=cast.other_city), mobile="13600000002")
    assert post(clients["admin"], cast, xlsx([row(1), row(2)])).status_code == 302


def test_missing_required_columns_are_named(clients, cast, bodies):
    headers = [h for h in HEADERS if h not in ("性别", "姓名")]
    with translation.override("en"):
        response = post(clients["admin"], cast, xlsx([row(1)], headers=headers))
    problem = response.context["result"].problem
    assert "姓名" in problem and "性别" in problem
    assert 'data-testid="import-problem"' in response.content.decode()
    assert imported() == 0


@pytest.mark.parametrize(
    ("content", "name"),
    [
        ("姓名,性别\n张三,男\n".encode(), "roster.xlsx"),
        (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF", "scan.xlsx"),
    ],
)
def test_a_file_that_is_not_excel_is_refused_clearly(clients, cast, bodies, content, name):
    with translation.override("en"):
        response = post(clients["admin"], cast, content, name)
    assert response.status_code == 200
    assert "not an Excel workbook" in response.context["result"].problem
    assert 'data-testid="import-problem"' in response.content.decode()
    assert imported() == 0


def test_an_empty_file_is_refused(clients, cast, bodies):
    response = post(clients["admin"], cast, b"", "empty.xlsx")
    assert [e.code for e in response.context["form"].errors.as_data()["file"]] == ["empty"]
    assert response.context["result"] is None


def test_a_zip_that_is_not_a_workbook_is_refused(clients, cast, bodies):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "不是表格")
    with translation.override("en"):
        response = post(clients["admin"], cast, buffer.getvalue())
    assert "could not be read" in response.context["result"].problem


def test_text_renamed_to_xlsx_gets_a_plain_message(cast):
    with translation.override("en"):
        result = read_roster(io.BytesIO(b"just text"), council=cast.city, term=cast.term)
    assert "not an Excel workbook" in result.problem
    assert not result.is_valid


def test_a_file_over_five_megabytes_is_refused(clients, cast, bodies):
    content = b"PK\x03\x04" + b"0" * MAX_ROSTER_BYTES
    response = post(clients["admin"], cast, content)
    assert [e.code for e in response.context["form"].errors.as_data()["file"]] == ["too_large"]
    assert imported() == 0


def test_another_file_type_is_refused_by_its_name(clients, cast, bodies):
    response = post(clients["admin"], cast, xlsx([row(1)]), "roster.xls")
    assert [e.code for e in response.context["form"].errors.as_data()["file"]] == ["not_xlsx"]


def test_an_empty_sheet_is_refused(clients, cast, bodies):
    workbook = Workbook()
    buffer = io.BytesIO()
    workbook.save(buffer)
    with translation.override("en"):
        response = post(clients["admin"], cast, buffer.getvalue())
    assert "empty" in response.context["result"].problem
    assert imported() == 0


def test_headers_without_rows_are_refused(clients, cast, bodies):
    with translation.override("en"):
        response = post(clients["admin"], cast, xlsx([]))
    assert "no members" in response.context["result"].problem


def test_a_term_of_another_council_is_refused(clients, cast, bodies):
    foreign = TermFactory(council=cast.other_city)
    response = clients["admin"].post(IMPORT, {"term": foreign.pk, "file": upload(xlsx([row(1)]))})
    assert response.status_code == 200
    assert response.context["form"].errors["term"]
    assert imported() == 0


def test_a_number_taken_between_checking_and_importing_rolls_everything_back(cast, bodies):
    from xieshang.councils.actions.members import DuplicateMember, import_members
    from xieshang.councils.models import CouncilRole
    from xieshang.councils.roles import Actor

    result = read_roster(io.BytesIO(xlsx([row(1), row(2)])), council=cast.city, term=cast.term)
    assert result.is_valid
    MemberFactory(council=cast.city, term=cast.term, mobile="13600000002")
    roles = frozenset(CouncilRole.objects.filter(user=cast.admin).values_list("role", flat=True))
    with pytest.raises(DuplicateMember):
        import_members(actor=Actor(user=cast.admin, council=cast.city, roles=roles), rows=result.rows)
    assert imported() == 0


def test_import_permission_matrix(clients, cast, bodies):
    def reset():
        Member.objects.filter(full_name__startswith="导入委员").delete()

    allowed = Expect(302, changes=True)
    run_permission_matrix(
        clients=clients,
        method="post",
        url=IMPORT,
        data=lambda: {"term": cast.term.pk, "file": upload(xlsx([row(1), row(2)]))},
        snapshot=imported,
        reset=reset,
        expectations={
            "admin": allowed,
            "platform": allowed,
            "staff": Expect(403),
            "leader": Expect(403),
            "member": Expect(403),
            "liaison": Expect(403),
            "oversight": Expect(403),
            "upper": Expect(403),
            "outsider": Expect(404),
            "anonymous": Expect(302),
        },
    )


def test_template_download_needs_the_import_permission(clients):
    assert clients["staff"].get(TEMPLATE).status_code == 403
    assert clients["outsider"].get(TEMPLATE).status_code == 404
    assert clients["platform"].get(TEMPLATE).status_code == 200
