"""Search and statistics in a real browser: a leader reads the year's figures
(charts drawn, tables beside them) and searches proposals, on a desktop and
on a phone, without breaking the content security policy.

Screenshots go to test-artifacts/screenshots/proposals-stats-*.png and
proposals-search-*.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import Browser
from xieshang.accounts.tests.factories import PASSWORD
from xieshang.core.text import index_document
from xieshang.councils.tests.browsing import log_in, open_chromium
from xieshang.proposals.search import index_proposal
from xieshang.proposals.tests.conftest import World
from xieshang.proposals.tests.test_statistics import Year

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


@pytest.fixture
def leader_page(monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    with open_chromium(monkeypatch) as browser:
        yield browser


def fits_the_screen(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_leader_reads_the_statistics_and_searches(
    live_server: Any, leader_page: Browser, world: World
) -> None:
    year = Year(world)
    for proposal in (year.p1, year.p2, year.p3, year.p4, year.p5, year.p6):
        index_proposal(proposal)
    index_document(
        year.p2, council=world.cast.city, title="关于推进老旧小区加装电梯的建议", body="加装电梯审批难。"
    )
    page = leader_page.page
    base = live_server.url
    log_in(leader_page, base, "leader", PASSWORD)

    page.goto(f"{base}/c/city/proposals/statistics/?year=2026")
    page.wait_for_selector("[data-chart=league-chart] canvas")
    page.wait_for_selector("[data-chart=category-chart] canvas")
    league = page.locator("[data-testid=league-table]").inner_text()
    assert "市教育局" in league and "66.7%" in league
    leader_page.screenshot("proposals-stats-desktop")

    page.goto(f"{base}/c/city/proposals/search/?q=电梯")
    results = page.locator("[data-testid=search-results]")
    assert "加装电梯" in results.inner_text()
    assert page.locator("[data-testid=search-results] mark").count() >= 1
    leader_page.screenshot("proposals-search-desktop")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/c/city/proposals/statistics/?year=2026")
    page.wait_for_selector("[data-chart=league-chart] canvas")
    assert fits_the_screen(page)
    leader_page.screenshot("proposals-stats-phone")
    page.goto(f"{base}/c/city/proposals/search/?q=电梯")
    assert fits_the_screen(page)
    leader_page.screenshot("proposals-search-phone")

    assert leader_page.csp_violations == []
    assert leader_page.errors == []
