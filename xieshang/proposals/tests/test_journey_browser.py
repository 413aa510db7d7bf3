"""The whole proposal journey in a real browser (Debian's Chromium via
Playwright): a member files a joint proposal and invites a cosigner, who
confirms; staff accept and assign; the unit replies; staff release; the
member rates. Screenshots go to test-artifacts/screenshots/proposal-*.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import Browser
from xieshang.accounts.tests.factories import PASSWORD
from xieshang.councils.tests.browsing import log_in, open_chromium
from xieshang.proposals.models import Cosigner, Proposal
from xieshang.proposals.states import CosignStatus, ProposalStatus
from xieshang.proposals.tests.conftest import World

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    with open_chromium(monkeypatch) as opened:
        # Every irreversible step asks for confirmation first: say yes.
        opened.page.on("dialog", lambda dialog: dialog.accept())
        yield opened


def _as(browser: Browser, base: str, username: str) -> Any:
    browser.page.context.clear_cookies()
    log_in(browser, base, username, PASSWORD)
    return browser.page


def test_joint_proposal_from_filing_to_rating(live_server: Any, browser: Browser, world: World) -> None:
    base = f"{live_server.url}/c/city/proposals"

    page = _as(browser, live_server.url, "member")
    page.goto(f"{base}/new/")
    page.fill("#id_title", "关于推进城市社区嵌入式养老服务的建议")
    page.select_option("#id_category", str(world.category.pk))
    page.fill("#id_situation", "我市老龄化程度不断加深，社区养老服务需求旺盛。")
    page.fill("#id_analysis", "社区养老设施布局不均，专业服务力量不足。")
    page.fill("#id_suggestions", "一是推进嵌入式养老服务设施建设；二是加强护理人才培养。")
    counter = page.locator("#id_title-counter").inner_text()
    assert counter.endswith("/ 50")
    browser.screenshot("proposal-1-form")
    page.click("[data-testid=save-draft]")
    page.wait_for_selector("[data-testid=action-invite]")
    page.fill("#id_members-search", world.cosigner.full_name)  # the person picker
    page.locator("[data-testid=person-picker-option]", has_text=world.cosigner.full_name).click()
    page.click("[data-testid=action-invite]")
    page.wait_for_load_state()
    page.click("[data-testid=action-submit]")
    page.wait_for_selector("[data-testid=no-actions]")
    browser.screenshot("proposal-2-submitted")
    proposal = Proposal.objects.get()
    assert proposal.status == ProposalStatus.SUBMITTED

    page = _as(browser, live_server.url, "cosigner")
    page.goto(f"{base}/cosign/")
    page.click("button[value=confirm]")
    page.wait_for_load_state()
    assert Cosigner.objects.get().status == CosignStatus.CONFIRMED

    page = _as(browser, live_server.url, "staff")
    page.goto(f"{base}/review/")
    page.click(f"a[href='/c/city/proposals/{proposal.pk}/']")
    page.click("[data-testid=action-accept]")
    page.wait_for_selector("[data-testid=case-number]")
    assert "14-3-0001" in page.locator("[data-testid=case-number]").inner_text()
    page.click("[data-testid=action-assign]")
    page.select_option("#id_lead_unit", str(world.unit.pk))
    browser.screenshot("proposal-3-assign")
    page.click("[data-testid=confirm]")
    page.wait_for_selector("[data-testid=assignments]")

    page = _as(browser, live_server.url, "liaison")
    page.goto(f"{base}/unit/")
    page.locator("[data-testid=unit-inbox] a").first.click()
    page.select_option("#id_category", str(world.reply_category.pk))
    page.fill("#id_text", "经研究，我局已将社区嵌入式养老服务设施建设纳入年度计划。")
    page.fill("#id_signer", "王局长")
    page.fill("#id_contact_person", "张科长")
    browser.screenshot("proposal-4-reply")
    page.click("[data-testid=send-reply]")
    page.wait_for_load_state()
    assert Proposal.objects.get().status == ProposalStatus.REPLIED

    page = _as(browser, live_server.url, "staff")
    page.goto(f"{base}/replies/")
    page.locator("[data-testid=replies] a").first.click()
    page.click("[data-testid=release-reply]")
    page.wait_for_load_state()
    assert Proposal.objects.get().status == ProposalStatus.RELEASED

    page = _as(browser, live_server.url, "member")
    page.goto(f"{base}/{proposal.pk}/")
    page.click("[data-testid=rate-link]")
    page.check("input[value=satisfied]")
    page.fill("#id_comment", "答复及时，措施具体。")
    page.click("[data-testid=submit-rating]")
    page.wait_for_selector("[data-testid=reply]")
    browser.screenshot("proposal-5-rated")
    assert Proposal.objects.get().status == ProposalStatus.RATED
    timeline = page.locator(".timeline").inner_text()
    assert timeline.count("\n") >= 8
    assert browser.csp_violations == []
    assert browser.errors == []


def test_the_form_saves_a_draft_by_itself(live_server: Any, browser: Browser, world: World) -> None:
    page = _as(browser, live_server.url, "member")
    page.goto(f"{live_server.url}/c/city/proposals/new/")
    page.fill("#id_title", "关于完善农村寄递物流体系的建议")
    page.fill("#id_situation", "农村快递“最后一公里”问题突出。")
    page.evaluate("document.querySelector('form[data-autosave-url]').xsAutosave()")
    page.wait_for_selector("[data-testid=autosave-status]:not(:empty)")
    proposal = Proposal.objects.get()
    assert proposal.status == ProposalStatus.DRAFT and proposal.situation == "农村快递“最后一公里”问题突出。"
    assert page.url.endswith(f"/c/city/proposals/{proposal.pk}/edit/")
    # Saving with the button afterwards updates the same draft, not a second one.
    page.fill("#id_analysis", "末端网点少、成本高。")
    page.click("[data-testid=save-draft]")
    page.wait_for_selector("[data-testid=action-submit]")
    assert Proposal.objects.count() == 1
    assert Proposal.objects.get().analysis == "末端网点少、成本高。"
    assert browser.csp_violations == []
    assert browser.errors == []
