"""The duty pages over HTTP: who sees what, forms, preview, publish, exports."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xieshang.core.models import AuditEntry, Notification
from xieshang.core.testing import Expect, assert_same_not_found, parse_html, run_permission_matrix
from xieshang.councils.navigation import MENU, bottom_bar, side_nav
from xieshang.councils.tests.factories import CouncilRoleFactory, MemberFactory, UserFactory
from xieshang.duty import actions
from xieshang.duty.actions import open_assessment, rebuild_duty_records
from xieshang.duty.models import DutyAssessment, DutyRecord, DutyScore, ScoringRule
from xieshang.duty.scoring import DEFAULT_RULES
from xieshang.duty.states import AssessmentStatus, DutyKind
from xieshang.duty.tests.conftest import YEAR, DutyWorld, file_proposal, moment

OK, DENIED, MISSING = Expect(200), Expect(403), Expect(404)


def url(name: str, **kwargs: object) -> str:
    return reverse(f"duty:{name}", kwargs={"council_slug": "city", **kwargs})


def everyone(**overrides: Expect) -> dict[str, Expect]:
    base = {
        "admin": DENIED,
        "staff": DENIED,
        "leader": DENIED,
        "member": DENIED,
        "liaison": DENIED,
        "oversight": DENIED,
        "upper": DENIED,
        "outsider": MISSING,
        "platform": DENIED,
        "anonymous": Expect(302),
    }
    return {**base, **overrides}


def records() -> list[tuple[object, ...]]:
    return list(DutyRecord.objects.order_by("id").values_list("id", "kind", "points", "member_id"))


def test_only_members_and_leaders_open_my_duty_and_members_see_their_own_points(
    world: DutyWorld, clients: dict[str, Client]
) -> None:
    rebuild_duty_records(world.cast.city, YEAR)
    run_permission_matrix(
        clients=clients,
        method="get",
        url=url("mine"),
        # A leader without a seat is told they have no duty record.
        expectations=everyone(member=OK, leader=OK),
        snapshot=records,
    )
    page = clients["member"].get(url("mine"), {"year": YEAR})
    assert page.context["summary"].score.total == 60 + 25
    assert page.context["summary"].council_median == 60 + 10  # 李 85, 王 70 (co-signer), 赵 60 (idle)
    body = page.content.decode()
    assert "王委员" not in body and "赵委员" not in body
    assert 'data-chart="duty-kind-chart"' in body


def test_a_member_filters_their_records_by_kind(world: DutyWorld, clients: dict[str, Client]) -> None:
    rebuild_duty_records(world.cast.city, YEAR)
    page = clients["member"].get(url("mine"), {"year": YEAR, "kind": DutyKind.PROPOSAL_ACCEPTED})
    assert [r.kind for r in page.context["page"].object_list] == [DutyKind.PROPOSAL_ACCEPTED]


def test_a_member_cannot_open_another_members_record_and_it_looks_missing(
    world: DutyWorld, clients: dict[str, Client]
) -> None:
    assert_same_not_found(clients["member"], url("member", pk=world.cosigner.pk), url("member", pk=999999))
    assert clients["member"].get(url("member", pk=world.member.pk)).status_code == 200


def test_staff_and_leaders_see_any_member_and_the_overview(
    world: DutyWorld, clients: dict[str, Client]
) -> None:
    for name in ("staff", "leader", "admin"):
        assert clients[name].get(url("member", pk=world.cosigner.pk)).status_code == 200
    run_permission_matrix(
        clients=clients,
        method="get",
        url=url("overview"),
        expectations=everyone(admin=OK, staff=OK, leader=OK, platform=OK),
        snapshot=records,
    )


def test_overview_ranks_and_lists_members_without_activity_in_constant_queries(
    world: DutyWorld, clients: dict[str, Client], django_assert_max_num_queries: object
) -> None:
    rebuild_duty_records(world.cast.city, YEAR)
    page = clients["staff"].get(url("overview"), {"year": YEAR})
    ranking = page.context["data"].ranking
    assert [r.member.full_name for r in ranking[:2]] == ["李委员", "王委员"]
    assert world.idle in page.context["data"].no_activity
    for _ in range(5):
        MemberFactory(council=world.cast.city, term=world.cast.term)
    with django_assert_max_num_queries(30):  # type: ignore[operator]
        clients["staff"].get(url("overview"), {"year": YEAR})


def test_staff_add_a_manual_record_with_evidence_and_reviewer(
    world: DutyWorld, clients: dict[str, Client]
) -> None:
    evidence = SimpleUploadedFile("证明.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n")
    data = {
        "kind": DutyKind.OFFLINE,
        "points": 4,
        "occurred_on": f"{YEAR}-05-20",
        "description": "参加社区议事协商",
        "reviewer": world.cast.leader.pk,
        "evidence": evidence,
    }
    run_permission_matrix(
        clients=clients,
        method="post",
        url=url("record_add", pk=world.member.pk),
        data=lambda: {**data, "evidence": SimpleUploadedFile("证明.pdf", evidence.file.getvalue())},  # type: ignore[attr-defined]
        expectations=everyone(staff=Expect(302, changes=True), member=DENIED),
        snapshot=records,
    )
    record = DutyRecord.objects.get(is_manual=True)
    assert (record.points, record.reviewer_id, record.created_by_id) == (
        4,
        world.cast.leader.pk,
        world.cast.staff.pk,
    )
    page = clients["member"].get(url("record", pk=record.pk))
    evidence_link = page.context["evidence"][0]
    assert (
        clients["member"].get(url("evidence", pk=record.pk, attachment_id=evidence_link.pk)).status_code
        == 200
    )
    assert (
        clients["liaison"].get(url("evidence", pk=record.pk, attachment_id=evidence_link.pk)).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"reviewer": "liaison"}, "reviewer"),
        ({"description": ""}, "description"),
        ({"points": "abc"}, "points"),
        ({"occurred_on": "1999-01-01"}, "year"),
    ],
)
def test_bad_manual_records_are_refused_next_to_the_field(
    world: DutyWorld, clients: dict[str, Client], change: dict[str, str], field: str
) -> None:
    data: dict[str, object] = {
        "kind": DutyKind.OFFLINE,
        "points": 4,
        "occurred_on": f"{YEAR}-05-20",
        "description": "参加社区议事协商",
        "reviewer": world.cast.leader.pk,
    }
    if change.get("reviewer") == "liaison":
        data["reviewer"] = world.cast.liaison.pk
    else:
        data.update(change)
    page = clients["staff"].post(url("record_add", pk=world.member.pk), data)
    assert page.status_code == 200
    assert not DutyRecord.objects.exists()
    assert page.context["form"].errors


def test_records_of_another_council_are_not_found(world: DutyWorld, clients: dict[str, Client]) -> None:
    assert_same_not_found(clients["outsider"], url("member", pk=world.member.pk), url("member", pk=999999))
    other = MemberFactory(council=world.cast.other_city)
    assert clients["staff"].get(url("member", pk=other.pk)).status_code == 404
    assert clients["staff"].post(url("record_add", pk=other.pk), {"points": 1}).status_code == 404


def rules_post(year: int, rows: list[dict[str, object]], **extra: str) -> dict[str, object]:
    data: dict[str, object] = {
        "year": year,
        "form-TOTAL_FORMS": len(rows),
        "form-INITIAL_FORMS": 0,
        "form-MIN_NUM_FORMS": 0,
        "form-MAX_NUM_FORMS": 1000,
        **extra,
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"form-{i}-{key}"] = value
    return data


def test_a_year_without_rules_shows_the_defaults_and_says_so(
    world: DutyWorld, clients: dict[str, Client]
) -> None:
    page = clients["admin"].get(url("rules"), {"year": YEAR})
    assert page.status_code == 200
    assert page.context["is_default"]
    assert b'data-testid="default-rules"' in page.content
    assert page.context["formset"].initial[0] == {
        "kind": DutyKind.BASE,
        "points": 60,
        "cosigner_points": None,
        "cap_per_year": None,
        "shares_cap_of": "",
    }


def test_only_administrators_edit_rules(world: DutyWorld, clients: dict[str, Client]) -> None:
    data = rules_post(YEAR, [{"kind": DutyKind.BASE, "points": 70}], save="1")
    run_permission_matrix(
        clients=clients,
        method="post",
        url=url("rules"),
        data=data,
        expectations=everyone(admin=Expect(302, changes=True), platform=Expect(302, changes=True)),
        snapshot=lambda: list(ScoringRule.objects.values_list("kind", "points")),
        reset=lambda: ScoringRule.objects.all().delete(),
    )


def test_preview_shows_grade_changes_and_saves_nothing(world: DutyWorld, clients: dict[str, Client]) -> None:
    rebuild_duty_records(world.cast.city, YEAR)
    rows = [
        {"kind": DutyKind.BASE, "points": 80},
        {"kind": DutyKind.PROPOSAL_FILED, "points": 10, "cosigner_points": 5, "cap_per_year": 25},
        {
            "kind": DutyKind.PROPOSAL_ACCEPTED,
            "points": 15,
            "cosigner_points": 5,
            "shares_cap_of": DutyKind.PROPOSAL_FILED,
        },
    ]
    page = clients["admin"].post(url("rules"), rules_post(YEAR, rows, preview="1"))
    assert page.status_code == 200
    preview = page.context["preview"]
    # 李 85 → 105, 王 70 → 90 (competent → excellent), 赵 60 → 80, the member with no login 60 → 80.
    assert preview.score_changes == len(preview.rows)
    assert {name for name, _row in page.context["changed_rows"]} >= {"李委员", "王委员", "赵委员"}
    assert not ScoringRule.objects.exists()
    saved = clients["admin"].post(url("rules"), rules_post(YEAR, rows, save="1"))
    assert saved.status_code == 302
    assert ScoringRule.objects.filter(council=world.cast.city, year=YEAR).count() == 3


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{"kind": DutyKind.SPEECH, "points": 5, "cap_per_year": -5}], "cannot be negative"),
        ([{"kind": DutyKind.SPEECH, "points": 5}, {"kind": DutyKind.SPEECH, "points": 3}], "more than once"),
        (
            [{"kind": DutyKind.PROPOSAL_ACCEPTED, "points": 15, "shares_cap_of": DutyKind.PROPOSAL_FILED}],
            "not in the table",
        ),
        ([{"kind": "", "points": 5}], "Choose the item"),
        ([{"kind": DutyKind.SPEECH, "points": ""}], "Enter the points"),
    ],
)
def test_bad_rule_tables_show_a_clear_error_and_keep_the_input(
    world: DutyWorld, clients: dict[str, Client], rows: list[dict[str, object]], message: str
) -> None:
    page = clients["admin"].post(url("rules"), rules_post(YEAR, rows, save="1"))
    assert page.status_code == 200
    assert message in page.content.decode()
    assert not ScoringRule.objects.exists()


def test_assessment_open_adjust_publish_and_members_see_their_result(
    world: DutyWorld, clients: dict[str, Client], django_capture_on_commit_callbacks: object
) -> None:
    run_permission_matrix(
        clients=clients,
        method="post",
        url=url("assessment_open"),
        data={"year": YEAR},
        expectations=everyone(staff=Expect(302, changes=True)),
        snapshot=lambda: list(DutyAssessment.objects.values_list("id", "status")),
    )
    assessment = DutyAssessment.objects.get()
    own = DutyScore.objects.get(member=world.member)
    # Before publishing, the member sees no result.
    page = clients["member"].get(url("mine"), {"year": YEAR})
    assert page.context["result"] is None
    bad = clients["staff"].post(
        url("assessment_adjust", year=YEAR, pk=own.pk), {"adjustment": 5, "reason": ""}
    )
    assert bad.status_code == 400
    assert (
        clients["member"]
        .post(url("assessment_adjust", year=YEAR, pk=own.pk), {"adjustment": 5, "reason": "x"})
        .status_code
        == 403
    )
    done = clients["staff"].post(
        url("assessment_adjust", year=YEAR, pk=own.pk),
        {"adjustment": 5, "reason": "线下调研报告获市领导肯定"},
    )
    assert done.status_code == 302
    own.refresh_from_db()
    assert (own.computed, own.score, own.grade) == (85, 90, "excellent")
    assert AuditEntry.objects.filter(action="duty.score_adjusted").count() == 1
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        published = clients["staff"].post(url("assessment_publish", year=YEAR))
    assert published.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.PUBLISHED
    assert Notification.objects.filter(recipient=world.cast.member, kind="duty").count() == 1
    page = clients["member"].get(url("mine"), {"year": YEAR})
    assert page.context["result"].score == 90
    again = clients["staff"].post(url("assessment_publish", year=YEAR))
    assert again.status_code == 409
    late = clients["staff"].post(
        url("assessment_adjust", year=YEAR, pk=own.pk), {"adjustment": 1, "reason": "x"}
    )
    assert late.status_code == 409


def test_exports_excel_word_and_pdf(world: DutyWorld, clients: dict[str, Client]) -> None:
    open_assessment(actor=world.actor("staff"), year=YEAR)
    excel = clients["staff"].get(url("assessment_export", year=YEAR))
    assert excel.status_code == 200
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(excel.content)).active
    assert sheet is not None
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names[0] == "李委员"
    assert clients["member"].get(url("assessment_export", year=YEAR)).status_code == 403
    word = clients["staff"].get(url("report_docx", pk=world.member.pk), {"year": YEAR})
    assert word.status_code == 200
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert "李委员" in text
    pdf = clients["staff"].get(url("report_pdf", pk=world.member.pk), {"year": YEAR})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # A member gets their own report in any year (test_own_record.py).
    assert clients["member"].get(url("report_docx", pk=world.member.pk), {"year": YEAR}).status_code == 200


def count_queries(client: Client, path: str, params: dict[str, object]) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path, params).status_code == 200
    return len(queries)


def test_list_pages_take_the_same_queries_for_few_and_many_rows(
    world: DutyWorld, clients: dict[str, Client]
) -> None:
    open_assessment(actor=world.actor("staff"), year=YEAR)
    pages = [
        (clients["member"], url("mine")),
        (clients["staff"], url("member", pk=world.member.pk)),
        (clients["staff"], url("overview")),
        (clients["staff"], url("assessment")),
        (clients["member"], "/api/v1/c/city/duty/records"),
    ]
    for client in (clients["member"], clients["staff"]):
        # Each session's first request records the activity (a session write).
        client.get("/accounts/profile/")
    before = [count_queries(client, path, {"year": YEAR}) for client, path in pages]
    for n in range(6):
        extra = MemberFactory(council=world.cast.city, term=world.cast.term)
        file_proposal(world.member, cosigners=(extra,), when=moment(5, n + 1))
    rebuild_duty_records(world.cast.city, YEAR)
    open_assessment(actor=world.actor("staff"), year=YEAR)
    after = [count_queries(client, path, {"year": YEAR}) for client, path in pages]
    assert after == before


def test_navigation_offers_duty_pages_by_role(world: DutyWorld, clients: dict[str, Client]) -> None:
    home = reverse("dashboards:home", kwargs={"council_slug": "city"})
    links = {
        name: clients[name].get(home).content.decode() for name in ("member", "staff", "admin", "liaison")
    }
    assert url("mine") in links["member"] and url("overview") not in links["member"]
    assert url("overview") in links["staff"] and url("assessment") in links["staff"]
    assert url("rules") in links["admin"] and url("rules") not in links["staff"]
    assert "/duty/" not in links["liaison"]


def test_the_phone_bars_me_leads_members_to_their_duty_and_others_to_their_account(
    world: DutyWorld, clients: dict[str, Client]
) -> None:
    home = reverse("dashboards:home", kwargs={"council_slug": "city"})
    member_bar = clients["member"].get(home).context["bottom_bar"]
    liaison_bar = clients["liaison"].get(home).context["bottom_bar"]
    assert member_bar[-1]["url"] == url("mine")
    assert reverse("accounts:profile") not in [item["url"] for item in member_bar]
    # The liaison's modules do not all fit: the bar ends with the menu, and
    # never leads to a duty record they do not have.
    assert liaison_bar[-1]["url_name"] == MENU
    assert not any("/duty/" in item["url"] for item in liaison_bar)
    # A role whose modules all fit in the bar ends it with their account.
    liaison = world.cast.actor("liaison")
    fitting = side_nav(liaison)[:3]
    assert bottom_bar(liaison, fitting)[-1]["url"] == reverse("accounts:profile")
    page = clients["member"].get(url("mine"))
    assert b'data-testid="account-link"' in page.content


def test_the_cached_median_follows_new_records_and_new_rules(
    world: DutyWorld, clients: dict[str, Client]
) -> None:
    rebuild_duty_records(world.cast.city, YEAR)

    def shown_median() -> float:
        return float(clients["member"].get(url("mine"), {"year": YEAR}).context["summary"].council_median)

    assert shown_median() == 70  # 李 85, 王 70, 赵 60
    actions.add_manual_record(
        world.idle,
        actor=world.actor("staff"),
        kind=DutyKind.OFFLINE,
        points=30,
        occurred_on=dt.date(YEAR, 6, 1),
        description="牵头完成重点课题调研",
        reviewer=world.cast.leader,
    )
    assert shown_median() == 85  # 李 85, 王 70, 赵 90
    actions.save_rules(
        actor=world.actor("admin"),
        year=YEAR,
        rules=[replace(r, points=50) if r.kind == DutyKind.BASE else r for r in DEFAULT_RULES],
    )
    assert shown_median() == 75  # 李 75, 王 60, 赵 80


def test_an_account_without_a_member_record_is_told_why_under_a_plain_title(world: DutyWorld) -> None:
    user = UserFactory(username="unlinked")
    CouncilRoleFactory(user=user, council=world.cast.city)
    client = Client()
    client.force_login(user, backend="xieshang.accounts.backends.UsernameOrMobileBackend")
    page = parse_html(client.get(url("mine")).content)
    title = page.one("title")
    assert not title.find_all() and "<" not in title.text and "My duty" in title.text
    assert "not linked to a seated member" in page.one("body").text


def test_the_assessment_history_reads_in_words_not_codes(
    world: DutyWorld, clients: dict[str, Client]
) -> None:
    open_assessment(actor=world.actor("staff"), year=YEAR)
    page = parse_html(clients["staff"].get(url("assessment"), {"year": YEAR}).content)
    history = page.one("section", class_="timeline").text
    assert "Assessment opened" in history
    assert "duty.assessment_opened" not in history
