"""Consultations (协商): the yearly plan and its items, each consultation
with its participants, research activities and speeches, and the outcome
reports with leaders' instructions and what became of them.

Later parts (online deliberation, legislative articles, joint consultations
with lower councils) attach their own models to Consultation by foreign key;
themes (themes.Theme) carry a topic's continuity across years.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieshang.consultations.states import (
    CONSULTATION_STATUS_CSS,
    OUTCOME_STATUS_CSS,
    PLAN_STATUS_CSS,
    ActivityKind,
    Adoption,
    AmendmentKind,
    ConsultationKind,
    ConsultationStatus,
    OutcomeKind,
    OutcomeStatus,
    ParticipantCategory,
    PlanStatus,
    SpeechKind,
    SuggestionStatus,
)
from xieshang.core.fields import EncryptedTextField
from xieshang.core.models import TenantModel
from xieshang.councils.models import HandlingUnit, Instruction, Member, OversightOffice, SpecialCommittee
from xieshang.themes.models import Theme


class ConsultationPlan(TenantModel):
    """The council's consultation plan for one year (年度协商计划)."""

    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=100)
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    approved_on = models.DateField(_("approved by the chair meeting on"), null=True, blank=True)
    approval_note = models.CharField(_("chair meeting"), max_length=200, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("consultation plan")
        constraints = [
            models.UniqueConstraint(fields=["council", "year"], name="one_consultation_plan_per_year")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_issued(self) -> bool:
        return self.status == PlanStatus.ISSUED

    @property
    def status_css(self) -> str:
        return PLAN_STATUS_CSS.get(self.status, "")


class PlanItem(TenantModel):
    """One consultation the plan foresees."""

    plan = models.ForeignKey(ConsultationPlan, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("number"), default=1)
    topic = models.CharField(_("topic"), max_length=100)
    kind = models.CharField(
        pgettext_lazy("consultation", "kind"), max_length=40, choices=ConsultationKind.choices
    )
    lead_committee = models.ForeignKey(
        SpecialCommittee,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lead special committee"),
    )
    partner_unit = models.ForeignKey(
        HandlingUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("partner government department"),
    )
    quarter = models.PositiveSmallIntegerField(_("planned quarter"))
    decision_expected_on = models.DateField(_("decision expected by"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="plan_items", verbose_name=_("themes"))
    is_withdrawn = models.BooleanField(_("withdrawn"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="plan_item_quarter_1_to_4"
            )
        ]

    def __str__(self) -> str:
        return self.topic


class PlanSuggestion(TenantModel):
    """A comment or proposed change from an oversight office on the plan in
    revision: on an item (item set) or a new item (item empty). Staff accept
    (applying the proposed values) or reject it, with a note."""

    plan = models.ForeignKey(ConsultationPlan, on_delete=models.CASCADE, related_name="suggestions")
    item = models.ForeignKey(
        PlanItem, null=True, blank=True, on_delete=models.CASCADE, related_name="suggestions"
    )
    office = models.ForeignKey(OversightOffice, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"))
    # Proposed values: any of topic, kind, quarter, decision_expected_on (ISO).
    proposed = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:30]


class PlanAmendment(TenantModel):
    """A change to an issued plan, with its reason (the plan's change log)."""

    plan = models.ForeignKey(ConsultationPlan, on_delete=models.CASCADE, related_name="amendments")
    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="amendments")
    kind = models.CharField(max_length=16, choices=AmendmentKind.choices)
    reason = models.CharField(_("reason"), max_length=300)
    changes = models.JSONField(default=dict, blank=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["made_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.reason[:30]}"


class Consultation(TenantModel):
    """One consultation activity, from a plan item or ad hoc."""

    plan_item = models.ForeignKey(
        PlanItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name=_("plan item"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(
        pgettext_lazy("consultation", "kind"), max_length=40, choices=ConsultationKind.choices
    )
    topic = models.CharField(_("topic"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    lead_committee = models.ForeignKey(
        SpecialCommittee,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lead special committee"),
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="consultations", verbose_name=_("themes"))
    status = models.CharField(
        _("status"), max_length=16, choices=ConsultationStatus.choices, default=ConsultationStatus.PREPARING
    )
    # Working-day due dates, stored when the date is set (see actions).
    notice_due_on = models.DateField(_("notice due"))
    materials_due_on = models.DateField(_("materials due"))
    minutes_due_on = models.DateField(_("minutes due"), null=True, blank=True)
    notice_sent_at = models.DateTimeField(null=True, blank=True)
    materials_sent_at = models.DateTimeField(null=True, blank=True)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_sent_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("consultation")
        indexes = [models.Index(fields=["council", "year", "status"])]

    def __str__(self) -> str:
        return self.topic

    @property
    def status_css(self) -> str:
        return CONSULTATION_STATUS_CSS.get(self.status, "")


class Participant(TenantModel):
    """Someone taking part: a member (by their record), or a person who may
    not be a user — government leaders, department people, experts, citizen
    representatives, grassroots workers — recorded with contact details and
    invited by SMS or e-mail."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="participants")
    category = models.CharField(_("category"), max_length=24, choices=ParticipantCategory.choices)
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    handling_unit = models.ForeignKey(
        HandlingUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
    )
    name = models.CharField(_("name"), max_length=50)
    organisation = models.CharField(_("organisation and title"), max_length=100, blank=True)
    phone = EncryptedTextField(_("mobile phone"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["category", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "member"],
                condition=models.Q(member__isnull=False),
                name="consultation_member_once",
            ),
            models.CheckConstraint(
                condition=~models.Q(category="member") | models.Q(member__isnull=False),
                name="member_participant_names_member",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_phone(self) -> str:
        phone = self.phone
        return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 7 else ("****" if phone else "")


class Activity(TenantModel):
    """Pre-consultation research or an inspection (调研 / 视察), with its
    report and the members who took part: each participation counts in the
    members' duty records."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("kind"), max_length=16, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=100)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    report = models.TextField(_("report"), blank=True)
    members = models.ManyToManyField(
        Member, blank=True, related_name="+", verbose_name=_("members taking part")
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.title


class Speech(TenantModel):
    """A member's statement at the consultation, in the order staff set.

    allotted_seconds comes from the council's settings for the kind;
    duration_seconds is what it actually took, and is_over_time says it ran
    past its allotted time."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="speeches")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("member"))
    kind = models.CharField(_("kind"), max_length=16, choices=SpeechKind.choices)
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("text"), blank=True)
    position = models.PositiveSmallIntegerField(default=1)
    allotted_seconds = models.PositiveIntegerField()
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    is_over_time = models.BooleanField(default=False)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["consultation", "position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_delivered(self) -> bool:
        return self.duration_seconds is not None


class Outcome(TenantModel):
    """The report sent to the party committee and government (专报 / 建议案),
    and what became of it (adoption)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="outcomes")
    kind = models.CharField(_("kind"), max_length=24, choices=OutcomeKind.choices)
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=16, choices=OutcomeStatus.choices, default=OutcomeStatus.DRAFT
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    offices = models.ManyToManyField(OversightOffice, blank=True, related_name="+", verbose_name=_("sent to"))
    adoption = models.CharField(
        _("conversion"), max_length=16, choices=Adoption.choices, blank=True, default=""
    )
    adoption_note = models.CharField(_("what became of it"), max_length=500, blank=True)
    adoption_recorded_at = models.DateTimeField(null=True, blank=True)
    follow_up_on = models.DateField(_("ask again on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outcome report")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(adoption="not_adopted") | ~models.Q(adoption_note=""),
                name="outcome_not_adopted_has_reason",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def status_css(self) -> str:
        return OUTCOME_STATUS_CSS.get(self.status, "")


class OutcomeInstruction(Instruction):
    """A leader's written instruction (批示) on an outcome, recorded by a user
    of an office it was sent to. The instruction itself is a
    councils.Instruction row."""

    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="instructions")


# Online deliberation (网络议政) ---------------------------------------------


class Deliberation(TenantModel):
    """An online deliberation opened for a consultation: members, and the
    public when enabled, post comments and support each other's."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="deliberations")
    topic = models.CharField(_("topic"), max_length=100)
    background = models.TextField(_("background"), blank=True)
    questions = models.TextField(_("questions"), blank=True)
    opens_at = models.DateTimeField(_("open from"))
    closes_at = models.DateTimeField(_("open until"))
    public_enabled = models.BooleanField(_("open to the public"), default=False)
    blocked_words = models.TextField(_("blocked words"), blank=True)
    summary_recorded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("online deliberation")

    def __str__(self) -> str:
        return self.topic


class PublicIdentity(TenantModel):
    """A member of the public verified by an SMS code: one per mobile number
    and council, known by a nickname."""

    mobile = EncryptedTextField(_("mobile number"))
    mobile_index = models.CharField(max_length=64)
    nickname = models.CharField(_("nickname"), max_length=20)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["council", "mobile_index"], name="one_public_identity_per_mobile")
        ]

    def __str__(self) -> str:
        return self.nickname


class VerificationCode(TenantModel):
    """A 6-digit SMS code sent to a mobile number, stored hashed."""

    mobile_index = models.CharField(max_length=64)
    code_hash = models.CharField(max_length=64)
    ip = models.GenericIPAddressField(null=True, blank=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["council", "mobile_index", "created_at"])]


class DeliberationComment(TenantModel):
    """A comment (意见) posted in an online deliberation by a member (user)
    or a verified member of the public (identity); not an opinion report
    (社情民意信息), which is the opinions app's."""

    deliberation = models.ForeignKey(Deliberation, on_delete=models.CASCADE, related_name="comments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    identity = models.ForeignKey(
        PublicIdentity, null=True, blank=True, on_delete=models.PROTECT, related_name="comments"
    )
    author_name = models.CharField(max_length=50)
    text = models.TextField(_("comment"))
    support_count = models.PositiveIntegerField(default=0)
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["deliberation", "is_hidden", "-support_count"], name="deliberation_comment_rank_idx"
            )
        ]

    def __str__(self) -> str:
        return self.text[:30]


class DeliberationCommentSupport(TenantModel):
    """One identity's support for one comment."""

    comment = models.ForeignKey(DeliberationComment, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    identity = models.ForeignKey(
        PublicIdentity, null=True, blank=True, on_delete=models.CASCADE, related_name="supports"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "user"],
                condition=models.Q(user__isnull=False),
                name="one_support_per_user",
            ),
            models.UniqueConstraint(
                fields=["comment", "identity"],
                condition=models.Q(identity__isnull=False),
                name="one_support_per_identity",
            ),
        ]


# Legislative consultation --------------------------------------------------


class DraftRegulation(TenantModel):
    """A draft regulation put to consultation, split into numbered articles."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="drafts")
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("text"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("draft regulation")

    def __str__(self) -> str:
        return self.title


class DraftArticle(TenantModel):
    draft = models.ForeignKey(DraftRegulation, on_delete=models.CASCADE, related_name="articles")
    number = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=20)
    text = models.TextField()

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["draft", "number"], name="one_article_per_number")]

    def __str__(self) -> str:
        return self.label


class ExpertInvitation(TenantModel):
    """An expert without an account invited to comment through a signed link."""

    draft = models.ForeignKey(DraftRegulation, on_delete=models.CASCADE, related_name="experts")
    name = models.CharField(_("name"), max_length=50)
    organisation = models.CharField(_("organisation and title"), max_length=100, blank=True)
    expires_at = models.DateTimeField(_("link valid until"))
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class ArticleComment(TenantModel):
    article = models.ForeignKey(DraftArticle, on_delete=models.CASCADE, related_name="comments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    expert = models.ForeignKey(
        ExpertInvitation, null=True, blank=True, on_delete=models.PROTECT, related_name="comments"
    )
    author_name = models.CharField(max_length=50)
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["article__number", "created_at"]


# Joint consultations with lower councils -------------------------------------


class JointInvitation(TenantModel):
    """An upper council (council) invites a lower council to one of its
    consultations; the lower council's staff accept and name participants."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="joint_invitations")
    lower_council = models.ForeignKey(
        "councils.Council", on_delete=models.CASCADE, related_name="+", verbose_name=_("lower council")
    )
    status = models.CharField(max_length=16, default="invited")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    members = models.ManyToManyField(Member, blank=True, related_name="+", verbose_name=_("participants"))

    class Meta:
        ordering = ["-invited_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "lower_council"], name="one_joint_invitation_per_council"
            )
        ]
