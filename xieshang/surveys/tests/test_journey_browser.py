"""A public respondent answers on a 375-pixel phone after SMS verification,
and staff watching the results see the count and the chart change; no
Content-Security-Policy violations."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from conftest import Cast
from xieshang.core.sms import MemorySmsBackend
from xieshang.surveys.actions.questions import QuestionSpec
from xieshang.surveys.models import Response
from xieshang.surveys.states import QuestionKind
from xieshang.surveys.tests.factories import open_survey_of, questions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
PASSWORD = "Xieshang-2026!"
PHONE = {"width": 375, "height": 740}
SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"
MOBILE = "13700137000"


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (./test installs it)")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def new_page(browser: Any, violations: list[str], **options: Any) -> Any:
    page = browser.new_context(locale="zh-CN", **options).new_page()
    page.on(
        "console",
        lambda m: violations.append(m.text[:80]) if "Content Security Policy" in m.text else None,
    )
    return page


def test_a_public_answer_on_a_phone_moves_the_staff_chart(live_server: Any, browser: Any, cast: Cast) -> None:
    MemorySmsBackend.outbox.clear()
    now = timezone.now()
    specs = (
        QuestionSpec(kind=QuestionKind.SINGLE, text="您是否支持延长公交末班车", options=["支持", "不支持"]),
        QuestionSpec(kind=QuestionKind.SCALE, text="您对公交服务的满意度", scale_max=5),
    )
    survey = open_survey_of(
        cast.actor("staff"), specs, opens_at=now - dt.timedelta(hours=1), closes_at=now + dt.timedelta(days=7)
    )
    choice, scale = questions(survey)
    yes = choice.options.order_by("position").first()
    violations: list[str] = []

    staff = new_page(browser, violations, viewport={"width": 1280, "height": 900})
    staff.goto(f"{live_server.url}/accounts/login/")
    staff.fill("#id_username", "staff")
    staff.fill("#id_password", PASSWORD)
    staff.click("[data-testid=login-form] button[type=submit]")
    staff.wait_for_load_state()
    results = f"{live_server.url}/c/city/surveys/{survey.pk}/results/"
    staff.goto(results)
    assert staff.locator("[data-testid=response-count]").inner_text() == "0"
    staff.locator(f"[data-chart=chart-q{choice.pk}] canvas").wait_for(timeout=5000)

    phone = new_page(browser, violations, viewport=PHONE, is_mobile=True, has_touch=True)
    phone.goto(f"{live_server.url}/c/city/surveys/p/{survey.pk}/")
    phone.fill("[data-testid=code-form] [name=mobile]", MOBILE)
    phone.click("[data-testid=code-form] button[type=submit]")
    phone.wait_for_load_state()
    code = re.search(r"\d{6}", [m.text for m in MemorySmsBackend.outbox if m.to == MOBILE][-1])
    assert code
    phone.fill("[data-testid=verify-form] [name=code]", code.group(0))
    phone.click("[data-testid=verify-form] button[type=submit]")
    phone.wait_for_load_state()
    phone.click(f"label[for=q{choice.pk}-{yes.pk}]")
    phone.click(f"label[for=q{scale.pk}-4]")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SCREENSHOTS / "survey-public-phone.png"), full_page=True)
    phone.click("[data-testid=send]")
    phone.wait_for_load_state()
    assert Response.objects.filter(survey=survey).count() == 1
    assert phone.locator("[data-testid=verify-section]").count() == 1

    staff.goto(results)
    assert staff.locator("[data-testid=response-count]").inner_text() == "1"
    staff.locator(f"[data-chart=chart-q{choice.pk}] canvas").wait_for(timeout=5000)
    counts = staff.locator(f"[data-testid=result-{choice.position}] [data-testid=count]").all_inner_texts()
    assert counts == ["1", "0"]
    staff.screenshot(path=str(SCREENSHOTS / "survey-results.png"), full_page=True)
    assert violations == []
