"""Proposals (提案): what members file, how staff review and assign them, and
how handling units reply and proposers rate the replies.

Only actions.py writes these rows; pages read them through queries.py.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xieshang.core.models import TenantModel
from xieshang.councils.models import (
    Affiliation,
    HandlingUnit,
    Member,
    MemberGroup,
    NamedBody,
    Sector,
    Session,
    SpecialCommittee,
    Term,
)
from xieshang.proposals.states import (
    FEEDBACK_CHOICES,
    NO_FEEDBACK,
    NUMBERED,
    REPLYING_ROLES,
    STATUS_CSS,
    AssignmentRole,
    ConversionTarget,
    CosignStatus,
    FollowThroughKind,
    FollowUpStatus,
    NoteKind,
    ProposalStatus,
    ReplyStatus,
    Window,
)

# Database ceilings; the council's own (lower) limits come from its settings.
TITLE_MAX = 100
SECTION_MAX = 10000
REASON_MAX = 500


class ProposalCategory(NamedBody):
    """A topic from the council's configured list (经济建设, 社会事业 …)."""

    class Meta(NamedBody.Meta):
        verbose_name = _("proposal category")
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="proposal_category_name_unique")
        ]


class DeclineReason(NamedBody):
    """A configured ground for declining a proposal; the proposer sees it."""

    name = models.CharField(_("reason"), max_length=200)

    class Meta(NamedBody.Meta):
        verbose_name = _("decline reason")
        constraints = [models.UniqueConstraint(fields=["council", "name"], name="decline_reason_unique")]


class ReplyCategory(TenantModel):
    """A configured result category of replies (A / B / C) and its meaning."""

    code = models.CharField(_("code"), max_length=8)
    meaning = models.CharField(_("meaning"), max_length=200)
    # Replies of this category count as implemented (落实率).
    counts_as_implemented = models.BooleanField(_("counts as implemented"), default=False)
    # Proposals concluded with a reply of this category are re-checked the
    # following year (B by default).
    needs_follow_up = models.BooleanField(_("followed up the next year"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("reply category")
        constraints = [models.UniqueConstraint(fields=["council", "code"], name="reply_category_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} · {self.meaning}"


class CaseCounter(TenantModel):
    """The last case number used in one session of one term. Locked with
    select_for_update while accepting, so numbers are gap-free and never reused."""

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="+")
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["term", "session"], name="case_counter_unique")]

    def __str__(self) -> str:
        return f"{self.term_id}-{self.session_id}: {self.last_value}"


# The kinds of body that may file collectively, and the field naming each.
COLLECTIVE_KINDS: dict[str, type[NamedBody]] = {
    "affiliation": Affiliation,
    "sector": Sector,
    "committee": SpecialCommittee,
    "group": MemberGroup,
}


def body_label(kind: str, body: NamedBody) -> str:
    """A body as a choice reads, with its kind: an affiliation and a sector
    may bear the same name (中国共产党), and a choice must tell them apart."""
    return _("%(name)s (%(kind)s)") % {"name": body.name, "kind": COLLECTIVE_KINDS[kind]._meta.verbose_name}


def one_body_condition(prefix: str, *, required: bool) -> Q:
    """Exactly one (or, unless required, at most one) of the four body
    columns named prefix_<kind> is set."""
    names = [f"{prefix}_{kind}" for kind in COLLECTIVE_KINDS]
    exactly_one = Q()
    for chosen in names:
        term = Q(**{f"{chosen}__isnull": False})
        for other in names:
            if other != chosen:
                term &= Q(**{f"{other}__isnull": True})
        exactly_one |= term
    if required:
        return exactly_one
    return exactly_one | Q(**{f"{name}__isnull": True for name in names})


class Proposal(TenantModel):
    """One proposal, filed by a lead proposer or collectively by a body."""

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+", verbose_name=_("term"))
    # The session the proposal is numbered under; regular proposals use the
    # term's latest session.
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("session")
    )
    window = models.CharField(_("filed as"), max_length=16, choices=Window.choices, default=Window.SESSION)
    lead_proposer = models.ForeignKey(
        Member,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_proposals",
        verbose_name=_("lead proposer"),
    )
    # A collective proposal names exactly one body (checked below).
    author_affiliation = models.ForeignKey(
        Affiliation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    author_sector = models.ForeignKey(
        Sector, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    author_committee = models.ForeignKey(
        SpecialCommittee, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    author_group = models.ForeignKey(
        MemberGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    category = models.ForeignKey(
        ProposalCategory,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("category"),
    )
    situation = models.TextField(_("situation"), blank=True)
    analysis = models.TextField(_("analysis"), blank=True)
    suggestions = models.TextField(_("suggestions"), blank=True)
    suggested_units = models.ManyToManyField(
        HandlingUnit, blank=True, related_name="+", verbose_name=_("suggested handling units")
    )
    consents_to_publish_reply = models.BooleanField(_("the reply may be published"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT
    )
    case_number = models.CharField(_("case number"), max_length=20, blank=True)
    # Review outcome details, shown to the proposer.
    decline_reason = models.ForeignKey(
        DeclineReason, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_note = models.CharField(_("note to the proposer"), max_length=REASON_MAX, blank=True)
    converted_to = models.CharField(max_length=20, choices=ConversionTarget.choices, blank=True)
    conversion_consent_note = models.CharField(max_length=REASON_MAX, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_proposals"
    )
    # 1 for the first handling, 2 after re-handling (whose reply is final).
    handling_round = models.PositiveSmallIntegerField(default=1)
    is_key = models.BooleanField(_("key proposal"), default=False)
    supervising_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("supervising leader"),
    )
    is_outstanding = models.BooleanField(_("outstanding proposal"), default=False)
    # Optimistic locking: forms send the version they loaded.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proposal")
        indexes = [
            models.Index(fields=["council", "status", "submitted_at"]),
            models.Index(fields=["council", "term", "case_number"]),
            # Covers the statistics' count per year and category (the topic
            # trend), so it reads the index alone, not the proposals.
            models.Index(fields=["council", "session", "category", "status"], name="proposal_topic_year_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "term", "case_number"],
                condition=~Q(case_number=""),
                name="proposal_case_number_unique_per_term",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=sorted(NUMBERED)) | ~Q(case_number=""),
                name="proposal_numbered_has_case_number",
            ),
            # A proposal without concrete suggestions is incomplete: only drafts may lack them.
            models.CheckConstraint(
                condition=Q(status=ProposalStatus.DRAFT) | ~Q(suggestions=""),
                name="proposal_filed_has_suggestions",
            ),
            models.CheckConstraint(
                condition=~Q(status=ProposalStatus.MERGED) | Q(merged_into__isnull=False),
                name="proposal_merged_names_target",
            ),
            models.CheckConstraint(
                condition=~Q(status=ProposalStatus.DECLINED) | Q(decline_reason__isnull=False),
                name="proposal_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(handling_round__in=[1, 2]), name="proposal_at_most_two_rounds"
            ),
            # Filed by a member, or by exactly one body (never both, never neither).
            models.CheckConstraint(
                condition=(
                    Q(lead_proposer__isnull=False)
                    & Q(author_affiliation__isnull=True)
                    & Q(author_sector__isnull=True)
                    & Q(author_committee__isnull=True)
                    & Q(author_group__isnull=True)
                )
                | (
                    Q(lead_proposer__isnull=True)
                    & (
                        Q(author_affiliation__isnull=False, author_sector__isnull=True)
                        & Q(author_committee__isnull=True, author_group__isnull=True)
                        | Q(author_affiliation__isnull=True, author_sector__isnull=False)
                        & Q(author_committee__isnull=True, author_group__isnull=True)
                        | Q(author_affiliation__isnull=True, author_sector__isnull=True)
                        & Q(author_committee__isnull=False, author_group__isnull=True)
                        | Q(author_affiliation__isnull=True, author_sector__isnull=True)
                        & Q(author_committee__isnull=True, author_group__isnull=False)
                    )
                ),
                name="proposal_has_one_author",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_number} {self.title}".strip()

    @property
    def collective_author(self) -> NamedBody | None:
        """The body that filed a collective proposal, or None."""
        return self.author_affiliation or self.author_sector or self.author_committee or self.author_group

    @property
    def author_name(self) -> str:
        body = self.collective_author
        if body is not None:
            return body.name
        return self.lead_proposer.full_name if self.lead_proposer else ""

    @property
    def status_css(self) -> str:
        return STATUS_CSS.get(ProposalStatus(self.status), "status-draft")


class Cosigner(models.Model):
    """A member invited to co-sign; counts only once confirmed."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="cosigners")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="cosignatures")
    status = models.CharField(max_length=16, choices=CosignStatus.choices, default=CosignStatus.INVITED)
    invited_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["invited_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "member"], name="cosigner_once_per_proposal")
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_status_display()}"


class Assignment(TenantModel):
    """One handling unit's part in handling one proposal."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="assignments")
    unit = models.ForeignKey(HandlingUnit, on_delete=models.PROTECT, related_name="proposal_assignments")
    role = models.CharField(_("role"), max_length=16, choices=AssignmentRole.choices)
    assigned_on = models.DateField(_("assigned on"))
    due_on = models.DateField(_("reply due on"))
    objection_due_on = models.DateField(_("objections accepted until"))
    # False once staff reassigned the proposal away from this unit.
    is_active = models.BooleanField(default=True)
    objected_at = models.DateTimeField(null=True, blank=True)
    objection_reason = models.CharField(_("objection"), max_length=REASON_MAX, blank=True)
    # Contact the proposer before handling, and (helpers) send the opinion to the lead, by these dates.
    contact_due_on = models.DateField(_("contact the proposer by"), null=True, blank=True)
    helper_opinion_due_on = models.DateField(_("opinion to the lead unit by"), null=True, blank=True)
    extended_due_on = models.DateField(_("extended to"), null=True, blank=True)
    extension_reason = models.CharField(_("extension reason"), max_length=REASON_MAX, blank=True)
    extension_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    extension_approved_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["council", "unit", "is_active", "due_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "unit"], condition=Q(is_active=True), name="assignment_unit_once_active"
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("assigned_on")), name="assignment_due_after_start"
            ),
            models.CheckConstraint(
                condition=Q(extended_due_on__isnull=True) | Q(extended_due_on__gt=models.F("due_on")),
                name="assignment_extension_later",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} → {self.unit} ({self.role})"

    @property
    def effective_due_on(self) -> dt.date:
        """The due date, after any approved extension."""
        return self.extended_due_on or self.due_on

    @property
    def replies_to_proposer(self) -> bool:
        return self.role in REPLYING_ROLES


class Reply(TenantModel):
    """A unit's official reply letter for one round of handling."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="replies")
    handling_round = models.PositiveSmallIntegerField(default=1)
    category = models.ForeignKey(
        ReplyCategory,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("category"),
    )
    text = models.TextField(_("reply text"))
    signer = models.CharField(_("signed by"), max_length=50)
    contact_person = models.CharField(_("contact person"), max_length=50)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    status = models.CharField(max_length=16, choices=ReplyStatus.choices, default=ReplyStatus.DRAFT)
    return_reason = models.CharField(_("why it was returned"), max_length=REASON_MAX, blank=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    feedback_due_on = models.DateField(null=True, blank=True)
    # When the feedback window closed and the missing ratings were recorded as
    # the council's setting says; the sweep skips replies that have it.
    feedback_settled_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assignment_id", "handling_round"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "handling_round"], name="reply_once_per_round"),
            models.CheckConstraint(
                condition=Q(status=ReplyStatus.DRAFT) | Q(category__isnull=False),
                name="reply_sent_has_category",
            ),
        ]

    def __str__(self) -> str:
        return f"reply {self.assignment_id}/{self.handling_round}"


class Feedback(TenantModel):
    """A proposer's rating of a released reply (征询意见)."""

    reply = models.ForeignKey(Reply, on_delete=models.PROTECT, related_name="feedback")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    satisfaction = models.CharField(_("satisfaction"), max_length=24, choices=FEEDBACK_CHOICES)
    comment = models.TextField(_("comments"), blank=True)
    # True when the proposer did not rate by the window's end and the system
    # recorded what the council's setting counts a missing rating as.
    recorded_automatically = models.BooleanField(_("recorded automatically"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["reply", "member"], name="feedback_once_per_proposer"),
            # Only the system records "no feedback".
            models.CheckConstraint(
                condition=Q(recorded_automatically=True) | ~Q(satisfaction=NO_FEEDBACK),
                name="feedback_no_feedback_is_automatic",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.satisfaction}"


class FollowUp(TenantModel):
    """A proposal concluded with a B-category reply, re-checked the following
    year (跟踪办理): the unit says what has been done since, staff close it."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="follow_ups")
    reply = models.ForeignKey(Reply, on_delete=models.PROTECT, related_name="follow_ups")
    unit = models.ForeignKey(
        HandlingUnit, on_delete=models.PROTECT, related_name="proposal_follow_ups", verbose_name=_("unit")
    )
    due_on = models.DateField(_("re-check due by"))
    status = models.CharField(
        _("status"), max_length=16, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    result = models.TextField(_("what has been done since"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(null=True, blank=True)
    close_note = models.CharField(_("note on closing"), max_length=REASON_MAX, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("follow-up")
        indexes = [models.Index(fields=["council", "due_on", "status"], name="follow_up_due_idx")]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "unit"], name="follow_up_once_per_unit"),
            models.CheckConstraint(
                condition=Q(status=FollowUpStatus.OPEN) | ~Q(result=""), name="follow_up_reported_has_result"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} → {self.unit_id} ({self.due_on.year})"


class HandlingNote(TenantModel):
    """What a unit did while handling: contact and consultations with the
    proposer, or an assisting unit's opinion to the lead unit."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="notes")
    kind = models.CharField(_("kind"), max_length=24, choices=NoteKind.choices)
    happened_on = models.DateField(_("date"))
    text = models.TextField(_("what was done or said"))
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["happened_on", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.happened_on}"


class KeyProposalFollowThrough(TenantModel):
    """One follow-through activity of a key proposal (督办): an inspection, a
    meeting or a visit to the unit."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="follow_throughs")
    kind = models.CharField(_("kind"), max_length=16, choices=FollowThroughKind.choices)
    happened_on = models.DateField(_("date"))
    note = models.TextField(_("what happened"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["happened_on", "id"]
        verbose_name = _("follow-through activity")

    def __str__(self) -> str:
        return f"{self.kind} {self.happened_on}"


class CollectiveFiler(TenantModel):
    """A user authorised by staff to file proposals in the name of one body
    (an affiliation, a sector group, a special committee or a member group)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body_affiliation = models.ForeignKey(
        Affiliation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    body_sector = models.ForeignKey(Sector, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    body_committee = models.ForeignKey(
        SpecialCommittee, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    body_group = models.ForeignKey(
        MemberGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=one_body_condition("body", required=True), name="collective_filer_one_body"
            ),
            *(
                models.UniqueConstraint(
                    fields=["user", f"body_{kind}"],
                    condition=Q(**{f"body_{kind}__isnull": False}),
                    name=f"collective_filer_once_{kind}",
                )
                for kind in COLLECTIVE_KINDS
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.body}"

    @property
    def body(self) -> NamedBody:
        body = self.body_affiliation or self.body_sector or self.body_committee or self.body_group
        assert body is not None
        return body

    @property
    def body_label(self) -> str:
        return body_label(self.body_key.partition(":")[0], self.body)

    @property
    def body_key(self) -> str:
        """kind:id, as forms carry the choice."""
        for kind in COLLECTIVE_KINDS:
            value = getattr(self, f"body_{kind}_id")
            if value is not None:
                return f"{kind}:{value}"
        raise AssertionError("a collective filer names one body")
