"""The phone journey in Chromium at 375 px: a member records an unannounced
inspection with two photos (the draft survives a reload), staff send a
recommendation, the unit's liaison replies, staff mark it resolved, and the
campaign page shows the target's state change at each step."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from PIL import Image

from tests.browser.conftest import Browser
from xieshang.accounts.tests.factories import PASSWORD
from xieshang.councils.tests.browsing import log_in, open_chromium
from xieshang.supervision.models import Inspection, Recommendation
from xieshang.supervision.tests.conftest import World

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


@pytest.fixture
def chromium(monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    with open_chromium(monkeypatch, width=375, height=812) as browser:
        browser.page.on("dialog", lambda dialog: dialog.accept())
        yield browser


def as_user(browser: Browser, base: str, username: str) -> Any:
    browser.page.context.clear_cookies()
    log_in(browser, base, username, PASSWORD)
    return browser.page


def _jpeg(colour: str) -> dict[str, Any]:
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), colour).save(buffer, "JPEG")
    return {"name": f"{colour}.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def _state(page: Any, base: str, world: World) -> str:
    page.goto(f"{base}/c/city/supervision/campaigns/{world.campaign.pk}/")
    return str(
        page.locator("[data-testid=target-HC-01] [data-testid=target-state]").get_attribute("data-state")
    )


def test_inspection_to_resolution_on_a_phone(live_server: Any, chromium: Browser, world: World) -> None:
    base = live_server.url
    page = as_user(chromium, base, "member")
    assert _state(page, base, world) == "not_inspected"
    page.click("[data-testid=action-inspect]")
    page.select_option("#id_target", str(world.river.pk))
    page.fill("#id_inspected_on", "2026-06-15")
    page.check("#id_is_unannounced")
    page.check(f"input[name=participants][value='{world.cast.member_record.pk}']")
    page.fill("#id_findings", "河面漂浮垃圾，排污口有黑水。")
    page.fill("#id_problem_1", "排污口偷排")
    page.select_option("#id_problem_1_unit", str(world.unit.pk))
    # The connection drops and the page is opened again: the draft is back.
    page.reload()
    assert page.input_value("#id_findings") == "河面漂浮垃圾，排污口有黑水。"
    assert page.is_checked("#id_is_unannounced")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.set_input_files("input[name=photos]", [_jpeg("red"), _jpeg("blue")])
    page.click("[data-testid=confirm]")
    page.wait_for_selector("[data-testid=photos]")
    assert page.locator("[data-testid=photos] img").count() == 2
    chromium.screenshot("supervision-01-inspection")
    inspection = Inspection.objects.get()
    assert inspection.is_unannounced
    assert _state(page, base, world) == "problems_open"
    # The draft was cleared once the inspection was recorded.
    page.goto(f"{base}/c/city/supervision/campaigns/{world.campaign.pk}/inspect/")
    assert page.input_value("#id_findings") == ""

    page = as_user(chromium, base, "staff")
    page.goto(f"{base}/c/city/supervision/campaigns/{world.campaign.pk}/recommend/")
    page.select_option("#id_handling_unit", str(world.unit.pk))
    page.fill("#id_title", "关于封堵城东河排污口的建议")
    page.fill("#id_text", "建议立即封堵排污口并追查排放单位。")
    page.check("input[name=problems]")
    page.click("[data-testid=confirm]")
    page.wait_for_selector("[data-testid=status]")
    recommendation = Recommendation.objects.get()

    page = as_user(chromium, base, "liaison")
    page.goto(f"{base}/c/city/supervision/recommendations/")
    page.click(f"text={recommendation.title}")
    page.fill("[data-testid=reply-form] textarea", "已于当日封堵排污口。")
    page.click("[data-testid=reply-form] button[type=submit]")
    page.wait_for_selector("[data-testid=replies] li >> text=已于当日封堵排污口。")
    chromium.screenshot("supervision-02-reply")

    page = as_user(chromium, base, "staff")
    page.goto(f"{base}/c/city/supervision/recommendations/{recommendation.pk}/")
    page.click("[data-testid=action-resolve]")
    page.wait_for_selector("[data-testid=status]")
    assert _state(page, base, world) == "resolved"
    chromium.screenshot("supervision-03-campaign")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert chromium.csp_violations == []
    assert chromium.errors == []
