"""A meeting in a real browser: staff create and publish a meeting and
invite two members; one member asks for leave on a phone and staff approve;
the other scans the check-in code (opens its link) and is checked in; staff
see both on the attendance sheet. No page breaks the content security policy.

Screenshots of each step go to test-artifacts/screenshots/meetings-*.png.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from conftest import Cast
from tests.browser.conftest import Browser
from xieshang.accounts.tests.factories import PASSWORD
from xieshang.councils.models import Role
from xieshang.councils.tests.browsing import log_in, open_chromium
from xieshang.councils.tests.factories import CouncilRoleFactory, MemberFactory, UserFactory
from xieshang.meetings.models import CheckIn, LeaveRequest, Meeting, Sitting

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    with open_chromium(monkeypatch) as opened:
        yield opened


def switch_user(browser: Browser, base: str, username: str, *, phone: bool = False) -> None:
    browser.page.context.clear_cookies()
    browser.page.set_viewport_size({"width": 375, "height": 760} if phone else {"width": 1280, "height": 800})
    log_in(browser, base, username, PASSWORD)


def test_staff_meeting_leave_check_in_and_sheet(
    live_server: Any, browser: Browser, cast: Cast, settings: Any
) -> None:
    # The check-in code carries the public address; here that is the test server.
    settings.PUBLIC_URL = live_server.url
    colleague = UserFactory(username="colleague", full_name="王委员")
    CouncilRoleFactory(user=colleague, council=cast.city, role=Role.MEMBER)
    MemberFactory(council=cast.city, term=cast.term, user=colleague, full_name="王委员")
    page = browser.page
    base = live_server.url
    tomorrow = timezone.localtime() + dt.timedelta(days=1)

    # Staff create and publish the meeting, then invite both members.
    switch_user(browser, base, "staff")
    page.goto(f"{base}/c/city/meetings/all/")
    page.click("[data-testid=new-meeting]")
    page.select_option("#id_kind", "standing_committee")
    page.fill("#id_title", "市政协常委会第十二次会议")
    page.fill("#id_starts_at", tomorrow.strftime("%Y-%m-%dT09:00"))
    page.fill("#id_ends_at", tomorrow.strftime("%Y-%m-%dT12:00"))
    page.fill("#id_place", "市民中心三楼会议室")
    page.fill("#id_agenda", "一、审议年度协商计划\n二、通报提案办理情况")
    browser.screenshot("meetings-01-new")
    page.click("[data-testid=create-publish]")
    page.wait_for_selector("[data-testid=invitees-form]")
    meeting = Meeting.objects.get()
    assert meeting.status == "published"
    for name in ("李委员", "王委员"):  # the person picker: search, then choose
        page.fill("#id_members-search", name)
        page.locator("[data-testid=person-picker-option]", has_text=name).click()
    page.click("[data-testid=invitees-form] button[type=submit]")
    page.wait_for_selector("[data-testid=invited-count]")
    assert page.locator("[data-testid=invited-count]").inner_text().startswith("2")
    browser.screenshot("meetings-02-detail-staff")

    # The member, on a phone, finds the meeting and asks for leave.
    switch_user(browser, base, "member", phone=True)
    page.goto(f"{base}/c/city/meetings/")
    browser.screenshot("meetings-03-my-meetings-phone")
    page.click("[data-testid=upcoming] a")
    page.fill("#id_reason", "赴省里参加培训，无法出席")
    page.click("[data-testid=leave-form] button[type=submit]")
    page.wait_for_selector("[data-testid=my-leave]")
    browser.screenshot("meetings-04-leave-requested-phone")
    assert LeaveRequest.objects.get().status == "pending"

    # Staff approve it on the meeting page, and open the check-in screen.
    switch_user(browser, base, "staff")
    page.goto(f"{base}/c/city/meetings/{meeting.pk}/")
    page.click("[data-testid=approve-leave]")
    page.wait_for_load_state()
    assert LeaveRequest.objects.get().status == "approved"
    page.click("[data-testid=code-screen-link]")
    page.wait_for_selector("[data-testid=check-in-code] img")
    assert page.locator("img.check-in-qr").evaluate("img => img.naturalWidth > 0")
    browser.screenshot("meetings-05-code-screen")
    link = page.locator("[data-testid=check-in-link]").get_attribute("href")
    assert link is not None and "/meetings/check-in/" in link

    # The day comes: the sitting starts within the hour, so check-in is open
    # (it opens two hours before, by default).
    soon = timezone.now() + dt.timedelta(hours=1)
    Sitting.objects.filter(meeting=meeting).update(starts_at=soon, ends_at=soon + dt.timedelta(hours=3))
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=soon, ends_at=soon + dt.timedelta(hours=3))

    # The other member's phone opens the scanned link and is checked in.
    switch_user(browser, base, "colleague", phone=True)
    page.goto(link)
    page.wait_for_selector("[data-testid=check-in-ok]")
    browser.screenshot("meetings-06-checked-in-phone")
    page.goto(link)
    assert page.locator("[data-testid=check-in-refused]").get_attribute("data-reason") == "already_checked_in"
    assert CheckIn.objects.count() == 1

    # Staff see both on the sheet.
    switch_user(browser, base, "staff")
    page.goto(f"{base}/c/city/meetings/{meeting.pk}/sheet/")
    rows = page.locator("[data-testid=sheet-row]")
    assert rows.count() == 2
    statuses = dict(
        zip(
            page.locator("[data-testid=sheet-row] td:first-child a").all_inner_texts(),
            page.locator("[data-testid=sheet-status]").all_inner_texts(),
            strict=True,
        )
    )
    assert set(statuses) == {"李委员", "王委员"}
    assert statuses["李委员"] != statuses["王委员"]
    browser.screenshot("meetings-07-sheet")
    assert browser.csp_violations == []
    assert browser.errors == []
