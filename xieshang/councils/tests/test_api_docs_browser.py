"""The API documentation page in a real browser: Swagger UI starts from our
own static files under the strict CSP and lists the operations."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

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
def browser_page(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (./test installs it)")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.problems = []
        page.on(
            "console",
            lambda message: (
                page.problems.append(message.text[:200])
                if "Content Security Policy" in message.text
                else None
            ),
        )
        page.on("pageerror", lambda error: page.problems.append(str(error)[:200]))
        page.external_requests = []
        page.on(
            "request",
            lambda request: (
                page.external_requests.append(request.url)
                if not request.url.startswith(("http://localhost", "data:"))
                else None
            ),
        )
        yield page
        browser.close()


def test_docs_page_renders_the_operations_without_csp_violations(live_server, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15000)
    assert page.locator(".swagger-ui .opblock").count() >= 10
    assert page.problems == []
    assert page.external_requests == []
