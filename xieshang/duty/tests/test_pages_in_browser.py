"""Duty pages in a real browser: the member's page draws its chart, the staff
overview its grade chart, the rules preview works, and nothing breaks the
content security policy. Screenshots: test-artifacts/screenshots/duty-*.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import Browser
from xieshang.accounts.tests.factories import PASSWORD
from xieshang.councils.tests.browsing import log_in, open_chromium
from xieshang.duty.actions import rebuild_duty_records
from xieshang.duty.tests.conftest import YEAR, DutyWorld

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    with open_chromium(monkeypatch) as opened:
        yield opened


@pytest.fixture
def phone(monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    with open_chromium(monkeypatch, width=390, height=844) as opened:
        yield opened


def chart_drawn(page: Any, selector: str) -> bool:
    return bool(page.locator(f"{selector} canvas").count())


def test_member_sees_their_points_chart_on_a_phone(
    live_server: Any, phone: Browser, world: DutyWorld
) -> None:
    rebuild_duty_records(world.cast.city, YEAR)
    page = phone.page
    log_in(phone, live_server.url, "member", PASSWORD)
    page.goto(f"{live_server.url}/c/city/duty/?year={YEAR}")
    page.wait_for_selector("[data-chart=duty-kind-chart] canvas")
    assert page.locator("[data-testid=total-points]").inner_text() == "85"
    assert "王委员" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.screenshot("duty-01-member-phone")
    assert not phone.csp_violations, phone.csp_violations
    assert not phone.errors, phone.errors


def test_staff_overview_and_administrator_rules_preview(
    live_server: Any, browser: Browser, world: DutyWorld
) -> None:
    rebuild_duty_records(world.cast.city, YEAR)
    page = browser.page
    base = live_server.url
    log_in(browser, base, "staff", PASSWORD)
    page.goto(f"{base}/c/city/duty/overview/?year={YEAR}")
    page.wait_for_selector("[data-chart=duty-grade-chart] canvas")
    assert "赵委员" in page.locator("[data-testid=no-activity]").inner_text()
    browser.screenshot("duty-02-overview")
    browser.page.context.clear_cookies()
    log_in(browser, base, "admin", PASSWORD)
    page.goto(f"{base}/c/city/duty/rules/?year={YEAR}")
    assert page.locator("[data-testid=default-rules]").count() == 1
    page.fill("#id_form-0-points", "80")
    page.click("[data-testid=preview-rules]")
    page.wait_for_selector("[data-testid=rules-preview]")
    browser.screenshot("duty-03-rules-preview")
    page.click("[data-testid=save-rules]")
    page.wait_for_selector(".alert-success, [role=status], .messages", timeout=10000)
    assert page.locator("[data-testid=default-rules]").count() == 0
    assert not browser.csp_violations, browser.csp_violations
    assert not browser.errors, browser.errors
