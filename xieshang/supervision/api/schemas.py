"""What the supervision API accepts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

from xieshang.core.api import ObjectId, PageQuery, Printable


class CampaignIn(Schema):
    title: Annotated[str, Field(min_length=1, max_length=100), Printable]
    theme: Annotated[str, Field(max_length=2000), Printable] = ""
    year: int = Field(ge=2000, le=2100)
    starts_on: dt.date
    ends_on: dt.date


class TargetIn(Schema):
    code: Annotated[str, Field(min_length=1, max_length=30), Printable]
    name: Annotated[str, Field(min_length=1, max_length=100), Printable]
    district: Annotated[str, Field(min_length=1, max_length=50), Printable]
    kind_id: ObjectId
    handling_unit_id: ObjectId
    latitude: Decimal | None = Field(None, ge=-90, le=90, decimal_places=6)
    longitude: Decimal | None = Field(None, ge=-180, le=180, decimal_places=6)


class TargetsIn(Schema):
    targets: list[TargetIn] = Field(min_length=1, max_length=1000)


class AssignmentIn(Schema):
    group_id: ObjectId
    target_ids: list[ObjectId] = Field(min_length=1, max_length=1000)


class ProblemIn(Schema):
    description: Annotated[str, Field(min_length=1, max_length=500), Printable]
    handling_unit_id: ObjectId


class InspectionIn(Schema):
    target_id: ObjectId
    inspected_on: dt.date
    is_unannounced: bool = False
    participant_ids: list[ObjectId] = Field(min_length=1, max_length=50)
    findings: Annotated[str, Field(min_length=1, max_length=3000), Printable]
    problems: list[ProblemIn] = Field(default_factory=list, max_length=20)
    round_id: ObjectId | None = None


class RecommendationIn(Schema):
    handling_unit_id: ObjectId
    title: Annotated[str, Field(min_length=1, max_length=100), Printable]
    text: Annotated[str, Field(min_length=1, max_length=5000), Printable]
    problem_ids: list[ObjectId] = Field(default_factory=list, max_length=200)


class SupervisionReplyIn(Schema):
    text: Annotated[str, Field(min_length=1, max_length=5000), Printable]


class LetterIn(Schema):
    title: Annotated[str, Field(min_length=1, max_length=100), Printable]
    text: Annotated[str, Field(min_length=1, max_length=5000), Printable]


class ReturnIn(Schema):
    reason: Annotated[str, Field(min_length=1, max_length=500), Printable]
    version: int | None = None


class SupervisionVersionIn(Schema):
    version: int | None = None


class SupervisionYearQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100)


class ListQuery(PageQuery):
    year: int | None = Field(None, ge=2000, le=2100)
