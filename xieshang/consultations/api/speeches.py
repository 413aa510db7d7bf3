"""The speakers list of a consultation and the time each speech took."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Status

from xieshang.consultations.actions import speeches as speech_actions
from xieshang.consultations.api.answers import SpeechOut
from xieshang.consultations.api.schemas import DurationIn, MoveIn, SpeechIn
from xieshang.consultations.models import Speech
from xieshang.consultations.queries import access_consultation, access_speech, speeches_of
from xieshang.core.api import ERROR_RESPONSES, WRITE_ERROR_RESPONSES, ObjectId
from xieshang.councils.api.schemas import CouncilSlug
from xieshang.councils.api.scoping import council_actor
from xieshang.councils.models import Member
from xieshang.councils.queries import council_row
from xieshang.councils.roles import Perm

router = Router()


@router.get(
    "/c/{council_slug}/consultations/{consultation_id}/speeches",
    response={200: list[SpeechOut], **ERROR_RESPONSES},
)
def list_consultation_speeches(
    request: HttpRequest, council_slug: CouncilSlug, consultation_id: ObjectId
) -> list[Speech]:
    """The speakers list in order (members see only their own texts)."""
    actor = council_actor(request, council_slug)
    consultation = access_consultation(actor, consultation_id)
    return list(speeches_of(consultation))


@router.post(
    "/c/{council_slug}/consultations/{consultation_id}/speeches",
    response={201: SpeechOut, **WRITE_ERROR_RESPONSES},
)
def add_consultation_speech(
    request: HttpRequest, council_slug: CouncilSlug, consultation_id: ObjectId, payload: SpeechIn
) -> Status[Any]:
    """Staff add a speaker; an invited member books their own speech (with its text)."""
    actor = council_actor(request, council_slug)
    consultation = access_consultation(actor, consultation_id)
    if payload.member_id is not None:
        member = council_row(actor, Member, payload.member_id)
    elif actor.member is not None:
        member = actor.member
    else:
        raise Http404
    speech = speech_actions.add_speech(
        consultation, member=member, kind=payload.kind, title=payload.title, text=payload.text, actor=actor
    )
    return Status(201, speech)


@router.post(
    "/c/{council_slug}/consultations/{consultation_id}/speeches/{speech_id}/move",
    response={200: list[SpeechOut], **WRITE_ERROR_RESPONSES},
)
def move_consultation_speech(
    request: HttpRequest,
    council_slug: CouncilSlug,
    consultation_id: ObjectId,
    speech_id: ObjectId,
    payload: MoveIn,
) -> list[Speech]:
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    consultation = access_consultation(actor, consultation_id)
    speech_actions.move_speech(access_speech(actor, consultation, speech_id), up=payload.up, actor=actor)
    return list(speeches_of(consultation))


@router.post(
    "/c/{council_slug}/consultations/{consultation_id}/speeches/{speech_id}/duration",
    response={200: SpeechOut, **WRITE_ERROR_RESPONSES},
)
def record_consultation_speech_duration(
    request: HttpRequest,
    council_slug: CouncilSlug,
    consultation_id: ObjectId,
    speech_id: ObjectId,
    payload: DurationIn,
) -> Speech:
    """Record the time a speech took; over its allotted time it is flagged."""
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    consultation = access_consultation(actor, consultation_id)
    speech = speech_actions.record_speech_duration(
        access_speech(actor, consultation, speech_id), duration_seconds=payload.duration_seconds, actor=actor
    )
    return speech
