"""Council administration in a real browser: the administrator adds a sector
and a handling unit with a new liaison, changes a setting (first with a bad
value), adds a local holiday, and every page fits a phone screen without
breaking the content security policy.

Screenshots of each step go to test-artifacts/screenshots/admin-*.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from conftest import Cast
from tests.browser.conftest import Browser
from xieshang.accounts.models import User
from xieshang.accounts.tests.factories import PASSWORD
from xieshang.councils.models import CouncilRole, HandlingUnit, Sector
from xieshang.councils.queries import get_setting
from xieshang.councils.tests.browsing import log_in, open_chromium

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


@pytest.fixture
def admin_page(monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    with open_chromium(monkeypatch) as browser:
        yield browser


def fits_the_screen(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_administrator_sets_up_the_council_structure(
    live_server: Any, admin_page: Browser, cast: Cast
) -> None:
    page = admin_page.page
    base = live_server.url
    log_in(admin_page, base, "admin", PASSWORD)

    page.goto(f"{base}/c/city/admin/")
    admin_page.screenshot("admin-01-hub")
    page.click("[data-testid=structure-hub] a[href$='/admin/bodies/sectors/']")
    page.click("a[href$='/admin/bodies/sectors/new/']")
    page.fill("#id_name", "经济界")
    page.click("[data-testid=edit-form] button[type=submit]")
    page.wait_for_url(f"{base}/c/city/admin/bodies/sectors/")
    assert "经济界" in page.locator("[data-testid=body-list]").inner_text()
    assert Sector.objects.filter(council=cast.city, name="经济界").exists()

    # A new handling unit leads to its liaisons; a new account shows its password once.
    page.goto(f"{base}/c/city/admin/bodies/units/new/")
    page.fill("#id_name", "市教育局")
    page.click("[data-testid=edit-form] button[type=submit]")
    unit = HandlingUnit.objects.get(council=cast.city, name="市教育局")
    page.wait_for_url(f"{base}/c/city/admin/bodies/units/{unit.pk}/people/")
    form = page.locator("[data-testid=account-form]")
    form.locator("#id_username").fill("edu.liaison")
    form.locator("#id_full_name").fill("钱联络")
    form.locator("button[type=submit]").click()
    password = page.locator("[data-testid=temporary-password]").inner_text()
    admin_page.screenshot("admin-02-account-created")
    assert User.objects.get(username="edu.liaison").check_password(password)
    assert CouncilRole.objects.get(user__username="edu.liaison").handling_unit == unit

    # A bad setting value is named next to the field; a good one is saved with its reason.
    page.goto(f"{base}/c/city/admin/settings/")
    admin_page.screenshot("admin-03-settings")
    page.click("[data-testid=setting-lockout_failures] a")
    page.fill("#id_value", "99")
    page.fill("#id_reason", "按省里新规定")
    page.click("[data-testid=setting-form] button[type=submit]")
    assert page.locator("#id_value.is-invalid").count() == 1
    assert page.locator("#id_reason").input_value() == "按省里新规定"
    admin_page.screenshot("admin-04-setting-error")
    page.fill("#id_value", "6")
    page.click("[data-testid=setting-form] button[type=submit]")
    page.locator("[data-testid=history] table").wait_for()
    assert "按省里新规定" in page.locator("[data-testid=history]").inner_text()
    assert get_setting(cast.city, "lockout_failures") == 6

    page.goto(f"{base}/c/city/admin/calendar/")
    admin_page.screenshot("admin-05-calendar")
    page.goto(f"{base}/c/city/admin/roles/")
    admin_page.screenshot("admin-06-roles")

    # On a phone every administration page fits the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("admin/", "admin/bodies/units/", "admin/roles/", "admin/settings/", "admin/calendar/"):
        page.goto(f"{base}/c/city/{path}")
        assert fits_the_screen(page), path
    admin_page.screenshot("admin-07-phone-calendar")
    assert admin_page.csp_violations == []
    assert admin_page.errors == []
