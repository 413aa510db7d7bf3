"""A real browser for the page tests: Debian's Chromium driven by Playwright.

Each test gets its own browser (started and closed inside the test), so no
event loop outlives it; `DJANGO_ALLOW_ASYNC_UNSAFE` is set only while it
runs, because Playwright's sync API keeps an event loop in the test's thread
while the test itself talks to the database synchronously.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
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
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@dataclass
class Browser:
    """One page in a fresh browser, with what the page complained about."""

    page: Any
    csp_violations: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def chromium_page(monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (./test installs it)")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
        page = context.new_page()
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
