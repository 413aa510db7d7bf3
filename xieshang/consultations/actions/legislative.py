"""Legislative consultation: a draft regulation (pasted or a .docx) split
into its numbered articles (第一条, 第二条 …); members and invited experts
comment on one article; staff read the comments article by article and
export them for the legislative office."""

from __future__ import annotations

import io
import re
from datetime import datetime

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.consultations.models import (
    ArticleComment,
    Consultation,
    DraftArticle,
    DraftRegulation,
    ExpertInvitation,
)
from xieshang.consultations.permissions import can_comment
from xieshang.core.audit import audit
from xieshang.core.errors import Conflict, require
from xieshang.core.events import history
from xieshang.core.uploads import read_docx_paragraphs
from xieshang.councils.roles import Actor, Perm

MAX_DOCX_BYTES = 10 * 1024 * 1024
INVITATION_SALT = "consultations.expert-invitation"

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}
# An article starts a line: 第十二条, 第一百零三条 or 第12条, then a space or the text.
ARTICLE_START = re.compile(r"^[ \t　]*(第([零〇一二两三四五六七八九十百千]+|\d+)条)[ \t　]*", re.MULTILINE)


def chinese_number(text: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零三 → 103, 12 → 12."""
    if text.isdigit():
        return int(text)
    total, digit = 0, 0
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            total += (digit or 1) * _UNITS[ch]
            digit = 0
        else:
            raise ValueError(text)
    return total + digit


def split_articles(text: str) -> list[tuple[int, str, str]]:
    """The draft's articles as (number, label, text), in order. Chapter
    headings (第一章 …) between articles stay out of the article texts."""
    matches = list(ARTICLE_START.finditer(text))
    out: list[tuple[int, str, str]] = []
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        body_lines = [
            line.strip()
            for line in text[match.end() : end].splitlines()
            if line.strip() and not re.match(r"^[ \t　]*第[零〇一二两三四五六七八九十百千\d]+[章节编]", line)
        ]
        out.append((chinese_number(match.group(2)), match.group(1), "\n".join(body_lines)))
    return out


def docx_text(data: bytes) -> str:
    """The text of an uploaded Word draft, read after core.uploads inspected it."""
    try:
        paragraphs = read_docx_paragraphs(ContentFile(data, name="draft.docx"))
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    return "\n".join(paragraphs)


def can_manage_drafts(actor: Actor, consultation: Consultation) -> bool:
    return actor.has(Perm.MANAGE_CONSULTATIONS) and consultation.council_id == actor.council.pk


@transaction.atomic
def add_draft(consultation: Consultation, *, title: str, text: str, actor: Actor) -> DraftRegulation:
    require(can_manage_drafts(actor, consultation))
    if not title.strip():
        raise ValidationError({"title": _("Enter the title of the draft regulation.")})
    articles = split_articles(text or "")
    if not articles:
        raise ValidationError(
            {"text": _("No articles were found. Articles start with 第一条, 第二条 and so on.")}
        )
    numbers = [n for n, _l, _t in articles]
    if len(set(numbers)) != len(numbers):
        raise ValidationError({"text": _("An article number appears twice in the draft.")})
    draft = DraftRegulation.objects.create(
        council=actor.council,
        consultation=consultation,
        title=title.strip()[:100],
        text=text,
        created_by=actor.user,
    )
    DraftArticle.objects.bulk_create(
        DraftArticle(council=actor.council, draft=draft, number=n, label=label, text=body)
        for n, label, body in articles
    )
    history(consultation, "consultation.draft_added", actor, draft=draft.title, articles=len(articles))
    return draft


def article_of(draft: DraftRegulation, number: int) -> DraftArticle:
    article = DraftArticle.objects.filter(draft=draft, number=number).first()
    if article is None:
        raise Http404(_("The draft has no article %(n)s.") % {"n": number})
    return article


@transaction.atomic
def comment_on_article(
    draft: DraftRegulation,
    *,
    number: int,
    text: str,
    actor: Actor | None = None,
    expert: ExpertInvitation | None = None,
) -> ArticleComment:
    """A member's (actor) or an invited expert's comment on article number."""
    if actor is not None:
        require(can_comment(actor, draft))
        name = actor.member.full_name if actor.member is not None else actor.user.get_full_name()
    else:
        require(expert is not None and expert.draft_id == draft.pk and expert.expires_at > timezone.now())
        name = expert.name  # type: ignore[union-attr]
    article = article_of(draft, number)
    if not (text or "").strip():
        raise ValidationError({"text": _("Write your comment.")})
    comment = ArticleComment.objects.create(
        council=draft.council,
        article=article,
        user=actor.user if actor else None,
        expert=expert,
        author_name=(name or "")[:50],
        text=text.strip(),
    )
    audit("legislative.comment", user=actor.user if actor else None, council=draft.council, obj=comment)
    return comment


@transaction.atomic
def invite_expert(
    draft: DraftRegulation, *, name: str, organisation: str, expires_at: datetime, actor: Actor
) -> tuple[ExpertInvitation, str]:
    """Invite an expert without an account; return the invitation and its
    signed token for the link."""
    require(can_manage_drafts(actor, draft.consultation))
    if not name.strip():
        raise ValidationError({"name": _("Enter the expert's name.")})
    if expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The link must stay valid for some time from now.")})
    invitation = ExpertInvitation.objects.create(
        council=actor.council,
        draft=draft,
        name=name.strip()[:50],
        organisation=organisation.strip()[:100],
        expires_at=expires_at,
    )
    audit("legislative.expert_invited", user=actor.user, council=actor.council, obj=invitation)
    return invitation, expert_token(invitation)


def expert_token(invitation: ExpertInvitation) -> str:
    return signing.dumps({"i": invitation.pk, "d": invitation.draft_id}, salt=INVITATION_SALT)


def invitation_from_token(token: str) -> ExpertInvitation:
    """The invitation a link's token names; Http404 for a forged one,
    Conflict once it has expired."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT)
    except signing.BadSignature as exc:
        raise Http404 from exc
    invitation = (
        ExpertInvitation.objects.select_related("draft__consultation", "council")
        .filter(pk=data.get("i"), draft_id=data.get("d"))
        .first()
    )
    if invitation is None:
        raise Http404
    if invitation.expires_at <= timezone.now():
        raise Conflict(_("This invitation link has expired. Ask the council's staff for a new one."))
    return invitation


def comments_by_article(draft: DraftRegulation) -> list[tuple[DraftArticle, list[ArticleComment]]]:
    articles = list(DraftArticle.objects.filter(draft=draft).order_by("number"))
    grouped: dict[int, list[ArticleComment]] = {a.pk: [] for a in articles}
    for comment in ArticleComment.objects.filter(article__draft=draft).order_by("created_at"):
        grouped[comment.article_id].append(comment)
    return [(a, grouped[a.pk]) for a in articles]


def comment_rows(draft: DraftRegulation) -> list[list[str]]:
    rows = []
    for article, comments in comments_by_article(draft):
        for comment in comments:
            who = comment.author_name + (_(" (expert)") if comment.expert_id else "")
            rows.append(
                [article.label, article.text, who, comment.text, comment.created_at.date().isoformat()]
            )
    return rows


def comments_docx(draft: DraftRegulation) -> bytes:
    from docx import Document

    document = Document()
    document.add_heading(_("Comments on %(title)s") % {"title": draft.title}, level=1)
    for article, comments in comments_by_article(draft):
        if not comments:
            continue
        document.add_heading(article.label, level=2)
        document.add_paragraph(article.text)
        table = document.add_table(rows=1, cols=2)
        table.style = "Table Grid"
        table.rows[0].cells[0].text = _("Commented by")
        table.rows[0].cells[1].text = _("Comment")
        for comment in comments:
            cells = table.add_row().cells
            cells[0].text = comment.author_name + (_(" (expert)") if comment.expert_id else "")
            cells[1].text = comment.text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
