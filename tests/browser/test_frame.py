"""The page frame in a real browser: a staff member logs in on the real form,
switches language and elder mode, opens the member list, and every page fits
a phone screen without breaking the content security policy.

Screenshots of each step go to test-artifacts/screenshots/frame-*.png.
"""

from __future__ import annotations

from typing import Any

import pytest

from config import settings as production
from conftest import Cast
from tests.browser.conftest import Browser
from xieshang.accounts.tests.factories import PASSWORD
from xieshang.councils.tests.factories import MemberFactory, SectorFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # One live server per xdist worker is fine, but keep browser tests together
    # so that two Chromiums never compete for the two cores of a small runner.
    pytest.mark.xdist_group("browser"),
]


def html_lang(page: Any) -> str:
    return str(page.locator("html").get_attribute("lang"))


def fits_the_screen(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def pixels(page: Any, selector: str, prop: str) -> float:
    value = page.locator(selector).first.evaluate(f"el => getComputedStyle(el).{prop}")
    return float(str(value).removesuffix("px"))


def test_staff_walks_the_page_frame_in_both_languages_elder_mode_and_on_a_phone(
    live_server: Any, chromium_page: Browser, cast: Cast, settings: Any
) -> None:
    # Users get Chinese first; the suite's default is English (test_settings).
    settings.LANGUAGE_CODE = production.LANGUAGE_CODE
    sector = SectorFactory(council=cast.city, name="教育界")
    for name in ("王建国", "陈丽华", "欧阳思远"):
        MemberFactory(council=cast.city, term=cast.term, full_name=name, sector=sector)
    browser = chromium_page
    page = browser.page
    base = live_server.url

    # Log in with username and password on the real form.
    page.goto(f"{base}/accounts/login/")
    browser.screenshot("frame-01-login")
    page.fill("#id_username", "staff")
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-form] button[type=submit]")
    page.wait_for_url(f"{base}/c/city/")

    # The home page, in Chinese by default.
    assert html_lang(page) == "zh-CN"
    assert "某某市政协" in page.locator("header").inner_text()
    assert page.locator("h1").count() == 1
    chinese_title = page.locator("h1").inner_text()
    assert any("\u4e00" <= char <= "\u9fff" for char in chinese_title), chinese_title
    browser.screenshot("frame-02-home-chinese")

    # To English and back.
    page.click("[data-testid=language-switch]")
    page.wait_for_load_state()
    assert html_lang(page) == "en"
    assert page.url == f"{base}/c/city/"
    assert page.locator("h1").inner_text() == "My work"
    browser.screenshot("frame-03-home-english")
    page.click("[data-testid=language-switch]")
    page.wait_for_load_state()
    assert html_lang(page) == "zh-CN"
    assert page.locator("h1").inner_text() == chinese_title

    # Elder mode: larger text and targets, then off again.
    normal_size = pixels(page, "body", "fontSize")
    page.click("[data-testid=elder-toggle]")
    page.wait_for_load_state()
    assert "elder-mode" in str(page.locator("html").get_attribute("class"))
    assert pixels(page, "body", "fontSize") >= 18
    assert pixels(page, "main", "fontSize") >= 18
    assert page.locator("[data-testid=elder-toggle]").bounding_box()["height"] >= 60
    assert page.locator("main .btn").first.bounding_box()["height"] >= 60
    browser.screenshot("frame-04-elder-mode")
    page.click("[data-testid=elder-toggle]")
    page.wait_for_load_state()
    assert "elder-mode" not in str(page.locator("html").get_attribute("class") or "")
    assert pixels(page, "body", "fontSize") == normal_size

    # The member list, from the side navigation.
    page.click("nav.side-nav a[href='/c/city/members/']")
    page.wait_for_url(f"{base}/c/city/members/")
    main = page.locator("main").inner_text()
    for name in ("王建国", "陈丽华", "欧阳思远", "李委员"):
        assert name in main
    browser.screenshot("frame-05-member-list")

    # A phone: 375 px wide, nothing scrolls sideways, in both modes.
    page.set_viewport_size({"width": 375, "height": 740})
    for path, name in (("/c/city/members/", "member-list"), ("/c/city/", "home")):
        page.goto(f"{base}{path}")
        assert fits_the_screen(page), path
        browser.screenshot(f"frame-06-phone-{name}")
    page.click("[data-testid=elder-toggle]")
    page.wait_for_load_state()
    for path, name in (("/c/city/", "home"), ("/c/city/members/", "member-list")):
        page.goto(f"{base}{path}")
        assert fits_the_screen(page), f"{path} in elder mode"
        browser.screenshot(f"frame-07-phone-elder-{name}")

    assert browser.csp_violations == []
    assert browser.errors == []
