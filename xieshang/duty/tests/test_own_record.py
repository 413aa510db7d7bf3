"""Leaders are members too, and every member takes their own duty report
away: who opens "my duty", who downloads which report, and the buttons."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from xieshang.core.models import AuditEntry
from xieshang.core.testing import Expect, parse_html, run_permission_matrix
from xieshang.councils.tests.factories import MemberFactory
from xieshang.duty.actions import rebuild_duty_records
from xieshang.duty.models import DutyRecord
from xieshang.duty.tests.conftest import YEAR, DutyWorld

pytestmark = pytest.mark.django_db

OK, MISSING = Expect(200), Expect(404)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def url(name: str, **kwargs: object) -> str:
    return reverse(f"duty:{name}", kwargs={"council_slug": "city", **kwargs})


def state() -> tuple[list[tuple[object, ...]], int]:
    rows = list(DutyRecord.objects.order_by("id").values_list("id", "kind", "points", "member_id"))
    return rows, AuditEntry.objects.count()


def test_a_chair_who_holds_a_seat_opens_their_own_record(
    world: DutyWorld, clients: dict[str, Client]
) -> None:
    seat = MemberFactory(
        council=world.cast.city, term=world.cast.term, user=world.cast.leader, full_name="周主席"
    )
    rebuild_duty_records(world.cast.city, YEAR)
    page = clients["leader"].get(url("mine"), {"year": YEAR})
    assert page.status_code == 200
    assert page.context["member"] == seat and page.context["is_own"] is True
    tree = parse_html(page.content)
    assert tree.one("a", data_testid="report-docx").attrs["href"].startswith(url("report_docx", pk=seat.pk))


def test_a_leader_without_a_seat_is_told_so(world: DutyWorld, clients: dict[str, Client]) -> None:
    page = clients["leader"].get(url("mine"))
    assert page.status_code == 200
    assert "member" not in page.context or page.context.get("member") is None


def test_a_member_finds_the_report_buttons_on_their_page_before_the_year_is_assessed(
    world: DutyWorld, clients: dict[str, Client]
) -> None:
    rebuild_duty_records(world.cast.city, YEAR)
    tree = parse_html(clients["member"].get(url("mine"), {"year": YEAR}).content)
    assert (
        tree.one("a", data_testid="report-docx").attrs["href"]
        == url("report_docx", pk=world.member.pk) + f"?year={YEAR}"
    )
    assert (
        tree.one("a", data_testid="report-pdf").attrs["href"]
        == url("report_pdf", pk=world.member.pk) + f"?year={YEAR}"
    )


@pytest.mark.parametrize("kind", ["report_docx", "report_pdf"])
def test_who_downloads_a_members_report(world: DutyWorld, clients: dict[str, Client], kind: str) -> None:
    rebuild_duty_records(world.cast.city, YEAR)
    target = url(kind, pk=world.member.pk) + f"?year={YEAR}"
    run_permission_matrix(
        clients=clients,
        method="get",
        url=target,
        expectations={
            "member": OK,  # their own
            "staff": OK,
            "admin": OK,
            "leader": OK,
            "platform": OK,
            "liaison": MISSING,
            "oversight": MISSING,
            "upper": MISSING,
            "outsider": MISSING,
            "anonymous": Expect(302),
        },
        snapshot=state,
    )


def test_a_member_downloads_their_own_report_without_the_unpublished_score(
    world: DutyWorld, clients: dict[str, Client]
) -> None:
    rebuild_duty_records(world.cast.city, YEAR)
    word = clients["member"].get(url("report_docx", pk=world.member.pk), {"year": YEAR})
    assert word.status_code == 200 and word["Content-Type"] == DOCX
    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert "李委员" in text
    pdf = clients["member"].get(url("report_pdf", pk=world.member.pk), {"year": YEAR})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_member_gets_no_file_of_another_member(world: DutyWorld, clients: dict[str, Client]) -> None:
    rebuild_duty_records(world.cast.city, YEAR)
    before = state()
    for kind in ("report_docx", "report_pdf"):
        response = clients["member"].get(url(kind, pk=world.cosigner.pk), {"year": YEAR})
        assert response.status_code == 404
        assert "attachment" not in response.get("Content-Disposition", "")
    assert state() == before
