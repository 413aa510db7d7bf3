"""The online deliberation in a real browser: two members of the public on
phones verify by SMS code and post; a moderator hides one comment, whose
author sees the reason while the other no longer sees it; the summary's
chart draws; no Content-Security-Policy violations."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from conftest import Cast
from xieshang.consultations.actions import deliberation as actions
from xieshang.consultations.models import DeliberationComment
from xieshang.consultations.tests.factories import ConsultationFactory
from xieshang.core.sms import MemorySmsBackend
from xieshang.councils.tenancy import build_actor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
PASSWORD = "Xieshang-2026!"
PHONE = {"width": 390, "height": 844}


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


def take_part(page: Any, url: str, mobile: str, nickname: str, comment: str) -> None:
    page.goto(url)
    page.fill("[data-testid=code-form] [name=mobile]", mobile)
    page.click("[data-testid=code-form] button[type=submit]")
    page.wait_for_load_state()
    code = re.search(r"\d{6}", [m.text for m in MemorySmsBackend.outbox if m.to == mobile][-1])
    assert code
    page.fill("[data-testid=verify-form] [name=mobile]", mobile)
    page.fill("[data-testid=verify-form] [name=code]", code.group(0))
    page.fill("[data-testid=verify-form] [name=nickname]", nickname)
    page.click("[data-testid=verify-form] button[type=submit]")
    page.wait_for_load_state()
    page.fill("[data-testid=comment-form] [name=text]", comment)
    page.click("[data-testid=comment-form] button[type=submit]")
    page.wait_for_load_state()


def test_two_public_comments_one_hidden_by_a_moderator(live_server: Any, browser: Any, cast: Cast) -> None:
    MemorySmsBackend.outbox.clear()
    staff = build_actor(cast.staff, cast.city)
    assert staff is not None
    consultation = ConsultationFactory(council=cast.city, created_by=cast.staff, topic="老旧小区改造")
    item = actions.open_deliberation(
        consultation,
        topic="加装电梯怎么推进",
        background="全市老旧小区三百余个。",
        questions="费用如何分担？",
        opens_at=timezone.now() - dt.timedelta(hours=1),
        closes_at=timezone.now() + dt.timedelta(days=7),
        public_enabled=True,
        actor=staff,
    )
    url = f"{live_server.url}/c/city/consultations/deliberations/{item.pk}/public/"
    violations: list[str] = []
    first = new_page(browser, violations, viewport=PHONE, is_mobile=True)
    second = new_page(browser, violations, viewport=PHONE, is_mobile=True)
    take_part(first, url, "13800138000", "老街坊", "加装电梯费用按楼层分摊，政府补贴一部分。")
    take_part(second, url, "13900139000", "路人甲", "出售二手家电，有意者联系。")
    assert DeliberationComment.objects.count() == 2
    second.goto(url)
    second.locator("[data-testid=comment]", has_text="楼层分摊").locator("[data-testid=support]").click()
    second.wait_for_load_state()
    assert DeliberationComment.objects.get(author_name="老街坊").support_count == 1

    moderator = new_page(browser, violations, viewport={"width": 1280, "height": 900})
    moderator.goto(f"{live_server.url}/accounts/login/")
    moderator.fill("#id_username", "staff")
    moderator.fill("#id_password", PASSWORD)
    moderator.click("[data-testid=login-form] button[type=submit]")
    moderator.wait_for_load_state()
    moderator.goto(f"{live_server.url}/c/city/consultations/deliberations/{item.pk}/")
    moderator.locator("[data-testid=comment]", has_text="二手家电").locator("[data-testid=hide]").click()
    moderator.fill("[name=reason]", "与议题无关的广告")
    moderator.click("[data-testid=confirm]")
    moderator.wait_for_load_state()

    second.goto(url)
    assert "与议题无关的广告" in second.locator("[data-testid=hidden-reason]").inner_text()
    first.goto(url)
    assert "二手家电" not in first.locator("[data-testid=comments]").inner_text()

    moderator.goto(f"{live_server.url}/c/city/consultations/deliberations/{item.pk}/summary/")
    moderator.locator("[data-chart=word-chart] canvas").wait_for(timeout=5000)
    assert moderator.locator("[data-testid=count-comments]").inner_text() == "1"
    moderator.click("[data-testid=record-summary]")
    moderator.wait_for_load_state()
    item.refresh_from_db()
    assert item.summary_recorded_at is not None
    assert violations == []
