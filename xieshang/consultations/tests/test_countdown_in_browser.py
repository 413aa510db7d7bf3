"""The chair's countdown in a real browser: the clock runs down, turns red
past the allotted time, and stopping it fills and saves the time taken as
over time; no Content-Security-Policy violations."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from conftest import Cast
from xieshang.consultations.models import Speech
from xieshang.consultations.states import ConsultationStatus, SpeechKind
from xieshang.consultations.tests.factories import ConsultationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PASSWORD = "Xieshang-2026!"


@pytest.fixture
def page(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (./test installs it)")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
        page.csp_violations = []
        page.on(
            "console",
            lambda message: (
                page.csp_violations.append(message.text[:80])
                if "Content Security Policy" in message.text
                else None
            ),
        )
        yield page
        browser.close()


def test_the_clock_turns_red_past_the_time_and_saves_the_time_taken(
    live_server: Any, page: Any, cast: Cast
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
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "staff")
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-form] button[type=submit]")
    page.wait_for_load_state()
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
    assert page.csp_violations == []
