"""The speakers list: staff add speakers and set the order, members book
their speech with its text, the chair's countdown screen, and durations."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.consultations import permissions as can
from xieshang.consultations.actions import speeches as actions
from xieshang.consultations.forms import BookSpeechForm, DurationForm, SpeechForm
from xieshang.consultations.queries import access_consultation, access_speech, speeches_of
from xieshang.consultations.states import SpeechKind
from xieshang.consultations.views.common import run_post
from xieshang.consultations.views.consultations import detail_url
from xieshang.core.pages import form_page
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view


@council_view(Perm.MANAGE_CONSULTATIONS)
def speech_add(request: CouncilRequest, pk: int) -> HttpResponse:
    consultation = access_consultation(request.actor, pk)
    form = SpeechForm(request.POST or None, council=request.council)
    return form_page(
        request,
        form,
        title=_("Add a speaker"),
        subject=consultation.topic,
        back=detail_url(request, consultation),
        call=lambda data: actions.add_speech(
            consultation,
            member=data["member"],
            kind=data["kind"],
            title=data["title"],
            text=data.get("text") or "",
            actor=request.actor,
        ),
        success=_("The speaker was added at the end of the list."),
    )


@council_view(Perm.SPEAK_AT_CONSULTATIONS)
def speech_book(request: CouncilRequest, pk: int) -> HttpResponse:
    """An invited member books a speech and submits its text."""
    consultation = access_consultation(request.actor, pk)
    member = request.actor.member
    form = BookSpeechForm(request.POST or None)
    return form_page(
        request,
        form,
        title=_("Book a speech"),
        subject=consultation.topic,
        back=detail_url(request, consultation),
        call=lambda data: actions.add_speech(
            consultation,
            member=member,  # type: ignore[arg-type]
            kind=SpeechKind.BOOKED,
            title=data["title"],
            text=data["text"],
            actor=request.actor,
        ),
        success=_("Your speech was booked. Staff set the order of speakers."),
    )


@require_POST
@council_view(Perm.MANAGE_CONSULTATIONS)
def speech_move(request: CouncilRequest, pk: int, speech_id: int, direction: str) -> HttpResponse:
    consultation = access_consultation(request.actor, pk)
    speech = access_speech(request.actor, consultation, speech_id)
    return run_post(
        request,
        lambda: actions.move_speech(speech, up=direction == "up", actor=request.actor),
        _("The order was changed."),
        detail_url(request, consultation) + "#speakers",
    )


@require_POST
@council_view(Perm.MANAGE_CONSULTATIONS)
def speech_remove(request: CouncilRequest, pk: int, speech_id: int) -> HttpResponse:
    consultation = access_consultation(request.actor, pk)
    speech = access_speech(request.actor, consultation, speech_id)
    return run_post(
        request,
        lambda: actions.remove_speech(speech, actor=request.actor),
        _("The speech was taken off the list."),
        detail_url(request, consultation) + "#speakers",
    )


@council_view(Perm.MANAGE_CONSULTATIONS)
def speech_duration(request: CouncilRequest, pk: int, speech_id: int) -> HttpResponse:
    consultation = access_consultation(request.actor, pk)
    speech = access_speech(request.actor, consultation, speech_id)
    initial = {}
    if speech.duration_seconds is not None:
        initial = {"minutes": speech.duration_seconds // 60, "seconds": speech.duration_seconds % 60}
    form = DurationForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        title=_("Record how long the speech took"),
        subject=f"{speech.member.full_name}：{speech.title}",
        back=detail_url(request, consultation) + "#speakers",
        call=lambda data: actions.record_speech_duration(
            speech, duration_seconds=form.total_seconds(), actor=request.actor
        ),
        success=_("The duration was recorded."),
    )


@council_view(Perm.MANAGE_CONSULTATIONS)
def countdown(request: CouncilRequest, pk: int) -> HttpResponse:
    """The chair's screen: the speakers in order with a countdown each
    (static/js/consultation-countdown.js); the time taken is saved per speech."""
    consultation = access_consultation(request.actor, pk)
    speeches = list(speeches_of(consultation))
    return render(
        request,
        "consultations/countdown.html",
        {
            "consultation": consultation,
            "speeches": speeches,
            "may_time": can.can_time_speeches(request.actor, consultation),
        },
    )
