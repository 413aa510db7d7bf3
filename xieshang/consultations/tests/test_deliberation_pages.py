"""Pages of the online deliberation and the legislative consultation: the
public page without login, moderation seen by author and others, who may
do what, comments on articles and the exports."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from xieshang.consultations.actions import deliberation as actions
from xieshang.consultations.actions import legislative
from xieshang.consultations.models import (
    ArticleComment,
    Deliberation,
    DeliberationComment,
    DeliberationCommentSupport,
)
from xieshang.consultations.tests.conftest import NOW, World
from xieshang.consultations.tests.factories import ConsultationFactory
from xieshang.consultations.tests.test_legislative import DRAFT
from xieshang.core.sms import MemorySmsBackend
from xieshang.core.testing import Expect, assert_same_not_found, run_permission_matrix
from xieshang.councils.tests.expectations import in_english

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def url(name: str, council: str = "city", **kwargs: Any) -> str:
    return reverse(f"consultations:{name}", kwargs={"council_slug": council, **kwargs})


def open_one(world: World, *, public: bool = True) -> Deliberation:
    consultation = ConsultationFactory(council=world.cast.city, created_by=world.cast.staff)
    return actions.open_deliberation(
        consultation,
        topic="如何推进老旧小区改造",
        background="全市有老旧小区三百余个。",
        questions="加装电梯的费用如何分担？",
        opens_at=NOW - dt.timedelta(days=1),
        closes_at=NOW + dt.timedelta(days=14),
        public_enabled=public,
        actor=world.actor("staff"),
    )


def verify(client: Client, item: Deliberation, mobile: str, nickname: str, capture: Any) -> Any:
    MemorySmsBackend.outbox.clear()
    with capture(execute=True):
        client.post(url("deliberation_public_code", pk=item.pk), {"mobile": mobile})
    match = re.search(r"\d{6}", MemorySmsBackend.outbox[-1].text)
    assert match
    return client.post(
        url("deliberation_public_verify", pk=item.pk),
        {"mobile": mobile, "code": match.group(0), "nickname": nickname},
        follow=True,
    )


def test_the_public_verify_by_sms_post_and_support_without_an_account(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    item = open_one(world)
    page = Client().get(url("deliberation_public", pk=item.pk))
    assert page.status_code == 200 and b'data-testid="verify-section"' in page.content
    first, second = in_english(Client()), in_english(Client())
    verify(first, item, "13800138000", "老街坊", django_capture_on_commit_callbacks)
    first.post(url("deliberation_public_post", pk=item.pk), {"text": "<script>alert(1)</script>多装电梯"})
    comment = DeliberationComment.objects.get()
    assert comment.identity is not None and comment.identity.nickname == "老街坊"
    shown = first.get(url("deliberation_public", pk=item.pk)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;多装电梯" in shown and "<script>alert(1)" not in shown
    assert 'data-testid="support"' not in shown  # not on one's own comment
    verify(second, item, "13900139000", "热心人", django_capture_on_commit_callbacks)
    second.post(url("deliberation_public_support", pk=item.pk, comment_id=comment.pk))
    assert DeliberationCommentSupport.objects.filter(comment=comment).count() == 1


def test_a_second_nickname_on_the_same_number_is_refused_on_the_page(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    item = open_one(world)
    verify(in_english(Client()), item, "13800138000", "老街坊", django_capture_on_commit_callbacks)
    other = in_english(Client())
    page = verify(other, item, "13800138000", "新马甲", django_capture_on_commit_callbacks)
    assert "already takes part as “老街坊”" in page.content.decode()
    response = other.post(url("deliberation_public_post", pk=item.pk), {"text": "第二个身份的意见"})
    assert response.status_code == 302 and DeliberationComment.objects.count() == 0


def test_posting_without_verification_changes_nothing(world: World) -> None:
    item = open_one(world)
    response = Client().post(url("deliberation_public_post", pk=item.pk), {"text": "匿名意见"})
    assert response.status_code == 302 and DeliberationComment.objects.count() == 0


def test_the_public_page_exists_only_for_public_deliberations(world: World) -> None:
    members_only = open_one(world, public=False)
    assert Client().get(url("deliberation_public", pk=members_only.pk)).status_code == 404
    public = open_one(world)
    assert Client().get(url("deliberation_public", council="othercity", pk=public.pk)).status_code == 404


def test_a_hidden_comment_shows_its_reason_to_its_author_and_disappears_for_others(
    world: World, clients: dict[str, Client], django_capture_on_commit_callbacks: Any
) -> None:
    item = open_one(world)
    author = Client()
    verify(author, item, "13800138000", "老街坊", django_capture_on_commit_callbacks)
    author.post(url("deliberation_public_post", pk=item.pk), {"text": "卖房广告请联系"})
    comment = DeliberationComment.objects.get()
    response = clients["staff"].post(
        url("comment_hide", pk=item.pk, comment_id=comment.pk), {"reason": "广告与主题无关"}
    )
    assert response.status_code == 302
    assert "广告与主题无关" in author.get(url("deliberation_public", pk=item.pk)).content.decode()
    assert "卖房广告" not in Client().get(url("deliberation_public", pk=item.pk)).content.decode()
    assert "卖房广告" not in clients["member"].get(url("deliberation", pk=item.pk)).content.decode()
    assert "广告与主题无关" in clients["staff"].get(url("deliberation", pk=item.pk)).content.decode()


def test_who_may_hide_a_comment(world: World, clients: dict[str, Client]) -> None:
    item = open_one(world)
    comment = actions.post_comment(item, text="意见", poster=actions.Poster.of_actor(world.actor("member")))
    run_permission_matrix(
        clients=clients,
        method="post",
        url=url("comment_hide", pk=item.pk, comment_id=comment.pk),
        data={"reason": "无关"},
        snapshot=lambda: list(DeliberationComment.objects.values_list("is_hidden", "hidden_reason")),
        reset=lambda: DeliberationComment.objects.update(is_hidden=False, hidden_reason=""),
        expectations={
            "admin": Expect(403),
            "staff": Expect(302, changes=True),
            "leader": Expect(403),
            "member": Expect(403),
            "liaison": Expect(403),
            "oversight": Expect(403),
            "platform": Expect(403),
            "upper": Expect(403),
            "outsider": Expect(404),
            "anonymous": Expect(302),
        },
    )


def test_who_may_post_in_a_members_deliberation(world: World, clients: dict[str, Client]) -> None:
    item = open_one(world, public=False)
    run_permission_matrix(
        clients=clients,
        method="post",
        url=url("comment_post", pk=item.pk),
        data={"text": "委员意见"},
        snapshot=lambda: DeliberationComment.objects.count(),
        reset=lambda: DeliberationComment.objects.all().delete(),
        expectations={
            "admin": Expect(404),
            "staff": Expect(302, changes=True),
            "leader": Expect(403),
            "member": Expect(302, changes=True),
            "liaison": Expect(404),
            "oversight": Expect(404),
            "platform": Expect(404),
            "upper": Expect(404),
            "outsider": Expect(404),
            "anonymous": Expect(302),
        },
    )


def test_another_councils_staff_get_the_same_not_found(world: World, clients: dict[str, Client]) -> None:
    item = open_one(world)
    assert_same_not_found(
        clients["outsider"], url("deliberation", pk=item.pk), url("deliberation", pk=999999)
    )


def test_the_summary_page_shows_counts_a_chart_and_records_into_the_consultation(
    world: World, clients: dict[str, Client]
) -> None:
    item = open_one(world)
    actions.post_comment(
        item, text="加装电梯要公平分摊费用", poster=actions.Poster.of_actor(world.actor("member"))
    )
    page = clients["staff"].get(url("deliberation_summary", pk=item.pk)).content.decode()
    assert 'data-chart="word-chart"' in page and 'id="word-chart"' in page and "电梯" in page
    assert clients["member"].get(url("deliberation_summary", pk=item.pk)).status_code == 403
    clients["staff"].post(url("deliberation_summary_record", pk=item.pk))
    item.refresh_from_db()
    assert item.summary_recorded_at is not None


def test_staff_open_a_deliberation_from_the_consultation_page(
    world: World, clients: dict[str, Client]
) -> None:
    consultation = ConsultationFactory(council=world.cast.city, created_by=world.cast.staff)
    detail = clients["staff"].get(url("detail", pk=consultation.pk)).content.decode()
    assert url("deliberation_create", pk=consultation.pk) in detail
    response = clients["staff"].post(
        url("deliberation_create", pk=consultation.pk),
        {
            "topic": "老旧小区改造",
            "opens_at": "2026-09-01T08:00",
            "closes_at": "2026-09-15T18:00",
            "public_enabled": "on",
        },
    )
    item = Deliberation.objects.get()
    assert response.status_code == 302 and item.public_enabled
    page = clients["member"].get(url("deliberation", pk=item.pk)).content.decode()
    assert "老旧小区改造" in page and 'data-testid="comment-form"' in page


# Legislative ---------------------------------------------------------------


def test_a_comment_on_a_non_existent_article_is_not_found_and_changes_nothing(
    world: World, clients: dict[str, Client]
) -> None:
    consultation = ConsultationFactory(council=world.cast.city, created_by=world.cast.staff)
    draft = legislative.add_draft(consultation, title="条例草案", text=DRAFT, actor=world.actor("staff"))
    missing = clients["member"].post(url("draft_comment", pk=draft.pk, number=3), {"text": "意见"})
    assert missing.status_code == 404 and ArticleComment.objects.count() == 0
    ok = clients["member"].post(url("draft_comment", pk=draft.pk, number=2), {"text": "范围要明确"})
    assert ok.status_code == 302 and ArticleComment.objects.get().article.label == "第二条"


def test_staff_upload_a_word_draft_and_export_the_comments(world: World, clients: dict[str, Client]) -> None:
    from docx import Document

    consultation = ConsultationFactory(council=world.cast.city, created_by=world.cast.staff)
    document = Document()
    for line in DRAFT.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    buffer.name = "draft.docx"
    response = clients["staff"].post(
        url("draft_create", pk=consultation.pk), {"title": "条例草案", "file": buffer}
    )
    assert response.status_code == 302, response.context["form"].errors
    draft = consultation.drafts.get()
    assert draft.articles.count() == 6
    legislative.comment_on_article(draft, number=11, text="网上登记", actor=world.actor("member"))
    xlsx = clients["staff"].get(url("draft_export", pk=draft.pk, fmt="xlsx"))
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    docx = clients["staff"].get(url("draft_export", pk=draft.pk, fmt="docx"))
    assert docx.status_code == 200
    assert clients["member"].get(url("draft_export", pk=draft.pk, fmt="docx")).status_code == 403


def test_an_expert_comments_through_the_link_without_logging_in(
    world: World, clients: dict[str, Client]
) -> None:
    consultation = ConsultationFactory(council=world.cast.city, created_by=world.cast.staff)
    draft = legislative.add_draft(consultation, title="条例草案", text=DRAFT, actor=world.actor("staff"))
    with override_settings(PUBLIC_URL="https://xieshang.example.gov.cn"):
        page = clients["staff"].post(
            url("expert_invite", pk=draft.pk),
            {"name": "周教授", "organisation": "某大学", "expires_at": "2026-09-08T18:00"},
        )
    link = re.search(r'value="(http[^"]+)"', page.content.decode())
    assert link
    # The link is sent to the expert: it names the site's public address.
    path = link.group(1).removeprefix("https://xieshang.example.gov.cn")
    assert path.startswith("/c/city/")
    expert = Client()
    assert expert.get(path).status_code == 200
    expert.post(path, {"article": "1", "text": "立法依据要列明"})
    assert ArticleComment.objects.get().expert is not None
    assert expert.get(path[:-3] + "xx/").status_code == 404
