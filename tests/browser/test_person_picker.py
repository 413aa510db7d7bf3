"""The person picker, with the strict CSP. On a phone (375 px) a member
finds cosigners by their initials, picks two with the keyboard, takes one
back with Backspace, and the invitations are saved; a name written as
markup shows as text. On the roles page, which takes one person, a second
pick replaces the first."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import Cast
from tests.browser.conftest import Browser
from tests.browser.test_themes_and_joint_in_browser import log_in
from xieshang.councils.models import CouncilRole, Role
from xieshang.councils.tests.factories import MemberFactory, UserFactory
from xieshang.proposals.models import Cosigner
from xieshang.proposals.tests.factories import ProposalFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SEARCH = "[data-testid=person-picker-search]"
OPTIONS = "[data-testid=person-picker-option]"
CHIPS = "[data-testid=person-picker-chip]"


def type_and_wait(page: Any, text: str, count: int) -> None:
    page.fill(SEARCH, "")
    page.type(SEARCH, text)
    page.wait_for_function(
        "([selector, count]) => document.querySelectorAll(selector).length === count", arg=[OPTIONS, count]
    )


def test_a_member_picks_two_cosigners_by_initials_on_a_phone(
    live_server: Any, chromium_page: Browser, cast: Cast
) -> None:
    zhang = MemberFactory(council=cast.city, term=cast.term, full_name="张三")
    shan = MemberFactory(council=cast.city, term=cast.term, full_name="张珊")
    marked = MemberFactory(council=cast.city, term=cast.term, full_name="<b>张</b>松")
    MemberFactory(council=cast.city, term=cast.term, full_name="王五")
    proposal = ProposalFactory(council=cast.city, lead_proposer=cast.member_record, filed_by=cast.member)
    browser, base = chromium_page, live_server.url
    page = browser.page
    page.set_viewport_size({"width": 375, "height": 812})
    log_in(browser, base, "member", "city")
    page.goto(f"{base}/c/city/proposals/{proposal.pk}/")

    page.click(SEARCH)
    type_and_wait(page, "zs", 3)
    names = page.locator(OPTIONS).all_inner_texts()
    assert names == ["<b>张</b>松", "张三", "张珊"]
    assert page.locator(".person-picker-results b").count() == 0
    browser.screenshot("person-picker-01-matches")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # 张三
    type_and_wait(page, "zs", 2)  # who is chosen is not offered again
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # 张珊
    type_and_wait(page, "zs", 1)
    page.keyboard.press("Enter")  # the markup name
    assert page.locator(CHIPS).all_inner_texts() == ["张三", "张珊", "<b>张</b>松"]
    page.fill(SEARCH, "")
    page.keyboard.press("Backspace")
    assert page.locator(CHIPS).all_inner_texts() == ["张三", "张珊"]
    browser.screenshot("person-picker-02-chosen")

    page.click("[data-testid=action-invite]")
    page.wait_for_selector(".alert-success")
    invited = set(Cosigner.objects.filter(proposal=proposal).values_list("member_id", flat=True))
    assert invited == {zhang.pk, shan.pk}
    assert marked.pk not in invited
    assert browser.csp_violations == [] and browser.errors == []


def test_an_administrator_grants_a_role_to_one_member_found_by_pinyin(
    live_server: Any, chromium_page: Browser, cast: Cast
) -> None:
    first = MemberFactory(
        council=cast.city, term=cast.term, full_name="张三", user=UserFactory(username="zs")
    )
    second = MemberFactory(
        council=cast.city, term=cast.term, full_name="李四", user=UserFactory(username="ls")
    )
    browser, base = chromium_page, live_server.url
    page = browser.page
    log_in(browser, base, "admin", "city")
    page.goto(f"{base}/c/city/admin/roles/")
    page.click(SEARCH)
    type_and_wait(page, "zhangsan", 1)
    page.keyboard.press("Enter")
    type_and_wait(page, "lisi", 1)
    page.keyboard.press("Enter")  # one person only: 李四 takes 张三's place
    assert page.locator(CHIPS).all_inner_texts() == ["李四"]
    page.select_option("#id_role", Role.STAFF)
    page.click("[data-testid=grant-form] button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert CouncilRole.objects.filter(council=cast.city, user=second.user, role=Role.STAFF).exists()
    assert not CouncilRole.objects.filter(council=cast.city, user=first.user).exists()
    assert browser.csp_violations == [] and browser.errors == []
