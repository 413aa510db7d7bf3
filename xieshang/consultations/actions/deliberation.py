"""Online deliberation (网络议政): staff open it, members and verified
members of the public post comments and support them, staff moderate, and
the summary goes into the consultation's record.

Members of the public have no account: they prove a mobile number with a
6-digit SMS code (stored hashed, valid 10 minutes, few attempts) and then
act as the one PublicIdentity of that number in this council.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import rjieba
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.accounts.models import User
from xieshang.consultations.models import (
    Consultation,
    Deliberation,
    DeliberationComment,
    DeliberationCommentSupport,
    PublicIdentity,
    VerificationCode,
)
from xieshang.core.audit import audit
from xieshang.core.crypto import blind_index, constant_time_equal, sm3_hex
from xieshang.core.errors import Conflict, require
from xieshang.core.events import history
from xieshang.core.sms import count_code_attempt, new_sms_code, send_sms
from xieshang.core.text import STOP_WORDS
from xieshang.councils.models import Council
from xieshang.councils.queries import get_setting
from xieshang.councils.roles import Actor, Perm
from xieshang.councils.settings_catalog import WORD_SEPARATORS, clean_words

CODE_VALID_FOR = timedelta(minutes=10)
CODE_MAX_ATTEMPTS = 5
MAX_COMMENT_CHARS = 2000
MOBILE_DIGITS = 11

# Staff ---------------------------------------------------------------------


def can_manage_deliberation(actor: Actor, deliberation: Deliberation) -> bool:
    return actor.has(Perm.MANAGE_CONSULTATIONS) and deliberation.council_id == actor.council.pk


def is_open(deliberation: Deliberation, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return deliberation.opens_at <= now < deliberation.closes_at


@transaction.atomic
def open_deliberation(
    consultation: Consultation,
    *,
    topic: str,
    background: str,
    questions: str,
    opens_at: datetime,
    closes_at: datetime,
    public_enabled: bool,
    actor: Actor,
    blocked_words: str = "",
) -> Deliberation:
    require(actor.has(Perm.MANAGE_CONSULTATIONS) and consultation.council_id == actor.council.pk)
    if not topic.strip():
        raise ValidationError({"topic": _("Enter the topic.")})
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": _("The deliberation must close after it opens.")})
    try:
        own_words = clean_words(blocked_words)
    except ValueError as exc:
        raise ValidationError({"blocked_words": str(exc)}) from exc
    deliberation = Deliberation.objects.create(
        council=actor.council,
        consultation=consultation,
        topic=topic.strip()[:100],
        background=background.strip(),
        questions=questions.strip(),
        opens_at=opens_at,
        closes_at=closes_at,
        public_enabled=public_enabled,
        blocked_words="，".join(own_words),
        created_by=actor.user,
    )
    history(consultation, "consultation.deliberation_opened", actor, deliberation=deliberation.pk)
    audit("deliberation.opened", user=actor.user, council=actor.council, obj=deliberation)
    return deliberation


@transaction.atomic
def hide_comment(comment: DeliberationComment, *, reason: str, actor: Actor) -> DeliberationComment:
    comment = (
        DeliberationComment.objects.select_for_update(of=("self",))
        .select_related("deliberation")
        .get(pk=comment.pk)
    )
    require(can_manage_deliberation(actor, comment.deliberation))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the comment is hidden; its author will see the reason.")})
    comment.is_hidden = True
    comment.hidden_reason = reason.strip()[:200]
    comment.save(update_fields=["is_hidden", "hidden_reason"])
    audit(
        "deliberation.comment_hidden",
        user=actor.user,
        council=actor.council,
        obj=comment,
        data={"reason": comment.hidden_reason},
    )
    return comment


@transaction.atomic
def unhide_comment(comment: DeliberationComment, *, actor: Actor) -> DeliberationComment:
    comment = (
        DeliberationComment.objects.select_for_update(of=("self",))
        .select_related("deliberation")
        .get(pk=comment.pk)
    )
    require(can_manage_deliberation(actor, comment.deliberation))
    comment.is_hidden = False
    comment.hidden_reason = ""
    comment.save(update_fields=["is_hidden", "hidden_reason"])
    audit("deliberation.comment_shown", user=actor.user, council=actor.council, obj=comment)
    return comment


# Verification of a mobile number ------------------------------------------


def clean_mobile(raw: str) -> str:
    mobile = "".join(ch for ch in (raw or "") if ch.isdigit())
    if len(mobile) != MOBILE_DIGITS or not mobile.startswith("1"):
        raise ValidationError({"mobile": _("Enter an 11-digit mainland mobile number.")})
    return mobile


def _code_hash(council: Council, mobile_index: str, code: str) -> str:
    return sm3_hex(f"{council.pk}:{mobile_index}:{code}".encode())


@transaction.atomic
def request_code(*, council: Council, mobile: str, ip: str | None) -> VerificationCode:
    """Send a 6-digit code to the mobile number, within the hourly limits
    per number and per address."""
    mobile = clean_mobile(mobile)
    index = blind_index(mobile)
    per_number = int(get_setting(council, "deliberation_codes_per_hour"))
    per_address = int(get_setting(council, "deliberation_codes_per_address_per_hour"))
    since = timezone.now() - timedelta(hours=1)
    recent = VerificationCode.objects.filter(council=council, created_at__gte=since)
    if recent.filter(mobile_index=index).count() >= per_number or (
        ip and recent.filter(ip=ip).count() >= per_address
    ):
        raise Conflict(_("Too many codes were requested. Try again in an hour."))
    code = new_sms_code()
    row = VerificationCode.objects.create(
        council=council,
        mobile_index=index,
        code_hash=_code_hash(council, index, code),
        ip=ip or None,
        expires_at=timezone.now() + CODE_VALID_FOR,
    )
    text = _("%(council)s online deliberation: your code is %(code)s, valid for 10 minutes.") % {
        "council": council.name,
        "code": code,
    }
    transaction.on_commit(lambda: send_sms(mobile, text))
    return row


def verify_code(*, council: Council, mobile: str, code: str, nickname: str) -> PublicIdentity:
    """Check the newest code for the number and return the number's identity,
    creating it with the nickname the first time. A number keeps its one
    identity: another nickname on the same number is refused.

    Every check counts as an attempt, counted before the code is compared
    (count_code_attempt), so parallel guesses cannot pass the limit.
    Not one transaction: a wrong code must count even though the request is
    refused."""
    mobile = clean_mobile(mobile)
    index = blind_index(mobile)
    row = (
        VerificationCode.objects.filter(council=council, mobile_index=index, used_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    now = timezone.now()
    if row is None or row.expires_at <= now:
        raise ValidationError({"code": _("The code has expired. Ask for a new one.")})
    if not count_code_attempt(VerificationCode.objects.filter(pk=row.pk), limit=CODE_MAX_ATTEMPTS):
        raise ValidationError({"code": _("Too many wrong codes. Ask for a new one.")})
    if not constant_time_equal(row.code_hash, _code_hash(council, index, (code or "").strip())):
        raise ValidationError({"code": _("The code is not correct.")})
    nickname = nickname.strip()[:20]
    with transaction.atomic():
        identity = (
            PublicIdentity.objects.select_for_update().filter(council=council, mobile_index=index).first()
        )
        if identity is not None and nickname and nickname != identity.nickname:
            raise Conflict(
                _("This mobile number already takes part as “%(name)s”. One number has one identity.")
                % {"name": identity.nickname}
            )
        if identity is None and not nickname:
            raise ValidationError({"nickname": _("Choose a nickname to show with your comments.")})
        used = VerificationCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now)
        if not used:
            raise ValidationError({"code": _("The code has expired. Ask for a new one.")})
        if identity is None:
            identity = PublicIdentity.objects.create(
                council=council, mobile=mobile, mobile_index=index, nickname=nickname
            )
            audit("deliberation.identity_verified", council=council, obj=identity)
    return identity


# Comments and supports ------------------------------------------------------


@dataclass
class Poster:
    """Who posts or supports: a logged-in member (user) or a public identity."""

    council: Council
    user: User | None = None
    identity: PublicIdentity | None = None
    name: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of_actor(cls, actor: Actor) -> Poster:
        require(actor.has(Perm.SPEAK_AT_CONSULTATIONS) or actor.has(Perm.MANAGE_CONSULTATIONS))
        name = actor.member.full_name if actor.member is not None else actor.user.get_full_name()
        return cls(council=actor.council, user=actor.user, name=name or actor.user.get_username())

    @classmethod
    def of_identity(cls, identity: PublicIdentity) -> Poster:
        return cls(council=identity.council, identity=identity, name=identity.nickname)


def blocked_words_of(deliberation: Deliberation) -> list[str]:
    """The council's blocked words (a setting, for every deliberation) and
    the ones this deliberation adds, lower-cased."""
    council_words = get_setting(deliberation.council, "deliberation_blocked_words")
    own = WORD_SEPARATORS.split(deliberation.blocked_words)
    words = (str(w).strip().lower() for w in (*council_words, *own))
    return list(dict.fromkeys(w for w in words if w))


def blocked_word_in(deliberation: Deliberation, text: str) -> str | None:
    """The first blocked word text contains, if any."""
    lowered = text.lower()
    return next((word for word in blocked_words_of(deliberation) if word in lowered), None)


def _check_may_post(deliberation: Deliberation, poster: Poster) -> None:
    if deliberation.council_id != poster.council.pk:
        raise Conflict(_("This deliberation is not open."))
    if poster.identity is not None and not deliberation.public_enabled:
        raise Conflict(_("This deliberation is open to council members only."))
    if not is_open(deliberation):
        raise Conflict(_("This deliberation is not open now."))


@transaction.atomic
def post_comment(deliberation: Deliberation, *, text: str, poster: Poster) -> DeliberationComment:
    deliberation = Deliberation.objects.select_for_update().get(pk=deliberation.pk)
    _check_may_post(deliberation, poster)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write your comment.")})
    if len(text) > MAX_COMMENT_CHARS:
        raise ValidationError(
            {"text": _("A comment has at most %(n)s characters.") % {"n": MAX_COMMENT_CHARS}}
        )
    blocked = blocked_word_in(deliberation, text)
    if blocked is not None:
        raise ValidationError(
            {
                "text": _("The comment contains “%(word)s”, which is not allowed here. Please rephrase it.")
                % {"word": blocked}
            }
        )
    limit = int(get_setting(deliberation.council, "deliberation_comments_per_hour"))
    mine = DeliberationComment.objects.filter(
        council=deliberation.council, created_at__gte=timezone.now() - timedelta(hours=1)
    )
    mine = mine.filter(user=poster.user) if poster.user else mine.filter(identity=poster.identity)
    if mine.count() >= limit:
        raise Conflict(_("You have posted %(n)s comments in the last hour. Try again later.") % {"n": limit})
    comment = DeliberationComment.objects.create(
        council=deliberation.council,
        deliberation=deliberation,
        user=poster.user,
        identity=poster.identity,
        author_name=poster.name[:50],
        text=text,
    )
    audit("deliberation.comment_posted", user=poster.user, council=deliberation.council, obj=comment)
    return comment


@transaction.atomic
def support_comment(comment: DeliberationComment, *, poster: Poster) -> DeliberationComment:
    comment = (
        DeliberationComment.objects.select_for_update(of=("self",))
        .select_related("deliberation")
        .get(pk=comment.pk)
    )
    _check_may_post(comment.deliberation, poster)
    if comment.is_hidden:
        raise Conflict(_("This comment is hidden."))
    if (poster.user is not None and comment.user_id == poster.user.pk) or (
        poster.identity is not None and comment.identity_id == poster.identity.pk
    ):
        raise Conflict(_("You cannot support your own comment."))
    try:
        with transaction.atomic():
            DeliberationCommentSupport.objects.create(
                council=comment.council, comment=comment, user=poster.user, identity=poster.identity
            )
    except IntegrityError as exc:
        raise Conflict(_("You already support this comment.")) from exc
    DeliberationComment.objects.filter(pk=comment.pk).update(support_count=F("support_count") + 1)
    comment.refresh_from_db(fields=["support_count"])
    return comment


# Summary ---------------------------------------------------------------------


@dataclass
class Summary:
    comments: int
    participants: int
    supports: int
    ranking: list[DeliberationComment]
    words: list[tuple[str, int]]


def summarise(deliberation: Deliberation, *, top: int = 10, word_count: int = 20) -> Summary:
    """Counts, the most supported visible comments, and the most frequent
    words of the visible comments (stop words and single characters left out)."""
    visible = DeliberationComment.objects.filter(deliberation=deliberation, is_hidden=False)
    rows = list(visible.values_list("text", "user_id", "identity_id", "support_count"))
    authors = {(u, i) for _t, u, i, _s in rows}
    counts: Counter[str] = Counter()
    for text, *_rest in rows:
        for word in rjieba.cut(text):
            word = word.strip().lower()
            if len(word) > 1 and word not in STOP_WORDS and any(ch.isalnum() for ch in word):
                counts[word] += 1
    return Summary(
        comments=len(rows),
        participants=len(authors),
        supports=sum(s for *_r, s in rows),
        ranking=list(visible.order_by("-support_count", "created_at")[:top]),
        words=counts.most_common(word_count),
    )


@transaction.atomic
def record_summary(deliberation: Deliberation, *, actor: Actor) -> Deliberation:
    """Add the summary to the consultation's record (its history)."""
    deliberation = (
        Deliberation.objects.select_for_update(of=("self",))
        .select_related("consultation")
        .get(pk=deliberation.pk)
    )
    require(can_manage_deliberation(actor, deliberation))
    summary = summarise(deliberation)
    deliberation.summary_recorded_at = timezone.now()
    deliberation.save(update_fields=["summary_recorded_at"])
    history(
        deliberation.consultation,
        "consultation.deliberation_summary",
        actor,
        deliberation=deliberation.topic,
        comments=summary.comments,
        participants=summary.participants,
        supports=summary.supports,
        words="、".join(w for w, _n in summary.words[:10]),
        top=[o.text[:60] for o in summary.ranking[:5]],
    )
    return deliberation
