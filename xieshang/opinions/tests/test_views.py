"""The pages over HTTP: who may open and do what, the same 404 across
councils, the diff the reporter sees, exports and the statistics."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from xieshang.core.testing import Expect, assert_same_not_found, run_permission_matrix, snapshot_rows
from xieshang.opinions.actions.bulletin import EntrySpec, compose_issue, create_issue, publish_issue
from xieshang.opinions.actions.forwarding import adopt_received, forward_report, record_instruction
from xieshang.opinions.actions.review import edit_report
from xieshang.opinions.models import Forwarding, OpinionReport, ReportInstruction
from xieshang.opinions.tests.conftest import World

pytestmark = pytest.mark.django_db
DENIED = Expect(403)
HIDDEN = Expect(404)
LOGIN = Expect(302)


def url(name: str, council: str = "city", **kwargs: object) -> str:
    return reverse(f"opinions:{name}", kwargs={"council_slug": council, **kwargs})


def test_filing_form_refuses_an_over_long_report_and_keeps_the_text(
    world: World, clients: dict[str, Client]
) -> None:
    response = clients["member"].post(
        url("create"),
        {
            "author": "member",
            "title": "标题",
            "problem": "问" * 1000,
            "analysis": "析" * 501,
            "suggestion": "议",
            "submit": "1",
        },
    )
    assert response.status_code == 200
    assert "1502" in response.content.decode()
    assert "问" * 1000 in response.content.decode()
    assert not OpinionReport.objects.exists()


def test_member_submits_through_the_form(world: World, clients: dict[str, Client]) -> None:
    response = clients["member"].post(
        url("create"),
        {
            "author": "member",
            "title": "关于规范电动自行车停放的建议",
            "problem": "问题",
            "analysis": "分析",
            "suggestion": "建议",
            "submit": "1",
        },
    )
    report = OpinionReport.objects.get()
    assert response.status_code == 302 and report.status == "submitted"


def test_adopt_permission_matrix(world: World, clients: dict[str, Client]) -> None:
    report = world.filed()
    run_permission_matrix(
        clients=clients,
        method="post",
        url=url("adopt", pk=report.pk),
        expectations={
            "anonymous": LOGIN,
            "member": DENIED,
            "leader": DENIED,
            "liaison": DENIED,
            "oversight": DENIED,
            "admin": DENIED,
            # Province staff hold no role in the city: only its aggregates.
            "upper": DENIED,
            "outsider": HIDDEN,
            "platform": DENIED,
            "staff": Expect(302, changes=True),
        },
        snapshot=snapshot_rows(report),
    )
    report.refresh_from_db()
    assert report.status == "adopted"


def test_detail_permission_matrix(world: World, clients: dict[str, Client]) -> None:
    report = world.filed()
    run_permission_matrix(
        clients=clients,
        method="get",
        url=url("detail", pk=report.pk),
        expectations={
            "anonymous": LOGIN,
            "member": Expect(200),
            "staff": Expect(200),
            "leader": Expect(200),
            "liaison": HIDDEN,
            "oversight": HIDDEN,
            "admin": HIDDEN,
            "upper": DENIED,
            "outsider": HIDDEN,
            "platform": HIDDEN,
        },
        snapshot=lambda: OpinionReport.objects.count(),
    )


def test_instruction_permission_matrix(world: World, clients: dict[str, Client]) -> None:
    [sent] = forward_report(
        world.adopted(), actor=world.actor("staff"), target="oversight", offices=[world.city_office]
    )
    data = {
        "leader_name": "王书记",
        "level": "city",
        "text": "请市发改委牵头研究。",
        "instructed_on": "2026-01-05",
    }
    run_permission_matrix(
        clients=clients,
        method="post",
        url=url("office_item", pk=sent.pk),
        data=data,
        expectations={
            "anonymous": LOGIN,
            "member": DENIED,
            "staff": DENIED,
            "leader": DENIED,
            "liaison": DENIED,
            "admin": DENIED,
            "upper": DENIED,
            "outsider": HIDDEN,
            "platform": DENIED,
            "oversight": Expect(302, changes=True),
        },
        snapshot=lambda: ReportInstruction.objects.count(),
    )
    assert ReportInstruction.objects.get().leader_name == "王书记"


def test_a_lower_councils_report_is_the_same_404_for_the_province(
    world: World, clients: dict[str, Client]
) -> None:
    report = world.adopted()
    forward_report(report, actor=world.actor("staff"), target="parent")
    # Even forwarded, the province reads it through its forwarding only.
    assert_same_not_found(
        clients["outsider"], url("detail", "city", pk=report.pk), url("detail", "city", pk=99999)
    )
    assert_same_not_found(
        clients["upper"], url("detail", "province", pk=report.pk), url("detail", "province", pk=99999)
    )


def test_province_queue_shows_the_forwarded_report_and_none_of_the_citys_others(
    world: World, clients: dict[str, Client]
) -> None:
    hidden = world.filed(title="市里未报送的另一条信息")
    report = world.adopted()
    [up] = forward_report(report, actor=world.actor("staff"), target="parent")
    page = clients["upper"].get(url("received", "province")).content.decode()
    assert report.title in page and hidden.title not in page
    queue = clients["upper"].get(url("queue", "province") + "?status=submitted").content.decode()
    assert hidden.title not in queue
    response = clients["upper"].post(url("received_adopt", "province", pk=up.pk))
    assert response.status_code == 302
    up.refresh_from_db()
    assert up.status == "adopted"
    # Other city staff cannot reach the province's forwarding.
    assert clients["outsider"].get(url("received_detail", "othercity", pk=up.pk)).status_code == 404


def test_forward_form_names_the_parent_when_another_council_is_posted(
    world: World, clients: dict[str, Client]
) -> None:
    report = world.adopted()
    response = clients["staff"].post(
        url("forward", pk=report.pk), {"target": "parent", "to_council": world.cast.other_city.pk}
    )
    assert response.status_code == 200
    assert world.cast.province.name in response.content.decode()
    assert not Forwarding.objects.exists()


def test_forwarding_a_submitted_report_answers_409(world: World, clients: dict[str, Client]) -> None:
    report = world.filed()
    response = clients["staff"].post(url("forward", pk=report.pk), {"target": "parent"})
    assert response.status_code == 409
    assert not Forwarding.objects.exists()


def test_reporter_sees_the_edited_text_and_the_changes_escaped(
    world: World, clients: dict[str, Client]
) -> None:
    report = world.filed(problem="原来的问题<b>x</b>")
    edit_report(
        report,
        actor=world.actor("staff"),
        content=world.content(problem="改写的问题<b>x</b>"),
        note="精简表述",
    )
    page = clients["member"].get(url("detail", pk=report.pk)).content.decode()
    assert 'data-testid="changes"' in page
    assert '<ins class="diff-added">改写</ins>' in page
    assert '<del class="diff-removed">原来</del>' in page
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page
    assert "精简表述" in page


def test_timeline_shows_every_step_to_the_member(world: World, clients: dict[str, Client]) -> None:
    report = world.adopted()
    [up] = forward_report(report, actor=world.actor("staff"), target="parent")
    adopt_received(up, actor=world.actor("upper", "province"))
    from xieshang.opinions.actions.forwarding import forward_received

    [sent] = forward_received(
        up, actor=world.actor("upper", "province"), target="oversight", offices=[world.province_office]
    )
    record_instruction(
        sent,
        actor=world.actor("province_oversight", "province"),
        leader_name="张省长",
        level="province",
        text="请认真研究。",
        instructed_on=dt.date(2026, 1, 2),
    )
    page = clients["member"].get(url("detail", pk=report.pk)).content.decode()
    for text in ("张省长", "请认真研究。", world.cast.province.name, 'data-testid="highest-level"'):
        assert text in page


def test_bulletin_exports_word_and_pdf(world: World, clients: dict[str, Client]) -> None:
    issue = create_issue(actor=world.actor("staff"), year=2026, title="专刊")
    compose_issue(issue, actor=world.actor("staff"), entries=[EntrySpec(world.adopted(), "请有关部门参阅")])
    publish_issue(issue, actor=world.actor("staff"))
    docx = clients["staff"].get(url("issue_export", pk=issue.pk, fmt="docx"))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "关于加强老旧小区加装电梯工作的建议" in text and "请有关部门参阅" in text
    pdf = clients["staff"].get(url("issue_export", pk=issue.pk, fmt="pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # The Chinese font is embedded (subset): far larger than a PDF without it.
    assert len(pdf.content) > 20_000
    pdf_path = settings.VAR_DIR / "bulletin-test.pdf"
    pdf_path.write_bytes(pdf.content)
    assert clients["member"].get(url("issue_export", pk=issue.pk, fmt="pdf")).status_code == 403
    assert (
        clients["outsider"].get(url("issue_export", "othercity", pk=issue.pk, fmt="pdf")).status_code == 404
    )


def test_statistics_page_and_export(
    world: World, clients: dict[str, Client], django_assert_max_num_queries: object
) -> None:
    world.adopted()
    world.filed()
    page = clients["leader"].get(url("statistics") + "?year=" + str(dt.date.today().year))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="filed">2<' in body and 'data-testid="adopted">1<' in body
    export = clients["staff"].get(url("statistics_export"))
    assert export.status_code == 200 and export.content[:2] == b"PK"
    assert clients["member"].get(url("statistics")).status_code == 403


def test_queue_queries_do_not_grow_with_reports(
    world: World, clients: dict[str, Client], django_assert_num_queries: object
) -> None:
    for _ in range(3):
        world.filed()
    client = clients["staff"]
    client.get(url("queue"))
    import django.db
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(django.db.connection) as few:
        client.get(url("queue"))
    for _ in range(5):
        world.filed()
    with CaptureQueriesContext(django.db.connection) as many:
        client.get(url("queue"))
    assert len(many) == len(few)


def test_home_page_lists_opinion_work_for_staff_and_the_office(
    world: World, clients: dict[str, Client]
) -> None:
    world.filed()
    forward_report(
        world.adopted(), actor=world.actor("staff"), target="oversight", offices=[world.city_office]
    )
    home = reverse("dashboards:home", kwargs={"council_slug": "city"})
    assert url("queue") in clients["staff"].get(home).content.decode()
    assert url("office_inbox") in clients["oversight"].get(home).content.decode()
    assert url("queue") not in clients["member"].get(home).content.decode()


PAGE_ACCESS = {
    "mine": {"member"},
    "create": {"member"},
    "queue": {"staff", "leader"},
    "received": {"staff", "leader"},
    "issues": {"staff", "leader"},
    "statistics": {"staff", "leader"},
    "office_inbox": {"oversight"},
}


@pytest.mark.parametrize("page", sorted(PAGE_ACCESS))
def test_list_pages_open_only_to_their_roles(world: World, clients: dict[str, Client], page: str) -> None:
    allowed = PAGE_ACCESS[page]
    expectations = {
        name: Expect(200) if name in allowed else Expect(404) if name == "outsider" else Expect(403)
        for name in (
            "member",
            "staff",
            "leader",
            "liaison",
            "oversight",
            "admin",
            "upper",
            "outsider",
            "platform",
        )
    }
    expectations["anonymous"] = LOGIN
    run_permission_matrix(
        clients=clients,
        method="get",
        url=url(page),
        expectations=expectations,
        snapshot=lambda: OpinionReport.objects.count(),
    )


def test_received_adopt_is_for_the_parent_staff_only(world: World, clients: dict[str, Client]) -> None:
    [up] = forward_report(world.adopted(), actor=world.actor("staff"), target="parent")

    def snapshot() -> str:
        up.refresh_from_db()
        return up.status

    # The city's own staff cannot decide in the province's name, nor reach its page.
    assert clients["staff"].post(url("received_adopt", "province", pk=up.pk)).status_code == 404
    assert clients["staff"].post(url("received_adopt", "city", pk=up.pk)).status_code == 404
    assert clients["outsider"].post(url("received_adopt", "othercity", pk=up.pk)).status_code == 404
    assert snapshot() == "received"
    assert clients["upper"].post(url("received_adopt", "province", pk=up.pk)).status_code == 302
    assert snapshot() == "adopted"


def test_staff_file_for_a_member_and_the_history_says_so(world: World, clients: dict[str, Client]) -> None:
    data = {
        "member": world.cast.member_record.pk,
        "title": "关于农村客运班线的建议",
        "problem": "问题",
        "analysis": "分析",
        "suggestion": "建议",
    }
    assert clients["member"].post(url("file_for_member"), data).status_code == 403
    assert not OpinionReport.objects.exists()
    response = clients["staff"].post(url("file_for_member"), data)
    report = OpinionReport.objects.get()
    assert response.status_code == 302
    assert (report.member, report.filed_by) == (world.cast.member_record, world.cast.member)
    submitted = report_events(report, "opinion.submitted")
    assert submitted[0].data["on_behalf"] is True and submitted[0].actor == world.cast.staff


def report_events(report: OpinionReport, event_type: str) -> list[Any]:
    from xieshang.core.events import timeline

    return [e for e in timeline(report) if e.type == event_type]


PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def test_attachment_is_kept_and_served_only_to_those_who_see_the_report(
    world: World, clients: dict[str, Client]
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from xieshang.core.attachments import attachments_of

    data = {
        "author": "member",
        "title": "关于夜市管理的建议",
        "problem": "问题",
        "analysis": "分析",
        "suggestion": "建议",
    }
    fake = SimpleUploadedFile("照片.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = clients["member"].post(url("create"), {**data, "attachment": fake, "submit": "1"})
    assert response.status_code == 200 and not OpinionReport.objects.exists()
    good = SimpleUploadedFile("调研材料.pdf", PDF, content_type="application/pdf")
    clients["member"].post(url("create"), {**data, "attachment": good, "submit": "1"})
    report = OpinionReport.objects.get()
    [attachment] = attachments_of(report)
    link = url("attachment", pk=report.pk, attachment_id=attachment.pk)
    assert clients["staff"].get(link).status_code == 200
    assert b"".join(clients["member"].get(link).streaming_content) == PDF  # type: ignore[attr-defined]
    assert clients["oversight"].get(link).status_code == 404
    assert clients["outsider"].get(link).status_code == 404


def test_reporter_sees_why_the_report_was_not_adopted(world: World, clients: dict[str, Client]) -> None:
    from xieshang.opinions.actions.review import decline_report

    report = decline_report(world.filed(), actor=world.actor("staff"), reason="与已采用信息重复")
    page = clients["member"].get(url("detail", pk=report.pk)).content.decode()
    assert "与已采用信息重复" in page and 'data-testid="decline-reason"' in page


def test_leaders_read_the_queue_and_bulletin_without_staff_buttons(
    world: World, clients: dict[str, Client]
) -> None:
    for page, button in (("queue", "file-for-member"), ("issues", "create-issue")):
        assert f'data-testid="{button}"' in clients["staff"].get(url(page)).content.decode()
        assert f'data-testid="{button}"' not in clients["leader"].get(url(page)).content.decode()
