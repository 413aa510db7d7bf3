"""What the supervision API answers: each answer described once, here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Schema

from xieshang.core.attachments import attachments_of
from xieshang.supervision.models import (
    Inspection,
    LetterReply,
    Recommendation,
    RecommendationLetter,
    RecommendationReply,
    ResidentSupervision,
    SupervisionTarget,
    TargetAssignment,
)
from xieshang.supervision.queries import letter_replies, problems_of, replies_of, target_state


class CampaignOut(Schema):
    id: int
    title: str
    theme: str
    year: int
    starts_on: dt.date
    ends_on: dt.date
    status: str
    version: int


class TargetOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    district: str
    handling_unit_id: int
    handling_unit: str
    latitude: Decimal | None
    longitude: Decimal | None
    state: str

    @staticmethod
    def resolve_kind(row: SupervisionTarget) -> str:
        return row.kind.name

    @staticmethod
    def resolve_handling_unit(row: SupervisionTarget) -> str:
        return row.handling_unit.name

    @staticmethod
    def resolve_state(row: SupervisionTarget) -> str:
        return target_state(row)


class TargetAssignmentOut(Schema):
    group_id: int
    group: str
    target_id: int
    target_code: str

    @staticmethod
    def resolve_group(row: TargetAssignment) -> str:
        return row.group.name

    @staticmethod
    def resolve_target_code(row: TargetAssignment) -> str:
        return row.target.code


class ProblemOut(Schema):
    id: int
    description: str
    handling_unit_id: int
    status: str
    recommendation_id: int | None


class InspectionOut(Schema):
    id: int
    target_id: int
    round_id: int | None
    group_id: int | None
    inspected_on: dt.date
    is_unannounced: bool
    findings: str


class InspectionDetailOut(InspectionOut):
    participant_ids: list[int]
    problems: list[ProblemOut]
    photo_ids: list[int]

    @staticmethod
    def resolve_participant_ids(row: Inspection) -> list[int]:
        return [m.pk for m in row.participants.all()]

    @staticmethod
    def resolve_problems(row: Inspection) -> list[object]:
        return list(problems_of(row))

    @staticmethod
    def resolve_photo_ids(row: Inspection) -> list[int]:
        return list(attachments_of(row).values_list("pk", flat=True))


class SupervisionReplyOut(Schema):
    text: str
    replied_by: str
    replied_at: dt.datetime

    @staticmethod
    def resolve_replied_by(row: RecommendationReply | LetterReply) -> str:
        return row.replied_by.display_name


class RecommendationOut(Schema):
    id: int
    campaign_id: int
    handling_unit_id: int
    handling_unit: str
    title: str
    status: str
    sent_on: dt.date
    due_on: dt.date
    is_overdue: bool
    version: int

    @staticmethod
    def resolve_handling_unit(row: Recommendation) -> str:
        return row.handling_unit.name

    @staticmethod
    def resolve_is_overdue(row: Recommendation) -> bool:
        return row.overdue_since is not None and row.first_replied_on is None


class RecommendationDetailOut(RecommendationOut):
    text: str
    problem_ids: list[int]
    replies: list[SupervisionReplyOut]

    @staticmethod
    def resolve_problem_ids(row: Recommendation) -> list[int]:
        return list(row.problems.values_list("pk", flat=True))

    @staticmethod
    def resolve_replies(row: Recommendation) -> list[object]:
        return list(replies_of(row))


class PostingOut(Schema):
    id: int
    group_id: int
    group: str
    handling_unit_id: int
    handling_unit: str
    leader_id: int
    starts_on: dt.date
    ends_on: dt.date

    @staticmethod
    def resolve_group(row: ResidentSupervision) -> str:
        return row.group.name

    @staticmethod
    def resolve_handling_unit(row: ResidentSupervision) -> str:
        return row.handling_unit.name


class LetterOut(Schema):
    id: int
    posting_id: int
    handling_unit_id: int
    year: int
    number: int
    title: str
    status: str
    issued_on: dt.date
    due_on: dt.date
    was_returned: bool
    is_overdue: bool
    version: int

    @staticmethod
    def resolve_is_overdue(row: RecommendationLetter) -> bool:
        return row.overdue_since is not None and row.first_answered_on is None


class LetterDetailOut(LetterOut):
    text: str
    return_reason: str
    replies: list[SupervisionReplyOut]

    @staticmethod
    def resolve_replies(row: RecommendationLetter) -> list[object]:
        return list(letter_replies(row))


class RateOut(Schema):
    numerator: int
    denominator: int
    percent: float | None


class CountOut(Schema):
    key: str
    label: str
    count: int


class AnsweredOut(Schema):
    key: str
    label: str
    issued: int
    answered_rate: RateOut
    on_time_rate: RateOut


class SupervisionStatisticsOut(Schema):
    """A year of democratic supervision; every rate with its numerator and denominator."""

    year: int
    campaigns: int
    groups: int
    targets: int
    targets_by_kind: list[CountOut]
    inspections: int
    unannounced: RateOut
    problems: int
    problems_resolved: RateOut
    recommendations_answered: RateOut
    supervisors: int
    supervisor_groups: int
    units_covered: int
    activities: int
    letters_answered: RateOut
    letters_on_time: RateOut
    by_unit: list[AnsweredOut]
    by_group: list[AnsweredOut]
