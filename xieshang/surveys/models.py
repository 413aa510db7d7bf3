"""Surveys (问卷): the questions, the answers, and running totals.

A response is one row holding all of its answers (JSON, as validated by the
action); the figures never count those rows. Each possible answer of each
question has a Tally row, created when the survey opens and raised with F()
in the same short transaction that stores a response, so the results page
reads a few small tables however many people answered.

Only actions write these rows; pages read them through queries.py.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xieshang.core.fields import EncryptedTextField
from xieshang.core.models import TenantModel
from xieshang.councils.models import HandlingUnit, Member, MemberGroup, Sector, SpecialCommittee
from xieshang.surveys.states import SURVEY_STATUS_CSS, Audience, QuestionKind, SurveyStatus

TITLE_MAX = 100
DESCRIPTION_MAX = 2000
QUESTION_MAX = 300
OPTION_MAX = 200
SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 2000


def new_salt() -> str:
    return secrets.token_hex(16)


class Survey(TenantModel):
    """One questionnaire and whom it asks."""

    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(_("introduction"), max_length=DESCRIPTION_MAX, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=16, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    audience = models.CharField(_("asked"), max_length=16, choices=Audience.choices)
    # Members only: at most one of these narrows "all members".
    sector = models.ForeignKey(
        Sector, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("sector")
    )
    member_group = models.ForeignKey(
        MemberGroup,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("member group"),
    )
    special_committee = models.ForeignKey(
        SpecialCommittee,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("special committee"),
    )
    # Anonymous: no response names its member, unit or mobile number; a
    # keyed hash (HMAC with the server's key and this survey's salt) of who
    # answered is all that is kept, to stop a second answer.
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    salt = models.CharField(max_length=32, default=new_salt, editable=False)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    response_count = models.PositiveIntegerField(default=0)
    copied_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("copied from"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    # When the sweep reminded those who had not answered (once per survey).
    reminded_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opens_at", "-id"]
        verbose_name = _("survey")
        indexes = [models.Index(fields=["council", "status", "closes_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="survey_closes_after_it_opens"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def status_css(self) -> str:
        return SURVEY_STATUS_CSS.get(SurveyStatus(self.status), "status-draft")

    def takes_answers(self, now: dt.datetime) -> bool:
        return self.status == SurveyStatus.OPEN and self.opens_at <= now < self.closes_at


class Question(TenantModel):
    """One question of a survey, in its place."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=QUESTION_MAX)
    required = models.BooleanField(_("must be answered"), default=True)
    # Choice questions: an "other, please say" answer with its own text.
    has_other = models.BooleanField(_("“other, please say”"), default=False)
    min_choices = models.PositiveSmallIntegerField(_("at least"), null=True, blank=True)
    max_choices = models.PositiveSmallIntegerField(_("at most"), null=True, blank=True)
    # Scales and matrices: 1 to scale_max (5 or 10).
    scale_max = models.PositiveSmallIntegerField(_("scale"), default=5)
    # Matrices: the rows rated, each on the scale.
    rows = models.JSONField(_("rows"), default=list, blank=True)
    # Numbers: whole numbers within these bounds, when given.
    min_value = models.IntegerField(_("smallest"), null=True, blank=True)
    max_value = models.IntegerField(_("largest"), null=True, blank=True)

    class Meta:
        ordering = ["survey", "position", "id"]
        verbose_name = _("question")

    def __str__(self) -> str:
        return f"{self.position}. {self.text}"


class Option(TenantModel):
    """One answer to choose from; choosing it may skip to a later question."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(_("option"), max_length=OPTION_MAX)
    skip_to = models.ForeignKey(
        Question,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("then go to"),
    )

    class Meta:
        ordering = ["question", "position", "id"]
        verbose_name = _("option")

    def __str__(self) -> str:
        return self.text


class Tally(TenantModel):
    """A running total of one possible answer of one question.

    key: "answered" (count; total = sum of the values, for scales and
    numbers), "o<option id>", "other", "v<value>" (a scale), "r<row>v<value>"
    (a matrix row)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="tallies")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="tallies")
    key = models.CharField(max_length=24)
    count = models.PositiveBigIntegerField(default=0)
    total = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("running total")
        constraints = [models.UniqueConstraint(fields=["question", "key"], name="tally_unique_key")]


class Response(TenantModel):
    """One person's (or one unit's) answers to a survey."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    # HMAC of who answered (member, unit or mobile number) under the survey's
    # salt: unique per survey, so nobody answers twice.
    respondent_key = models.CharField(max_length=64)
    # Named survey only: who answered.
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(HandlingUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    mobile = EncryptedTextField(_("mobile number"), blank=True)
    answers = models.JSONField(default=dict)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["survey", "id"]
        verbose_name = _("response")
        constraints = [
            models.UniqueConstraint(fields=["survey", "respondent_key"], name="response_once_per_respondent")
        ]


class SurveyCode(TenantModel):
    """A 6-digit SMS code sent to a member of the public for one survey,
    stored hashed; the number itself only as the survey's respondent key."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    respondent_key = models.CharField(max_length=64)
    code_hash = models.CharField(max_length=64)
    ip = models.GenericIPAddressField(null=True, blank=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("survey SMS code")
        indexes = [
            models.Index(fields=["survey", "respondent_key", "created_at"]),
            models.Index(fields=["survey", "ip", "created_at"]),
        ]
