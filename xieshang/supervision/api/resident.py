"""Resident supervision: postings, recommendation letters and the units' answers."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from xieshang.core.api import ERROR_RESPONSES, WRITE_ERROR_RESPONSES, ObjectId, Page, paginate
from xieshang.councils.api.schemas import CouncilSlug
from xieshang.supervision import queries
from xieshang.supervision.actions import answer_letter, close_letter, issue_letter, return_letter
from xieshang.supervision.api.answers import LetterDetailOut, LetterOut, PostingOut
from xieshang.supervision.api.common import BASE, unit_or_viewer, viewer
from xieshang.supervision.api.schemas import (
    LetterIn,
    ListQuery,
    ReturnIn,
    SupervisionReplyIn,
    SupervisionVersionIn,
)
from xieshang.supervision.models import RecommendationLetter, ResidentSupervision

router = Router()


@router.get(f"{BASE}/postings", response={200: list[PostingOut], **ERROR_RESPONSES})
def list_supervision_postings(request: HttpRequest, council_slug: CouncilSlug) -> list[ResidentSupervision]:
    """Supervisor groups posted to units; a unit's liaison sees the group posted to it."""
    return list(queries.visible_postings(unit_or_viewer(request, council_slug)))


@router.post(
    f"{BASE}/postings/{{posting_id}}/letters", response={201: LetterDetailOut, **WRITE_ERROR_RESPONSES}
)
def issue_recommendation_letter(
    request: HttpRequest, council_slug: CouncilSlug, posting_id: ObjectId, payload: LetterIn
) -> Status[Any]:
    """Issue a letter in the council's name to the unit the group is posted to."""
    actor = viewer(request, council_slug)
    posting = queries.access_posting(actor, posting_id)
    return Status(201, issue_letter(posting, actor=actor, title=payload.title, text=payload.text))


@router.get(f"{BASE}/letters", response={200: Page[LetterOut], **ERROR_RESPONSES})
def list_recommendation_letters(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[ListQuery]
) -> dict[str, Any]:
    rows = queries.visible_letters(unit_or_viewer(request, council_slug))
    if filters.year:
        rows = rows.filter(year=filters.year)
    return paginate(rows, filters)


@router.get(f"{BASE}/letters/{{letter_id}}", response={200: LetterDetailOut, **ERROR_RESPONSES})
def get_recommendation_letter(
    request: HttpRequest, council_slug: CouncilSlug, letter_id: ObjectId
) -> RecommendationLetter:
    return queries.access_letter(unit_or_viewer(request, council_slug), letter_id)


@router.post(
    f"{BASE}/letters/{{letter_id}}/replies", response={201: LetterDetailOut, **WRITE_ERROR_RESPONSES}
)
def answer_recommendation_letter(
    request: HttpRequest, council_slug: CouncilSlug, letter_id: ObjectId, payload: SupervisionReplyIn
) -> Status[Any]:
    """The unit's answer; a second one only after staff sent the first back."""
    actor = unit_or_viewer(request, council_slug)
    answer_letter(queries.access_letter(actor, letter_id), actor=actor, text=payload.text)
    return Status(201, queries.access_letter(actor, letter_id))


@router.post(f"{BASE}/letters/{{letter_id}}/return", response={200: LetterDetailOut, **WRITE_ERROR_RESPONSES})
def return_recommendation_letter(
    request: HttpRequest, council_slug: CouncilSlug, letter_id: ObjectId, payload: ReturnIn
) -> RecommendationLetter:
    """Send the answer back for rework, once."""
    actor = viewer(request, council_slug)
    letter = queries.access_letter(actor, letter_id)
    return_letter(letter, actor=actor, reason=payload.reason, expected_version=payload.version)
    return queries.access_letter(actor, letter_id)


@router.post(f"{BASE}/letters/{{letter_id}}/close", response={200: LetterDetailOut, **WRITE_ERROR_RESPONSES})
def close_recommendation_letter(
    request: HttpRequest, council_slug: CouncilSlug, letter_id: ObjectId, payload: SupervisionVersionIn
) -> RecommendationLetter:
    """Accept the answer; the letter is final."""
    actor = viewer(request, council_slug)
    letter = queries.access_letter(actor, letter_id)
    close_letter(letter, actor=actor, expected_version=payload.version)
    return queries.access_letter(actor, letter_id)
