"""The meeting pages over HTTP: who may do what (status and no change when
refused), tenant isolation, query counts, downloads and the check-in page."""

from __future__ import annotations

import datetime as dt
import io
import re
import zlib

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from openpyxl import load_workbook

from xieshang.core.testing import Expect, assert_same_not_found, parse_html, run_permission_matrix
from xieshang.councils.tests.expectations import in_english
from xieshang.meetings.actions.leave import request_leave
from xieshang.meetings.actions.meetings import add_material
from xieshang.meetings.codes import code_for
from xieshang.meetings.models import CheckIn, LeaveRequest, Meeting
from xieshang.meetings.states import LeaveStatus, MeetingStatus
from xieshang.meetings.tests.conftest import BEFORE, World
from xieshang.meetings.tests.factories import START, InvitationFactory, MeetingFactory

DURING = START + dt.timedelta(minutes=5)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def url(name: str, council: str = "city", **kwargs: object) -> str:
    return reverse(f"meetings:{name}", kwargs={"council_slug": council, **kwargs})


def only(allowed: dict[str, Expect], *, refused: int = 403) -> dict[str, Expect]:
    """Every persona refused (403; outsider 404; anonymous to the login) but allowed."""
    out = {
        name: Expect(refused)
        for name in ("admin", "staff", "leader", "member", "liaison", "oversight", "upper", "platform")
    }
    out.update(outsider=Expect(404), anonymous=Expect(302))
    out.update(allowed)
    return out


def meetings_state() -> list[tuple[object, ...]]:
    return sorted(Meeting.objects.values_list("pk", "title", "status", "version"))


@time_machine.travel(BEFORE, tick=False)
def test_only_staff_create_meetings(world: World, clients: dict[str, Client]) -> None:
    data = {
        "kind": "chair_meeting",
        "title": "主席会议",
        "starts_at": "2026-03-12T09:00",
        "ends_at": "2026-03-12T11:00",
        "place": "二楼会议室",
    }
    run_permission_matrix(
        clients=clients,
        method="post",
        url=url("create"),
        data=data,
        expectations=only({"staff": Expect(302, changes=True)}),
        snapshot=meetings_state,
    )
    assert Meeting.objects.filter(title="主席会议", status=MeetingStatus.DRAFT).exists()


@time_machine.travel(BEFORE, tick=False)
def test_only_staff_publish(world: World, clients: dict[str, Client]) -> None:
    draft = MeetingFactory(council=world.cast.city, term=world.cast.term, status=MeetingStatus.DRAFT)
    run_permission_matrix(
        clients=clients,
        method="post",
        url=url("publish", pk=draft.pk),
        # Leaders see every meeting but do not organise them; the others may
        # not see a draft at all.
        expectations=only({"staff": Expect(302, changes=True), "admin": Expect(403), "member": Expect(403)}),
        snapshot=meetings_state,
    )
    draft.refresh_from_db()
    assert draft.status == MeetingStatus.PUBLISHED


@time_machine.travel(BEFORE, tick=False)
def test_only_invited_members_ask_for_leave_over_http(world: World, clients: dict[str, Client]) -> None:
    run_permission_matrix(
        clients=clients,
        method="post",
        url=url("request_leave", pk=world.meeting.pk),
        data={"reason": "在外地出差"},
        expectations=only({"member": Expect(302, changes=True)}),
        snapshot=lambda: list(LeaveRequest.objects.values_list("member_id", "status")),
    )
    assert LeaveRequest.objects.get().member == world.cast.member_record


@time_machine.travel(BEFORE, tick=False)
def test_staff_and_leaders_decide_leave_over_http(world: World, clients: dict[str, Client]) -> None:
    leave = request_leave(world.meeting, actor=world.actor("member"), reason="出差", now=BEFORE)

    def reset() -> None:
        LeaveRequest.objects.filter(pk=leave.pk).update(status=LeaveStatus.PENDING, decided_by=None)

    run_permission_matrix(
        clients=clients,
        method="post",
        url=url("decide_leave", leave_id=leave.pk),
        data={"decision": "approve"},
        expectations=only({"staff": Expect(302, changes=True), "leader": Expect(302, changes=True)}),
        snapshot=lambda: list(LeaveRequest.objects.values_list("status", "decided_by")),
        reset=reset,
    )


@time_machine.travel(BEFORE, tick=False)
def test_who_sees_a_meeting(world: World, clients: dict[str, Client]) -> None:
    # Staff and leaders see all; the invited member sees it; others in the
    # city see it as missing; the province sees only aggregates.
    expectations = only(
        {"staff": Expect(200), "leader": Expect(200), "member": Expect(200), "upper": Expect(403)},
        refused=404,
    )
    run_permission_matrix(
        clients=clients,
        method="get",
        url=url("detail", pk=world.meeting.pk),
        expectations=expectations,
        snapshot=meetings_state,
    )


@time_machine.travel(BEFORE, tick=False)
def test_sheet_and_exports_are_for_staff_and_leaders(world: World, clients: dict[str, Client]) -> None:
    for name in ("sheet", "sheet_xlsx"):
        run_permission_matrix(
            clients=clients,
            method="get",
            url=url(name, pk=world.meeting.pk),
            expectations=only({"staff": Expect(200), "leader": Expect(200)}),
            snapshot=meetings_state,
        )


def test_check_in_page_is_for_members(world: World, clients: dict[str, Client]) -> None:
    with time_machine.travel(DURING, tick=False):
        run_permission_matrix(
            clients=clients,
            method="get",
            url=lambda: url("check_in", code=code_for(world.sitting.pk, DURING)),
            expectations=only({"member": Expect(200, changes=True)}),
            snapshot=lambda: CheckIn.objects.count(),
        )
    assert CheckIn.objects.get().member == world.cast.member_record


def test_outsider_and_cross_council_ids_answer_like_missing(world: World, clients: dict[str, Client]) -> None:
    elsewhere = MeetingFactory(council=world.cast.other_city, status=MeetingStatus.DRAFT)
    missing = 10**9
    # City staff asking for the other city's meeting through their own council.
    assert_same_not_found(clients["staff"], url("detail", pk=elsewhere.pk), url("detail", pk=missing))
    assert_same_not_found(clients["staff"], url("sheet", pk=elsewhere.pk), url("sheet", pk=missing))
    # The other city's staff asking for the city's meeting through their council.
    assert_same_not_found(
        clients["outsider"],
        url("detail", council="othercity", pk=world.meeting.pk),
        url("detail", council="othercity", pk=missing),
    )
    before = meetings_state()
    assert clients["staff"].post(url("publish", pk=elsewhere.pk)).status_code == 404
    assert clients["staff"].post(url("cancel", pk=elsewhere.pk), {"reason": "x"}).status_code == 404
    assert meetings_state() == before


def test_members_do_not_see_meetings_they_are_not_invited_to_or_drafts(
    world: World, clients: dict[str, Client]
) -> None:
    other = MeetingFactory(council=world.cast.city, term=world.cast.term)
    draft = MeetingFactory(council=world.cast.city, term=world.cast.term, status=MeetingStatus.DRAFT)
    InvitationFactory(meeting=draft, member=world.cast.member_record)
    assert_same_not_found(clients["member"], url("detail", pk=other.pk), url("detail", pk=10**9))
    assert_same_not_found(clients["member"], url("detail", pk=draft.pk), url("detail", pk=10**9))


@time_machine.travel(BEFORE, tick=False)
def test_materials_are_served_to_those_who_see_the_meeting_only(
    world: World, clients: dict[str, Client]
) -> None:
    upload = SimpleUploadedFile("会议议程.pdf", PDF, content_type="application/pdf")
    attachment = add_material(world.meeting, actor=world.actor("staff"), upload=upload)
    link = url("material", pk=world.meeting.pk, attachment_id=attachment.pk)
    response = clients["member"].get(link)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert clients["liaison"].get(link).status_code == 404
    assert clients["outsider"].get(link.replace("/c/city/", "/c/othercity/")).status_code == 404


@time_machine.travel(DURING, tick=False)
def test_check_in_page_explains_an_expired_code(world: World, clients: dict[str, Client]) -> None:
    old = code_for(world.sitting.pk, DURING - dt.timedelta(seconds=90))
    response = in_english(clients["member"]).get(url("check_in", code=old))
    assert response.status_code == 400
    assert b"expired" in response.content
    assert not CheckIn.objects.exists()


@time_machine.travel(DURING, tick=False)
def test_check_in_page_says_already_checked_in_on_a_second_scan(
    world: World, clients: dict[str, Client]
) -> None:
    client = in_english(clients["member"])
    code = code_for(world.sitting.pk, DURING)
    assert client.get(url("check_in", code=code)).status_code == 200
    again = client.get(url("check_in", code=code))
    assert again.status_code == 200 and b"already checked in" in again.content
    assert CheckIn.objects.count() == 1


@time_machine.travel(DURING, tick=False)
def test_code_screen_is_an_image_that_refreshes_without_inline_script_or_style(
    world: World, clients: dict[str, Client]
) -> None:
    response = clients["staff"].get(url("code_screen", sitting_id=world.sitting.pk))
    body = response.content.decode()
    assert 'src="data:image/svg+xml' in body
    assert 'hx-trigger="every 5s"' in body
    assert "<script>" not in body and "style=" not in body
    fragment = clients["staff"].get(url("code_fragment", sitting_id=world.sitting.pk)).content.decode()
    assert code_for(world.sitting.pk, DURING) in fragment
    assert clients["member"].get(url("code_fragment", sitting_id=world.sitting.pk)).status_code == 403


@time_machine.travel(BEFORE, tick=False)
def test_leave_asked_after_the_start_shows_the_reason(world: World, clients: dict[str, Client]) -> None:
    client = in_english(clients["member"])
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        response = client.post(url("request_leave", pk=world.meeting.pk), {"reason": "临时有事"}, follow=True)
    assert b"already started" in response.content
    assert not LeaveRequest.objects.exists()


@time_machine.travel(DURING, tick=False)
def test_excel_export_lists_each_invitee_with_status(world: World, clients: dict[str, Client]) -> None:
    clients["member"].get(url("check_in", code=code_for(world.sitting.pk, DURING)))
    response = in_english(clients["staff"]).get(url("sheet_xlsx", pk=world.meeting.pk))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "Full name" and rows[0][-1] == "Attendance"
    assert {(r[0], r[-1]) for r in rows[1:]} == {("李委员", "present"), ("王委员", "absent")}


@time_machine.travel(BEFORE, tick=False)
def test_sign_in_sheet_is_a_pdf_with_chinese_fonts(world: World, clients: dict[str, Client]) -> None:
    response = clients["staff"].get(url("sign_in_pdf", pk=world.meeting.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert any(b"NotoSansCJK" in part for part in pdf_objects(response.content))


def pdf_objects(pdf: bytes) -> list[bytes]:
    """The PDF's streams, inflated where compressed (fonts are named inside)."""
    parts = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            parts.append(zlib.decompress(match[1]))
        except zlib.error:
            parts.append(match[1])
    return parts


def make_meetings(world: World, count: int) -> None:
    for n in range(count):
        meeting = MeetingFactory(
            council=world.cast.city, term=world.cast.term, starts_at=START + dt.timedelta(days=n + 1)
        )
        InvitationFactory(meeting=meeting, member=world.cast.member_record)


@time_machine.travel(BEFORE, tick=False)
@pytest.mark.parametrize("extra", [0, 15])
def test_list_pages_take_constant_queries(
    world: World, clients: dict[str, Client], django_assert_num_queries, extra: int
) -> None:
    make_meetings(world, extra)
    with django_assert_num_queries(LIST_QUERIES):
        assert clients["staff"].get(url("list")).status_code == 200
    with django_assert_num_queries(MINE_QUERIES):
        assert clients["member"].get(url("mine")).status_code == 200


LIST_QUERIES = 11
MINE_QUERIES = 10


@time_machine.travel(DURING, tick=False)
@override_settings(PUBLIC_URL="https://xieshang.example.gov.cn")
def test_the_check_in_code_leads_to_the_public_address(world: World, clients: dict[str, Client]) -> None:
    """Phones scan the code in the meeting room: it names the site's public
    address, not the host the staff screen happened to be opened on."""
    page = parse_html(clients["staff"].get(url("code_screen", sitting_id=world.sitting.pk)).content)
    link = page.one("a", data_testid="check-in-link").attrs["href"]
    code = code_for(world.sitting.pk, DURING)
    assert link == "https://xieshang.example.gov.cn" + url("check_in", code=code)
