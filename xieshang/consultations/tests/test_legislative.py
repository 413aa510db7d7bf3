"""Legislative consultation: splitting a draft into its articles, comments
by members and invited experts on one article, and the exports."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation

from xieshang.consultations.actions import legislative as actions
from xieshang.consultations.models import ArticleComment, DraftRegulation
from xieshang.consultations.tests.conftest import NOW, World
from xieshang.consultations.tests.factories import ConsultationFactory
from xieshang.core.errors import Conflict
from xieshang.core.testing import assert_nothing_changed

pytestmark = pytest.mark.usefixtures("clock")

DRAFT = """某某市养犬管理条例（草案）

第一章　总则

第一条　为了规范养犬行为，保障公民人身健康和安全，维护市容环境和社会公共秩序，
根据有关法律、法规，结合本市实际，制定本条例。

第二条　本市行政区域内的养犬及其相关管理活动，适用本条例。
军队、警察等因工作需要饲养犬只的，不适用本条例。

第二章　养犬登记

第十条 个人饲养犬只的，应当具备完全民事行为能力。
第十一条　饲养犬只应当办理养犬登记。
第二十一条　违反本条例规定的，由公安机关责令改正。
第一百零三条　本条例自2027年1月1日起施行。
"""


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def test_chinese_article_numbers_are_read() -> None:
    cases = {"一": 1, "十": 10, "十二": 12, "二十": 20, "二十一": 21, "一百": 100, "一百零三": 103, "12": 12}
    assert {text: actions.chinese_number(text) for text in cases} == cases


def test_a_real_draft_is_split_into_its_numbered_articles_without_chapter_headings() -> None:
    articles = actions.split_articles(DRAFT)
    assert [(n, label) for n, label, _text in articles] == [
        (1, "第一条"),
        (2, "第二条"),
        (10, "第十条"),
        (11, "第十一条"),
        (21, "第二十一条"),
        (103, "第一百零三条"),
    ]
    assert (
        articles[1][2] == "本市行政区域内的养犬及其相关管理活动，适用本条例。\n"
        "军队、警察等因工作需要饲养犬只的，不适用本条例。"
    )
    assert "第二章" not in articles[1][2]
    assert articles[2][2] == "个人饲养犬只的，应当具备完全民事行为能力。"


def test_a_mention_of_an_article_inside_a_sentence_does_not_start_one() -> None:
    articles = actions.split_articles("第一条　依照本条例第三条规定办理。\n第二条　其他事项。")
    assert [n for n, _l, _t in articles] == [1, 2]
    assert articles[0][2] == "依照本条例第三条规定办理。"


def test_a_draft_from_a_word_file_is_split_too() -> None:
    from docx import Document

    document = Document()
    for line in DRAFT.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    assert len(actions.split_articles(actions.docx_text(buffer.getvalue()))) == 6
    with pytest.raises(ValidationError, match="not a readable Word"):
        actions.docx_text(b"not a docx")


def draft_for(world: World) -> DraftRegulation:
    consultation = ConsultationFactory(council=world.cast.city, created_by=world.cast.staff)
    return actions.add_draft(
        consultation, title="某某市养犬管理条例（草案）", text=DRAFT, actor=world.actor("staff")
    )


def test_staff_add_a_draft_and_text_without_articles_is_refused(world: World) -> None:
    consultation = ConsultationFactory(council=world.cast.city, created_by=world.cast.staff)
    with pytest.raises(ValidationError, match="No articles were found"):
        actions.add_draft(consultation, title="草案", text="没有条文的文字", actor=world.actor("staff"))
    with assert_nothing_changed(consultation, DraftRegulation), pytest.raises(PermissionDenied):
        actions.add_draft(consultation, title="草案", text=DRAFT, actor=world.actor("member"))
    draft = draft_for(world)
    assert draft.articles.count() == 6


def test_a_comment_on_a_non_existent_article_is_a_clear_not_found(world: World) -> None:
    draft = draft_for(world)
    with pytest.raises(Http404, match="no article 3"):
        actions.comment_on_article(draft, number=3, text="意见", actor=world.actor("member"))
    assert ArticleComment.objects.count() == 0


def test_members_comment_on_an_article_and_outsiders_may_not(world: World) -> None:
    draft = draft_for(world)
    comment = actions.comment_on_article(
        draft, number=10, text="建议明确年龄要求。", actor=world.actor("member")
    )
    assert comment.article.label == "第十条"
    with assert_nothing_changed(draft, ArticleComment), pytest.raises(PermissionDenied):
        actions.comment_on_article(draft, number=10, text="意见", actor=world.actor("upper", "province"))
    with pytest.raises(ValidationError, match="Write your comment"):
        actions.comment_on_article(draft, number=10, text=" ", actor=world.actor("member"))


def test_an_invited_expert_comments_through_a_signed_link_until_it_expires(world: World) -> None:
    draft = draft_for(world)
    invitation, token = actions.invite_expert(
        draft,
        name="周教授",
        organisation="某大学法学院",
        expires_at=NOW + dt.timedelta(days=7),
        actor=world.actor("staff"),
    )
    assert actions.invitation_from_token(token) == invitation
    comment = actions.comment_on_article(draft, number=1, text="立法依据应列明。", expert=invitation)
    assert comment.author_name == "周教授"
    with pytest.raises(Http404):
        actions.invitation_from_token(token[:-2] + "xx")
    with time_machine.travel(NOW + dt.timedelta(days=7, seconds=1), tick=False):
        with pytest.raises(Conflict, match="expired"):
            actions.invitation_from_token(token)
        with assert_nothing_changed(draft, ArticleComment), pytest.raises(PermissionDenied):
            actions.comment_on_article(draft, number=1, text="再提一条", expert=invitation)


def test_comments_are_grouped_by_article_and_exported(world: World) -> None:
    draft = draft_for(world)
    actions.comment_on_article(draft, number=11, text="登记应可网上办理。", actor=world.actor("member"))
    actions.comment_on_article(draft, number=1, text="立法目的再精炼。", actor=world.actor("member"))
    actions.comment_on_article(draft, number=11, text="登记费用应公开。", actor=world.actor("staff"))
    grouped = [(a.label, [c.text for c in cs]) for a, cs in actions.comments_by_article(draft) if cs]
    assert grouped == [
        ("第一条", ["立法目的再精炼。"]),
        ("第十一条", ["登记应可网上办理。", "登记费用应公开。"]),
    ]
    rows = actions.comment_rows(draft)
    assert [r[0] for r in rows] == ["第一条", "第十一条", "第十一条"]
    from docx import Document

    text = "\n".join(
        cell.text
        for table in Document(io.BytesIO(actions.comments_docx(draft))).tables
        for row in table.rows
        for cell in row.cells
    )
    assert "登记费用应公开。" in text and "立法目的再精炼。" in text
