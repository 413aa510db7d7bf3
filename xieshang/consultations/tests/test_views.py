"""Consultation pages over HTTP: permission matrices (status and nothing
changed for refusals), tenant isolation, the plan after issue, the chair's
countdown, exports, and query counts on the list pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from xieshang.consultations.actions import consultations as consultation_actions
from xieshang.consultations.actions import outcomes as outcome_actions
from xieshang.consultations.actions import plans as plan_actions
from xieshang.consultations.actions import speeches as speech_actions
from xieshang.consultations.models import (
    Consultation,
    ConsultationPlan,
    Outcome,
    OutcomeInstruction,
    PlanItem,
    PlanSuggestion,
    Speech,
)
from xieshang.consultations.states import ConsultationStatus, ParticipantCategory
from xieshang.consultations.tests.conftest import World
from xieshang.consultations.tests.factories import START, ConsultationFactory
from xieshang.core.models import Notification
from xieshang.core.testing import Expect, assert_same_not_found, run_permission_matrix

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

# Upper staff reach the city only for aggregates (403); other councils see nothing (404).
DENIED_404 = {"upper": Expect(403), "outsider": Expect(404), "anonymous": Expect(302)}


def url(name: str, council: str = "city", **kwargs: Any) -> str:
    return reverse(f"consultations:{name}", kwargs={"council_slug": council, **kwargs})


def plan_in(world: World, status: str) -> tuple[ConsultationPlan, PlanItem]:
    staff = world.actor("staff")
    plan = plan_actions.create_plan(year=2026, title="", actor=staff)
    item = plan_actions.save_plan_item(
        plan,
        values=plan_actions.ItemValues(
            topic="推进城乡融合发展", kind="topic", quarter=3, themes=["乡村振兴"]
        ),
        actor=staff,
    )
    if status in ("in_revision", "approved", "issued"):
        plan_actions.send_plan_for_revision(plan, actor=staff)
    if status in ("approved", "issued"):
        plan_actions.approve_plan(
            plan, approved_on=dt.date(2026, 8, 28), note="", actor=world.actor("leader")
        )
    if status == "issued":
        plan_actions.issue_plan(
            plan, issued_on=dt.date(2026, 9, 1), document_number="市委办发〔2026〕9号", actor=staff
        )
    plan.refresh_from_db()
    return plan, item


def notified(world: World) -> Consultation:
    staff = world.actor("staff")
    consultation = consultation_actions.create_consultation(
        details=consultation_actions.ConsultationDetails(
            kind="topic", topic="推进城乡融合发展", starts_at=START
        ),
        actor=staff,
    )
    consultation_actions.add_participant(
        consultation, category=ParticipantCategory.MEMBER, member=world.cast.member_record, actor=staff
    )
    return consultation_actions.send_notice(consultation, actor=staff)


def sent_outcome(world: World) -> Outcome:
    consultation = ConsultationFactory(
        council=world.cast.city,
        created_by=world.cast.staff,
        status=ConsultationStatus.HELD,
        held_on=dt.date(2026, 8, 20),
    )
    outcome = outcome_actions.write_outcome(
        consultation, kind="recommendation", title="建议案", text="正文", actor=world.actor("staff")
    )
    return outcome_actions.send_outcome(outcome, offices=[world.party_office], actor=world.actor("staff"))


# Permission matrices -----------------------------------------------------------------


def test_who_may_see_a_plan_in_revision(world: World, clients: dict[str, Client]) -> None:
    plan, _item = plan_in(world, "in_revision")
    run_permission_matrix(
        clients=clients,
        method="get",
        url=url("plan", pk=plan.pk),
        snapshot=lambda: None,
        expectations={
            "admin": Expect(403),
            "staff": Expect(200),
            "leader": Expect(200),
            "member": Expect(403),
            "liaison": Expect(403),
            "oversight": Expect(200),
            "platform": Expect(403),
            **DENIED_404,
        },
    )


def test_offices_do_not_see_a_draft_plan(world: World, clients: dict[str, Client]) -> None:
    plan, _item = plan_in(world, "draft")
    assert clients["oversight"].get(url("plan", pk=plan.pk)).status_code == 404
    assert clients["staff"].get(url("plan", pk=plan.pk)).status_code == 200


def test_who_may_approve_a_plan(world: World, clients: dict[str, Client]) -> None:
    plan, _item = plan_in(world, "in_revision")
    run_permission_matrix(
        clients=clients,
        method="post",
        url=url("plan_approve", pk=plan.pk),
        data={"approved_on": "2026-08-28", "note": "第12次主席会议"},
        snapshot=lambda: ConsultationPlan.objects.values_list("status", "approved_on").get(pk=plan.pk),
        expectations={
            "admin": Expect(403),
            "staff": Expect(403),
            "member": Expect(403),
            "liaison": Expect(403),
            "oversight": Expect(403),
            "platform": Expect(403),
            "leader": Expect(302, changes=True),
            **DENIED_404,
        },
    )
    assert ConsultationPlan.objects.get(pk=plan.pk).status == "approved"


def test_who_may_issue_a_plan(world: World, clients: dict[str, Client]) -> None:
    plan, _item = plan_in(world, "approved")
    run_permission_matrix(
        clients=clients,
        method="post",
        url=url("plan_issue", pk=plan.pk),
        data={"issued_on": "2026-09-01", "document_number": "市委办发〔2026〕9号"},
        snapshot=lambda: ConsultationPlan.objects.values_list("status", "issued_on").get(pk=plan.pk),
        expectations={
            "admin": Expect(403),
            "leader": Expect(403),
            "member": Expect(403),
            "liaison": Expect(403),
            "oversight": Expect(403),
            "platform": Expect(403),
            "staff": Expect(302, changes=True),
            **DENIED_404,
        },
    )
    assert ConsultationPlan.objects.get(pk=plan.pk).status == "issued"


def test_who_may_comment_on_a_plan_in_revision(world: World, clients: dict[str, Client]) -> None:
    plan, item = plan_in(world, "in_revision")
    run_permission_matrix(
        clients=clients,
        method="post",
        url=url("plan_suggest", pk=plan.pk),
        data={"item": item.pk, "text": "建议提前", "quarter": "2"},
        snapshot=lambda: PlanSuggestion.objects.count(),
        reset=lambda: PlanSuggestion.objects.all().delete(),
        expectations={
            "admin": Expect(403),
            "staff": Expect(403),
            "leader": Expect(403),
            "member": Expect(403),
            "liaison": Expect(403),
            "platform": Expect(403),
            "oversight": Expect(302, changes=True),
            **DENIED_404,
        },
    )


def test_who_may_see_a_consultation(world: World, clients: dict[str, Client]) -> None:
    consultation = notified(world)
    run_permission_matrix(
        clients=clients,
        method="get",
        url=url("detail", pk=consultation.pk),
        snapshot=lambda: None,
        expectations={
            "admin": Expect(404),
            "staff": Expect(200),
            "leader": Expect(200),
            "member": Expect(200),  # invited
            "liaison": Expect(404),
            "oversight": Expect(404),
            "platform": Expect(404),
            **DENIED_404,
        },
    )


def test_an_uninvited_member_does_not_see_the_consultation(world: World) -> None:
    consultation = notified(world)
    client = Client()
    client.force_login(world.colleague, backend="xieshang.accounts.backends.UsernameOrMobileBackend")
    missing = url("detail", pk=consultation.pk + 1000)
    assert_same_not_found(client, url("detail", pk=consultation.pk), missing)


def test_who_may_send_the_notice(world: World, clients: dict[str, Client]) -> None:
    consultation = notified(world)
    Consultation.objects.filter(pk=consultation.pk).update(status="preparing", notice_sent_at=None)
    run_permission_matrix(
        clients=clients,
        method="post",
        url=url("notice", pk=consultation.pk),
        snapshot=lambda: Consultation.objects.values_list("status", "notice_sent_at").get(pk=consultation.pk),
        expectations={
            "admin": Expect(403),
            "leader": Expect(403),
            "member": Expect(403),
            "liaison": Expect(403),
            "oversight": Expect(403),
            "platform": Expect(403),
            "staff": Expect(302, changes=True),
            **DENIED_404,
        },
    )
    assert Consultation.objects.get(pk=consultation.pk).status == "notified"


def test_who_may_time_a_speech(world: World, clients: dict[str, Client]) -> None:
    consultation = notified(world)
    speech = speech_actions.add_speech(
        consultation, member=world.cast.member_record, kind="booked", title="发言", actor=world.actor("staff")
    )
    run_permission_matrix(
        clients=clients,
        method="post",
        url=url("speech_duration", pk=consultation.pk, speech_id=speech.pk),
        data={"minutes": "9", "seconds": "5"},
        snapshot=lambda: Speech.objects.values_list("duration_seconds", "is_over_time").get(pk=speech.pk),
        expectations={
            "admin": Expect(403),
            "leader": Expect(403),
            "member": Expect(403),
            "liaison": Expect(403),
            "oversight": Expect(403),
            "platform": Expect(403),
            "staff": Expect(302, changes=True),
            **DENIED_404,
        },
    )
    assert Speech.objects.values_list("duration_seconds", "is_over_time").get(pk=speech.pk) == (545, True)


def test_who_may_send_an_outcome(world: World, clients: dict[str, Client]) -> None:
    consultation = ConsultationFactory(council=world.cast.city, created_by=world.cast.staff, status="held")
    outcome = outcome_actions.write_outcome(
        consultation, kind="recommendation", title="建议案", text="正文", actor=world.actor("staff")
    )
    run_permission_matrix(
        clients=clients,
        method="post",
        url=url("outcome_send", pk=outcome.pk),
        data={"offices": [world.party_office.pk]},
        snapshot=lambda: Outcome.objects.values_list("status").get(pk=outcome.pk),
        expectations={
            "admin": Expect(403),
            "leader": Expect(403),
            "member": Expect(403),
            "liaison": Expect(403),
            "oversight": Expect(403),
            "platform": Expect(403),
            "staff": Expect(302, changes=True),
            **DENIED_404,
        },
    )


def test_who_may_record_an_instruction_on_an_outcome(world: World, clients: dict[str, Client]) -> None:
    outcome = sent_outcome(world)
    run_permission_matrix(
        clients=clients,
        method="post",
        url=url("office_outcome", pk=outcome.pk),
        data={
            "form": "instruction",
            "i-leader_name": "张书记",
            "i-level": "city",
            "i-text": "请研究落实。",
            "i-instructed_on": "2026-09-01",
        },
        snapshot=lambda: OutcomeInstruction.objects.count(),
        reset=lambda: OutcomeInstruction.objects.all().delete(),
        expectations={
            "admin": Expect(403),
            "staff": Expect(403),
            "leader": Expect(403),
            "member": Expect(403),
            "liaison": Expect(403),
            "platform": Expect(403),
            "oversight": Expect(302, changes=True),
            **DENIED_404,
        },
    )


# Tenant isolation ------------------------------------------------------------------------


def test_an_oversight_user_acting_for_another_council_gets_404_and_nothing_changes(world: World) -> None:
    outcome = sent_outcome(world)
    plan, item = plan_in(world, "in_revision")
    far = Client()
    far.force_login(world.far_oversight, backend="xieshang.accounts.backends.UsernameOrMobileBackend")
    instruction = {
        "form": "instruction",
        "i-leader_name": "李书记",
        "i-level": "city",
        "i-text": "阅。",
        "i-instructed_on": "2026-09-01",
    }
    before = (
        OutcomeInstruction.objects.count(),
        PlanSuggestion.objects.count(),
        Notification.objects.count(),
    )
    # Through the city's address: no role there.
    assert far.post(url("office_outcome", pk=outcome.pk), instruction).status_code == 404
    assert far.post(url("plan_suggest", pk=plan.pk), {"item": item.pk, "text": "意见"}).status_code == 404
    # Through their own council's address with the city's ids.
    assert far.post(url("office_outcome", "othercity", pk=outcome.pk), instruction).status_code == 404
    assert far.post(url("plan_suggest", "othercity", pk=plan.pk), {"text": "意见"}).status_code == 404
    assert_same_not_found(
        far,
        url("office_outcome", "othercity", pk=outcome.pk),
        url("office_outcome", "othercity", pk=outcome.pk + 999),
    )
    assert (
        OutcomeInstruction.objects.count(),
        PlanSuggestion.objects.count(),
        Notification.objects.count(),
    ) == before


def test_another_councils_staff_get_the_same_404_for_every_object(
    world: World, clients: dict[str, Client]
) -> None:
    plan, _item = plan_in(world, "issued")
    consultation = notified(world)
    outcome = sent_outcome(world)
    outsider = clients["outsider"]
    for name, pk in (("plan", plan.pk), ("detail", consultation.pk), ("outcome", outcome.pk)):
        assert_same_not_found(outsider, url(name, "othercity", pk=pk), url(name, "othercity", pk=pk + 999))
    assert outsider.get(url("list", "othercity")).status_code == 200
    assert "推进城乡融合发展" not in outsider.get(url("list", "othercity")).content.decode()


# The plan after issue ---------------------------------------------------------------------


def test_editing_an_issued_plan_without_a_reason_shows_the_error_and_changes_nothing(
    world: World, clients: dict[str, Client]
) -> None:
    plan, item = plan_in(world, "issued")
    data = {"topic": "改过的题目", "kind": "topic", "quarter": "4", "themes": "乡村振兴", "reason": ""}
    response = clients["staff"].post(url("item_edit", pk=plan.pk, item_id=item.pk), data)
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    item.refresh_from_db()
    assert (item.topic, item.quarter) == ("推进城乡融合发展", 3)
    data["reason"] = "市政府决策时间调整"
    assert clients["staff"].post(url("item_edit", pk=plan.pk, item_id=item.pk), data).status_code == 302
    item.refresh_from_db()
    assert (item.topic, item.quarter) == ("改过的题目", 4)
    page = clients["staff"].get(url("plan", pk=plan.pk)).content.decode()
    assert "市政府决策时间调整" in page


def test_the_plan_exports_as_word_and_pdf(world: World, clients: dict[str, Client]) -> None:
    plan, _item = plan_in(world, "issued")
    docx = clients["oversight"].get(url("plan_export", pk=plan.pk, fmt="docx"))
    assert docx.status_code == 200
    assert docx.content[:2] == b"PK"
    pdf = clients["leader"].get(url("plan_export", pk=plan.pk, fmt="pdf"))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert clients["staff"].get(url("plan_export", pk=plan.pk, fmt="exe")).status_code == 404


def test_the_year_end_report_downloads(world: World, clients: dict[str, Client]) -> None:
    outcome = sent_outcome(world)
    outcome_actions.record_adoption(
        outcome, adoption="adopted", note="已采纳", actor=world.actor("oversight")
    )
    page = clients["leader"].get(url("year_report", year=2026))
    assert page.status_code == 200
    assert "建议案" in page.content.decode()
    assert clients["staff"].get(url("year_report_export", year=2026, fmt="docx")).content[:2] == b"PK"
    assert clients["staff"].get(url("year_report_export", year=2026, fmt="pdf")).content.startswith(b"%PDF")
    assert clients["oversight"].get(url("year_report", year=2026)).status_code == 403


# Pages -----------------------------------------------------------------------------------


def test_the_countdown_uses_a_static_script_and_no_inline_code(
    world: World, clients: dict[str, Client]
) -> None:
    consultation = notified(world)
    speech_actions.add_speech(
        consultation, member=world.cast.member_record, kind="booked", title="发言", actor=world.actor("staff")
    )
    body = clients["staff"].get(url("countdown", pk=consultation.pk)).content.decode()
    assert "js/consultation-countdown.js" in body
    assert 'data-allotted="480"' in body
    assert "<script>" not in body and " style=" not in body


def test_the_detail_page_shows_late_steps(world: World, clients: dict[str, Client]) -> None:
    consultation = ConsultationFactory(
        council=world.cast.city,
        created_by=world.cast.staff,
        notice_due_on=dt.date(2026, 8, 31),
        materials_due_on=dt.date(2026, 9, 8),
    )
    body = clients["staff"].get(url("detail", pk=consultation.pk)).content.decode()
    assert body.count('data-testid="deadline"') == 2
    assert "deadline-overdue" in body


def test_every_page_renders_through_a_whole_consultation(world: World, clients: dict[str, Client]) -> None:
    _plan, item = plan_in(world, "issued")
    staff = clients["staff"]
    response = staff.post(
        url("create") + f"?item={item.pk}",
        {
            "kind": "topic",
            "topic": "推进城乡融合发展",
            "starts_at": "2026-10-19T09:00",
            "place": "常委会议室",
        },
    )
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.plan_item == item
    assert [t.name for t in consultation.themes.all()] == ["乡村振兴"]
    for name in ("list", "plans", "flags", "outcomes"):
        assert staff.get(url(name)).status_code == 200, name
    for name in (
        "detail",
        "edit",
        "participant_add",
        "activity_add",
        "speech_add",
        "countdown",
        "materials_add",
    ):
        assert staff.get(url(name, pk=consultation.pk)).status_code == 200, name
    assert clients["member"].get(url("mine")).status_code == 200
    assert clients["oversight"].get(url("office_inbox")).status_code == 200


def test_list_pages_use_a_fixed_number_of_queries(
    world: World, clients: dict[str, Client], django_assert_num_queries: Any
) -> None:
    for n in range(3):
        ConsultationFactory(council=world.cast.city, created_by=world.cast.staff, topic=f"议题{n}")
    staff = clients["staff"]
    staff.get(url("list"))  # warm the session and the settings cache
    with django_assert_num_queries(10):
        staff.get(url("list"))
    for n in range(3, 8):
        ConsultationFactory(council=world.cast.city, created_by=world.cast.staff, topic=f"议题{n}")
    with django_assert_num_queries(10):
        staff.get(url("list"))
