"""The account pages in a real browser on a 375 px wide phone screen: no
sideways scrolling and no Content-Security-Policy violations."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from xieshang.accounts.tests.factories import PASSWORD, UserFactory

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


@pytest.fixture
def phone(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (./test installs it)")
    # Playwright's sync API runs an event loop in this thread; the database
    # calls of the test around it are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN")
        page = context.new_page()
        page.csp_violations = []  # type: ignore[attr-defined]
        page.on(
            "console",
            lambda message: (
                page.csp_violations.append(f"{page.url}: {message.text[:80]}")  # type: ignore[attr-defined]
                if "Content Security Policy" in message.text
                else None
            ),
        )
        yield page
        browser.close()


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_account_pages_fit_a_phone_screen_without_csp_violations(live_server, phone):
    UserFactory(username="phoneuser", full_name="手机用户", mobile="13812345678")
    page = phone
    page.goto(f"{live_server.url}/accounts/login/")
    assert fits_the_screen(page)
    page.fill("#id_username", "phoneuser")
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-form] button[type=submit]")
    page.wait_for_load_state()
    for path in (
        "/accounts/profile/",
        "/accounts/tokens/",
        "/accounts/password/",
        "/accounts/second-factor/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").count() == 1, path
        assert fits_the_screen(page), path
    assert page.locator("[data-testid=totp-qr]").evaluate("img => img.naturalWidth > 0")
    assert page.csp_violations == []
