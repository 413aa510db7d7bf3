"""The whole journey of one report in Chromium: the member files it, city
staff adopt it, print it in a bulletin issue and forward it to the province
and the party committee; province staff adopt it; the party-committee office
records an instruction; the member sees every step on the report's page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from conftest import Cast
from tests.browser.conftest import Browser
from xieshang.accounts.tests.factories import PASSWORD
from xieshang.councils.tests.browsing import log_in, open_chromium
from xieshang.opinions.models import BulletinIssue, Forwarding, OpinionReport, ReportInstruction

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]
TITLE = "关于加快老旧小区加装电梯的建议"


@pytest.fixture
def chromium(monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    with open_chromium(monkeypatch) as browser:
        browser.page.on("dialog", lambda dialog: dialog.accept())
        yield browser


def as_user(browser: Browser, base: str, username: str) -> Any:
    """Log out whoever was logged in and log username in."""
    browser.page.context.clear_cookies()
    log_in(browser, base, username, PASSWORD)
    return browser.page


def test_report_goes_from_member_to_province_and_back_to_the_member(
    live_server: Any, chromium: Browser, cast: Cast
) -> None:
    base = live_server.url
    city = f"{base}/c/city/opinions"

    report = file_the_report(as_user(chromium, base, "member"), chromium, city)
    page = as_user(chromium, base, "staff")
    adopt_and_print(page, chromium, city, cast)
    forward_up_and_to_the_office(page, chromium, city, report)

    page = as_user(chromium, base, "upper")
    page.goto(f"{base}/c/province/opinions/received/")
    assert TITLE in page.locator("[data-testid=received]").inner_text()
    page.click(f"text={TITLE}")
    page.click("[data-testid=action-adopt]")
    page.wait_for_selector("[data-testid=action-forward]")
    chromium.screenshot("opinions-05-province-adopted")

    record_the_instruction(as_user(chromium, base, "oversight"), chromium, city)

    page = as_user(chromium, base, "member")
    page.goto(f"{city}/{report.pk}/")
    timeline = page.locator("[data-testid=timeline]").inner_text()
    assert cast.province.name in timeline
    assert "王建国" in page.locator("[data-testid=instructions]").inner_text()
    assert page.locator("[data-testid=highest-level]").count() == 1
    chromium.screenshot("opinions-07-member-timeline")

    page = as_user(chromium, base, "staff")
    page.goto(f"{city}/statistics/")
    page.wait_for_selector("[data-chart=level-chart] canvas")
    assert page.locator("[data-testid=adopted]").inner_text() == "1"
    chromium.screenshot("opinions-08-statistics")
    assert chromium.csp_violations == []
    assert chromium.errors == []


def file_the_report(page: Any, chromium: Browser, city: str) -> OpinionReport:
    """The member writes the report, watching one counter for its three sections, and files it."""
    page.goto(f"{city}/new/")
    page.fill("#id_title", TITLE)
    page.fill("#id_problem", "我市老旧小区加装电梯推进缓慢，居民反映强烈。")
    page.fill("#id_analysis", "审批环节多，资金分摊难以协调。")
    page.fill("#id_suggestion", "建议简化审批，设立专项补助资金。")
    # One counter for the three sections, which the limit counts together.
    assert "/ 1500" in page.locator("[data-testid=length-counter]").inner_text()
    chromium.screenshot("opinions-01-member-files")
    page.click("[data-testid=submit-report]")
    page.wait_for_selector("[data-testid=timeline]")
    report = OpinionReport.objects.get(title=TITLE)
    assert report.status == "submitted"
    return report


def adopt_and_print(page: Any, chromium: Browser, city: str, cast: Cast) -> None:
    """City staff adopt the report and print it in a bulletin issue."""
    page.goto(f"{city}/queue/")
    page.click(f"text={TITLE}")
    page.click("[data-testid=action-adopt]")
    page.wait_for_selector("[data-testid=action-forward]")
    chromium.screenshot("opinions-02-staff-adopted")
    page.goto(f"{city}/bulletin/")
    page.click("[data-testid=create-issue]")
    page.wait_for_selector("[data-testid=compose-form]")
    page.check("[data-testid=candidate]")
    page.click("[data-testid=save-issue]")
    page.wait_for_selector("[data-testid=publish-issue]")
    page.click("[data-testid=publish-issue]")
    page.wait_for_selector("[data-testid=entries]")
    chromium.screenshot("opinions-03-issue-published")
    assert BulletinIssue.objects.get(council=cast.city).status == "published"


def forward_up_and_to_the_office(page: Any, chromium: Browser, city: str, report: OpinionReport) -> None:
    """City staff forward the report to the province and to the party committee."""
    page.goto(f"{city}/{report.pk}/forward/")
    page.check("input[name=target][value=parent]")
    page.click("[data-testid=confirm]")
    page.wait_for_selector("[data-testid=forwardings]")
    page.goto(f"{city}/{report.pk}/forward/")
    page.check("input[name=target][value=oversight]")
    page.check("input[name=offices]")
    page.click("[data-testid=confirm]")
    page.wait_for_selector("[data-testid=forwardings]")
    chromium.screenshot("opinions-04-forwarded")
    assert Forwarding.objects.filter(report=report).count() == 2


def record_the_instruction(page: Any, chromium: Browser, city: str) -> None:
    """The party-committee office records the secretary's instruction."""
    page.goto(f"{city}/office/")
    page.click(f"text={TITLE}")
    page.fill("#id_leader_name", "王建国")
    page.fill("#id_leader_title", "市委书记")
    page.select_option("#id_level", "city")
    page.fill("#id_text", "请市住建局牵头研究，尽快拿出推进方案。")
    page.click("[data-testid=record-instruction]")
    page.wait_for_selector("[data-testid=instructions]")
    chromium.screenshot("opinions-06-instruction")
    assert ReportInstruction.objects.get().leader_name == "王建国"
