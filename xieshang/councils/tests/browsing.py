"""A real browser for the council administration page tests (Debian's
Chromium driven by Playwright), recording CSP violations and script errors."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, Browser


@contextmanager
def open_chromium(
    monkeypatch: pytest.MonkeyPatch, *, width: int = 1280, height: int = 800
) -> Iterator[Browser]:
    """One page in a fresh Chromium, closed on leaving; skip when Chromium is missing."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (./test installs it)")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = chromium.new_context(viewport={"width": width, "height": height}, locale="zh-CN").new_page()
        watched = Browser(page)

        def on_console(message: Any) -> None:
            if "Content Security Policy" in message.text:
                watched.csp_violations.append(f"{page.url}: {message.text[:160]}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: watched.errors.append(f"{page.url}: {error}"))
        try:
            yield watched
        finally:
            chromium.close()


def log_in(browser: Browser, base: str, username: str, password: str) -> None:
    page = browser.page
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("[data-testid=login-form] button[type=submit]")
    page.wait_for_load_state()
