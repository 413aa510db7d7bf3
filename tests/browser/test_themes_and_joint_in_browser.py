"""In a real browser, with the strict CSP: staff tag a proposal with a theme
typed over the council's list and remove it again; a county member named
for the city's joint consultation opens it from their own list."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from conftest import Cast
from tests.browser.conftest import Browser
from xieshang.accounts.tests.factories import PASSWORD
from xieshang.consultations.actions import joint
from xieshang.consultations.tests.factories import ConsultationFactory
from xieshang.councils.models import Role, Term
from xieshang.councils.tenancy import build_actor
from xieshang.councils.tests.factories import CouncilRoleFactory, MemberFactory, TermFactory, UserFactory
from xieshang.proposals.tests.factories import ProposalFactory
from xieshang.themes.models import Theme, ThemeTag

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(browser: Browser, base: str, username: str, council: str) -> None:
    page = browser.page
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-form] button[type=submit]")
    page.wait_for_url(f"{base}/c/{council}/")


def test_staff_tag_a_proposal_and_remove_the_theme(
    live_server: Any, chromium_page: Browser, cast: Cast
) -> None:
    Theme.objects.create(council=cast.city, name="乡村振兴")
    proposal = ProposalFactory(
        council=cast.city, lead_proposer=cast.member_record, filed_by=cast.member, status="submitted"
    )
    browser, base = chromium_page, live_server.url
    page = browser.page
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(browser, base, "staff", "city")
    page.goto(f"{base}/c/city/proposals/{proposal.pk}/")
    page.click("[data-testid=tag-themes]")
    page.fill("#id_names", "乡村振兴，数字乡村")
    browser.screenshot("themes-01-tag-form")
    page.click("[data-testid=tag-form] button[type=submit]")
    page.wait_for_selector("[data-testid=item-tags] >> text=数字乡村")
    assert sorted(ThemeTag.objects.values_list("theme__name", flat=True)) == ["乡村振兴", "数字乡村"]
    page.locator("[data-testid=item-tags] li", has_text="数字乡村").locator("[data-testid=untag]").click()
    page.wait_for_selector("[data-testid=item-tags] >> text=数字乡村", state="detached")
    assert list(ThemeTag.objects.values_list("theme__name", flat=True)) == ["乡村振兴"]
    page.goto(f"{base}/c/city/proposals/{proposal.pk}/")
    assert "乡村振兴" in page.locator("[data-testid=item-themes]").inner_text()
    browser.screenshot("themes-02-proposal-with-theme")
    assert browser.csp_violations == [] and browser.errors == []


def test_a_named_county_member_opens_the_joint_consultation_from_their_list(
    live_server: Any, chromium_page: Browser, cast: Cast
) -> None:
    consultation = ConsultationFactory(
        council=cast.city,
        created_by=cast.staff,
        topic="跨区域河湖长制联合协商",
        place="市政协三楼会议室",
        starts_at=timezone.now() + dt.timedelta(days=30),
    )
    staff = build_actor(cast.staff, cast.city)
    assert staff is not None
    invitation = joint.invite_lower_council(consultation, lower=cast.county, actor=staff)
    county_staff = UserFactory(username="county_staff")
    CouncilRoleFactory(user=county_staff, council=cast.county, role=Role.STAFF)
    member_user = UserFactory(username="county_member", full_name="赵委员")
    CouncilRoleFactory(user=member_user, council=cast.county, role=Role.MEMBER)
    term = Term.objects.filter(council=cast.county).first() or TermFactory(council=cast.county)
    member = MemberFactory(council=cast.county, term=term, user=member_user, full_name="赵委员")
    county = build_actor(county_staff, cast.county)
    assert county is not None
    joint.accept_joint(invitation, members=[member], actor=county)

    browser, base = chromium_page, live_server.url
    page = browser.page
    log_in(browser, base, "county_member", "county")
    assert "跨区域河湖长制联合协商" in page.content()  # on the home page
    page.goto(f"{base}/c/county/consultations/mine/")
    page.click("[data-testid=my-joint-consultation] a")
    facts = page.locator("[data-testid=joint-facts]").inner_text()
    assert "市政协三楼会议室" in facts
    browser.screenshot("joint-01-member-page")
    assert browser.csp_violations == [] and browser.errors == []
