"""Every role reaches its whole navigation on a phone and on a tablet.

At 375 px and at 820 px, role by role, the menu button opens the side
navigation as a sheet holding exactly the modules the role has on the
desktop; each of them is clicked through and opens (200) with its heading.
The home page of each role is photographed at 375 px, normally and in elder
mode: test-artifacts/screenshots/phone-<role>-home[-elder].png.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from config import settings as production
from conftest import Cast
from tests.browser.conftest import Browser
from xieshang.accounts.models import User
from xieshang.core.testing import parse_html
from xieshang.councils.models import OversightKind, Role
from xieshang.councils.navigation import side_nav
from xieshang.councils.tests.factories import CouncilRoleFactory, OversightOfficeFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]

WIDTHS = (375, 820)
# The role, and the council whose pages it opens.
ROLES = (
    ("member", "city"),
    ("staff", "city"),
    ("leader", "city"),
    ("admin", "city"),
    ("liaison", "city"),
    ("oversight", "city"),
    ("gov_office", "city"),
    ("upper", "province"),
    ("platform", "city"),
)


def government_office_user(cast: Cast) -> User:
    office = OversightOfficeFactory(
        council=cast.city, name="某某市人民政府办公室", kind=OversightKind.GOVERNMENT
    )
    user = UserFactory(username="gov_office", full_name="政府办")
    CouncilRoleFactory(user=user, council=cast.city, role=Role.OVERSIGHT, oversight_office=office)
    return user


def sign_in(browser: Browser, base: str, user: User) -> Client:
    """The browser carries the session of a test client logged in as user."""
    client = Client()
    client.force_login(user, backend="xieshang.accounts.backends.UsernameOrMobileBackend")
    context = browser.page.context
    context.clear_cookies()
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base}])
    return client


def heading(client: Client, path: str) -> str:
    page = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200, path
    return parse_html(page.content).one("h1").text


def menu_links(page: Any) -> list[str]:
    return [str(a.get_attribute("href")) for a in page.locator("#side-nav .side-nav-modules a").all()]


def walk_the_menu(page: Any, base: str, home: str, expected: dict[str, str], width: int, who: str) -> None:
    page.goto(f"{base}{home}")
    for path, title in expected.items():
        # From the page the last click opened: the menu is on every page.
        page.click("[data-testid=menu-button]")
        sheet = page.locator("#side-nav")
        sheet.wait_for(state="visible")
        link = sheet.locator(f".side-nav-modules a[href='{path}']")
        assert link.is_visible(), f"{who} at {width} px: {path} not in the sheet"
        with page.expect_navigation() as opened:
            link.click()
        assert opened.value.status == 200, f"{who} at {width} px: {path} gave {opened.value.status}"
        assert page.locator("h1").first.inner_text().strip() == title, f"{who} at {width} px: {path}"


def test_every_role_reaches_every_module_from_the_phone_menu(
    live_server: Any, chromium_page: Browser, cast: Cast, settings: Any
) -> None:
    settings.LANGUAGE_CODE = production.LANGUAGE_CODE
    users = {name: cast.user(name) for name, _slug in ROLES if name != "gov_office"}
    users["gov_office"] = government_office_user(cast)
    browser = chromium_page
    page = browser.page
    base = live_server.url
    for who, slug in ROLES:
        user = users[who]
        assert user is not None
        client = sign_in(browser, base, user)
        nav = side_nav(cast.actor(user, slug))
        assert len(nav) > 0, who
        expected = {item["url"]: heading(client, item["url"]) for item in nav}
        home = nav[0]["url"]
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            page.goto(f"{base}{home}")
            # Below 992 px the navigation is a sheet, hidden until asked for.
            assert not page.locator("#side-nav").is_visible(), f"{who} at {width} px"
            assert menu_links(page) == list(expected), who
            walk_the_menu(page, base, home, expected, width, who)
        photograph_home(browser, base, home, who)
    assert browser.csp_violations == []
    assert browser.errors == []


def photograph_home(browser: Browser, base: str, home: str, who: str) -> None:
    page = browser.page
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{base}{home}")
    assert fits(page), who
    browser.screenshot(f"phone-{who}-home")
    page.click("[data-testid=elder-toggle]")
    page.wait_for_load_state()
    assert "elder-mode" in str(page.locator("html").get_attribute("class"))
    # One line of header: it stays under a tenth of the first screen.
    header = page.locator("[data-testid=app-header]").bounding_box()
    assert header is not None and header["height"] <= 80, f"{who}: header {header}"
    assert fits(page), f"{who} in elder mode"
    browser.screenshot(f"phone-{who}-home-elder")
    page.click("[data-testid=menu-button]")
    page.locator("#side-nav").wait_for(state="visible")
    browser.screenshot(f"phone-{who}-menu-elder")
    page.keyboard.press("Escape")
    page.click("[data-testid=elder-toggle]")
    page.wait_for_load_state()


def fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))
