"""What the consultation API answers: each answer's fields, once. Ninja
builds an answer from the object an endpoint returns; a resolver gives a
field that is not an attribute of the same name (see xieshang.core.api)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from ninja import Field, Schema

from xieshang.consultations.actions import deliberation as deliberation_actions
from xieshang.consultations.actions.continuity import Continuity, ThemeYears
from xieshang.consultations.models import (
    ArticleComment,
    Consultation,
    ConsultationPlan,
    Deliberation,
    JointInvitation,
    Outcome,
    OutcomeInstruction,
    PlanItem,
    Speech,
)
from xieshang.consultations.queries import YearReport, YearRow, instructions_of, plan_items
from xieshang.core.api import AttachmentOut
from xieshang.core.attachments import attachments_of
from xieshang.core.models import Attachment
from xieshang.councils.api.scoping import Context, asking_actor
from xieshang.councils.models import Council, Member
from xieshang.councils.roles import Perm


class PlanOut(Schema):
    id: int
    year: int
    title: str
    status: str
    approved_on: dt.date | None
    approval_note: str
    issued_on: dt.date | None
    document_number: str
    version: int


class PlanItemOut(Schema):
    id: int
    position: int
    topic: str
    kind: str
    lead_committee_id: int | None
    partner_unit_id: int | None
    quarter: int
    decision_expected_on: dt.date | None
    note: str
    themes: list[str]
    is_withdrawn: bool
    is_held: bool

    @staticmethod
    def resolve_themes(item: PlanItem) -> list[str]:
        return [theme.name for theme in item.themes.all()]

    @staticmethod
    def resolve_is_held(item: PlanItem) -> bool:
        # Annotated by plan_items(); an item read otherwise is not held.
        return bool(getattr(item, "is_held", False))


class PlanDetailOut(PlanOut):
    items: list[PlanItemOut]

    @staticmethod
    def resolve_items(plan: ConsultationPlan) -> QuerySet[PlanItem]:
        return plan_items(plan)


class SuggestionOut(Schema):
    id: int
    item_id: int | None
    office_id: int
    text: str
    proposed: dict[str, str]
    status: str


class ConsultationOut(Schema):
    id: int
    year: int
    kind: str
    topic: str
    status: str
    starts_at: dt.datetime
    place: str
    plan_item_id: int | None
    notice_due_on: dt.date
    materials_due_on: dt.date
    minutes_due_on: dt.date | None
    notice_sent_at: dt.datetime | None
    materials_sent_at: dt.datetime | None
    held_on: dt.date | None
    minutes_sent_at: dt.datetime | None
    themes: list[str]
    version: int

    @staticmethod
    def resolve_themes(consultation: Consultation) -> list[str]:
        return [theme.name for theme in consultation.themes.all()]


class ParticipantOut(Schema):
    id: int
    category: str
    member_id: int | None
    name: str
    organisation: str
    invited_at: dt.datetime | None


class SpeechOut(Schema):
    id: int
    member_id: int
    member_name: str
    kind: str
    title: str
    text: str
    position: int
    allotted_seconds: int
    duration_seconds: int | None
    is_over_time: bool

    @staticmethod
    def resolve_member_name(speech: Speech) -> str:
        return speech.member.full_name

    @staticmethod
    def resolve_text(speech: Speech, context: Context) -> str:
        # A member who may not see every speech sees only the text of their own.
        actor = asking_actor(context)
        own = actor.member is not None and actor.member.pk == speech.member_id
        return speech.text if own or actor.has(Perm.VIEW_CONSULTATIONS) else ""


class InstructionOut(Schema):
    id: int
    office_id: int
    leader_name: str
    leader_title: str
    level: str
    text: str
    instructed_on: dt.date


class OutcomeOut(Schema):
    id: int
    consultation_id: int
    kind: str
    title: str
    status: str
    sent_at: dt.datetime | None
    adoption: str
    adoption_note: str
    follow_up_on: dt.date | None
    version: int


class OutcomeDetailOut(OutcomeOut):
    text: str
    office_ids: list[int]
    instructions: list[InstructionOut]

    @staticmethod
    def resolve_office_ids(outcome: Outcome) -> list[int]:
        return sorted(outcome.offices.values_list("pk", flat=True))

    @staticmethod
    def resolve_instructions(outcome: Outcome) -> QuerySet[OutcomeInstruction]:
        return instructions_of(outcome)


class DeliberationOut(Schema):
    id: int
    consultation_id: int
    topic: str
    background: str
    questions: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    public_enabled: bool
    is_open: bool

    @staticmethod
    def resolve_is_open(item: Deliberation) -> bool:
        return deliberation_actions.is_open(item)


class DeliberationCommentOut(Schema):
    id: int
    author_name: str
    text: str
    support_count: int
    created_at: dt.datetime
    is_hidden: bool
    hidden_reason: str


class ArticleOut(Schema):
    number: int
    label: str
    text: str


class ArticleCommentOut(Schema):
    # Built from an ArticleComment overlaid with its article's number.
    id: int
    article_number: int
    author_name: str
    is_expert: bool
    text: str
    created_at: dt.datetime

    @staticmethod
    def resolve_is_expert(comment: ArticleComment) -> bool:
        return comment.expert_id is not None


class DraftOut(Schema):
    id: int
    consultation_id: int
    title: str
    articles: list[ArticleOut]


class ThemeContinuityOut(Schema):
    name: str
    counts: dict[int, int]
    longest_run: int
    run_until: int | None

    @staticmethod
    def resolve_longest_run(theme: ThemeYears) -> int:
        return theme.run


class LowerCouncilThemesOut(Schema):
    council: str
    themes: list[ThemeContinuityOut]

    @staticmethod
    def resolve_council(lower: tuple[Council, list[ThemeYears]]) -> str:
        return lower[0].name

    @staticmethod
    def resolve_themes(lower: tuple[Council, list[ThemeYears]]) -> list[ThemeYears]:
        return lower[1]


class ContinuityOut(Schema):
    years: list[int]
    themes: list[ThemeContinuityOut]
    lower_councils: list[LowerCouncilThemesOut]

    @staticmethod
    def resolve_lower_councils(result: Continuity) -> list[tuple[Council, list[ThemeYears]]]:
        return result.lower


class CouncilRefOut(Schema):
    id: int
    name: str


class SentInvitationOut(Schema):
    """An invitation as the inviting (upper) council sees it."""

    id: int
    lower_council: CouncilRefOut
    status: str
    invited_at: dt.datetime
    accepted_at: dt.datetime | None
    participant_count: int

    @staticmethod
    def resolve_participant_count(invitation: JointInvitation) -> int:
        # Counted in the query where the list is read.
        count = getattr(invitation, "participant_count", None)
        return invitation.members.count() if count is None else count  # type: ignore[no-any-return]


class ParticipantRefOut(Schema):
    id: int
    full_name: str


class JointInvitationOut(Schema):
    """An invitation as the invited (lower) council sees it, with the upper
    council's consultation."""

    id: int
    upper_council: str
    status: str
    invited_at: dt.datetime
    accepted_at: dt.datetime | None
    topic: str
    kind: str
    consultation_status: str
    starts_at: dt.datetime
    place: str

    @staticmethod
    def resolve_upper_council(invitation: JointInvitation) -> str:
        return invitation.council.name

    @staticmethod
    def resolve_topic(invitation: JointInvitation) -> str:
        return invitation.consultation.topic

    @staticmethod
    def resolve_kind(invitation: JointInvitation) -> str:
        return invitation.consultation.kind

    @staticmethod
    def resolve_consultation_status(invitation: JointInvitation) -> str:
        return invitation.consultation.status

    @staticmethod
    def resolve_starts_at(invitation: JointInvitation) -> dt.datetime:
        return invitation.consultation.starts_at

    @staticmethod
    def resolve_place(invitation: JointInvitation) -> str:
        return invitation.consultation.place


class JointInvitationDetailOut(JointInvitationOut):
    description: str
    materials: list[AttachmentOut]
    participants: list[ParticipantRefOut] = Field(
        description="The members this council named (its staff and leaders only; empty for members)."
    )
    may_accept: bool

    @staticmethod
    def resolve_description(invitation: JointInvitation) -> str:
        return invitation.consultation.description

    @staticmethod
    def resolve_materials(invitation: JointInvitation) -> QuerySet[Attachment]:
        return attachments_of(invitation.consultation)

    @staticmethod
    def resolve_participants(
        invitation: JointInvitation, context: Context
    ) -> QuerySet[Member] | list[Member]:
        if not asking_actor(context).has(Perm.VIEW_CONSULTATIONS):
            return []
        return invitation.members.order_by("full_name", "pk")

    @staticmethod
    def resolve_may_accept(invitation: JointInvitation, context: Context) -> bool:
        return asking_actor(context).has(Perm.MANAGE_CONSULTATIONS)


class YearRowOut(Schema):
    consultation_id: int
    topic: str
    kind: str
    starts_at: dt.datetime
    outcomes: list[OutcomeOut]

    @staticmethod
    def resolve_consultation_id(row: YearRow) -> int:
        return row.consultation.pk

    @staticmethod
    def resolve_topic(row: YearRow) -> str:
        return row.consultation.topic

    @staticmethod
    def resolve_kind(row: YearRow) -> str:
        return row.consultation.kind

    @staticmethod
    def resolve_starts_at(row: YearRow) -> dt.datetime:
        return row.consultation.starts_at


class YearReportOut(Schema):
    # Built from consultations.queries.outcomes.YearReport, as the year-end page shows it.
    year: int
    held: int
    planned: int
    outcome_count: int
    instructed: int
    converted: int
    in_progress: int
    not_adopted: int
    conversion_rate: float | None = Field(
        description="converted / outcome_count, in percent with one decimal; null without outcomes."
    )
    consultations: list[YearRowOut]

    @staticmethod
    def resolve_consultations(report: YearReport) -> list[YearRow]:
        return report.rows
