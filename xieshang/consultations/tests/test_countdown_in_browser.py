"""The chair's countdown in a real browser: the clock runs down, turns red
past the allotted time, and stopping it fills and saves the time taken as
over time; no Content-Security-Policy violations."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from conftest import Cast
from xieshang.consultations.models import Speech
from xieshang.consultations.states import ConsultationStatus, SpeechKind
from xieshang.consultations.tests.factories import ConsultationFactory
from xieshang.councils.tests.browsing import log_in, open_chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Xieshang-2026!"


def test_the_clock_turns_red_past_the_time_and_saves_the_time_taken(
    live_server: Any, monkeypatch: pytest.MonkeyPatch, cast: Cast
) -> None:
    consultation = ConsultationFactory(
        council=cast.city,
        created_by=cast.staff,
        status=ConsultationStatus.NOTIFIED,
        starts_at=timezone.now() - dt.timedelta(minutes=5),
    )
    speech = Speech.objects.create(
        council=cast.city,
        consultation=consultation,
        member=cast.member_record,
        kind=SpeechKind.IMPROMPTU,
        title="即席发言",
        allotted_seconds=2,
    )
    with open_chromium(monkeypatch, height=900) as browser:
        log_in(browser, live_server.url, "staff", PASSWORD)
        page = browser.page
        page.goto(f"{live_server.url}/c/city/consultations/{consultation.pk}/countdown/")
        clock = page.locator("[data-testid=clock]")
        assert clock.inner_text() == "0:02"
        page.click(".countdown-start")
        page.locator(".countdown-clock.is-over").wait_for(timeout=6000)
        assert clock.inner_text().startswith("−")
        page.click(".countdown-stop")
        assert int(page.input_value("[name=seconds]")) >= 3
        page.click(".countdown-save button[type=submit]")
        page.wait_for_load_state()
        speech.refresh_from_db()
        assert speech.duration_seconds is not None and speech.duration_seconds >= 3
        assert speech.is_over_time
        assert browser.csp_violations == []
